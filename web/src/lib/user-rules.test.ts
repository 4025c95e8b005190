import { describe, expect, it } from 'vitest';
import type { User } from '@mlx-manager/contract';
import { lastAdminBlock, sortUsers } from './user-rules.js';

function user(id: string, overrides: Partial<User> = {}): User {
  return {
    id,
    email: `${id}@example.com`,
    is_admin: false,
    status: 'approved',
    created_at: '2026-01-01T00:00:00Z',
    approved_at: null,
    ...overrides,
  };
}

describe('sortUsers', () => {
  it('puts pending users first, then the newest', () => {
    const users = [
      user('old', { created_at: '2026-01-01T00:00:00Z' }),
      user('new', { created_at: '2026-03-01T00:00:00Z' }),
      user('waiting-old', { status: 'pending', created_at: '2026-01-02T00:00:00Z' }),
      user('waiting-new', { status: 'pending', created_at: '2026-02-01T00:00:00Z' }),
    ];
    expect(sortUsers(users).map((u) => u.id)).toEqual(['waiting-new', 'waiting-old', 'new', 'old']);
    expect(users[0]?.id).toBe('old'); // the input is not mutated
  });
});

describe('lastAdminBlock', () => {
  const admin = user('admin', { is_admin: true });

  it('blocks disable, demote and delete of the only active admin, whoever asks', () => {
    const users = [admin, user('bob'), user('eve', { is_admin: true, status: 'disabled' })];
    expect(lastAdminBlock(admin, users, 'disable')).toMatch(/disable the last active admin/);
    expect(lastAdminBlock(admin, users, 'demote')).toMatch(/last active admin/);
    expect(lastAdminBlock(admin, users, 'delete')).toMatch(/delete the last active admin/);
  });

  it('allows them when another active admin exists, and never blocks non-admins', () => {
    const second = user('second', { is_admin: true });
    const users = [admin, second, user('bob')];
    expect(lastAdminBlock(admin, users, 'disable')).toBeUndefined();
    expect(lastAdminBlock(user('bob'), [admin, user('bob')], 'delete')).toBeUndefined();
  });

  it('does not count pending admins as active', () => {
    const pendingAdmin = user('p', { is_admin: true, status: 'pending' });
    expect(lastAdminBlock(admin, [admin, pendingAdmin], 'demote')).toBeDefined();
    expect(lastAdminBlock(pendingAdmin, [admin, pendingAdmin], 'delete')).toBeUndefined();
  });
});
