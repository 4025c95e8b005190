import { redirect } from '@sveltejs/kit';
import type { User } from '@mlx-manager/contract';

/**
 * The load of an admin-only page: others land on the dashboard. The server refuses them anyway
 * (403); this only spares them a page of errors.
 */
export async function adminOnly({ parent }: { parent: () => Promise<{ user: User }> }): Promise<void> {
  const { user } = await parent();
  if (!user.is_admin) redirect(307, '/servers');
}
