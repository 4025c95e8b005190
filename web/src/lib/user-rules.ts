import type { User } from '@mlx-manager/contract';

/** Pending first (they need action), then newest first. */
export function sortUsers(users: readonly User[]): User[] {
  return [...users].sort((a, b) => {
    const pendingOrder = Number(b.status === 'pending') - Number(a.status === 'pending');
    return pendingOrder !== 0 ? pendingOrder : b.created_at.localeCompare(a.created_at);
  });
}

const isActiveAdmin = (user: User) => user.is_admin && user.status === 'approved';

export type GuardedAction = 'disable' | 'demote' | 'delete';

const reasons: Record<GuardedAction, string> = {
  disable: 'Cannot disable the last active admin',
  demote: 'Cannot remove admin rights from the last active admin',
  delete: 'Cannot delete the last active admin',
};

/**
 * Why an action is refused before asking the server: the last active admin can never be
 * disabled, demoted or deleted, by anyone (not only by themselves). The server enforces the
 * same rule and answers 409 if the list here was stale; undefined means "allowed".
 */
export function lastAdminBlock(user: User, users: readonly User[], action: GuardedAction): string | undefined {
  if (!isActiveAdmin(user)) return undefined;
  const activeAdmins = users.filter(isActiveAdmin).length;
  return activeAdmins <= 1 ? reasons[action] : undefined;
}
