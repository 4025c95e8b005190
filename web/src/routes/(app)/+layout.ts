import { redirect } from '@sveltejs/kit';
import type { User } from '@mlx-manager/contract';
import { api } from '$lib/api/index.js';
import { session } from '$lib/state/session.svelte.js';
import type { LayoutLoad } from './$types';

/** Every page in this group needs a session: ask the server who we are, else go to /login. */
export const load: LayoutLoad = async ({ url }): Promise<{ user: User }> => {
  try {
    const user = await api.auth.me();
    session.set(user);
    return { user };
  } catch {
    session.clear();
    redirect(307, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
};
