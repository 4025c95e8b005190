import { adminOnly } from '$lib/admin-only.js';
import type { PageLoad } from './$types';

export const load: PageLoad = adminOnly;
