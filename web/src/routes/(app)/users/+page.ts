import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

// Admins only: others land on the dashboard (the server refuses them anyway, 403).
export const load: PageLoad = async ({ parent }) => {
  const { user } = await parent();
  if (!user.is_admin) redirect(307, '/servers');
};
