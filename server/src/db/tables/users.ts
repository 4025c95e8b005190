import type { Selectable } from 'kysely';

/** Ids are text uuids, timestamps ISO-8601 text, booleans integer 0/1 (same on both dialects). */
export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  is_admin: number;
  status: 'pending' | 'approved' | 'disabled';
  created_at: string;
  approved_at: string | null;
  approved_by: string | null;
  /**
   * Every session token carries the epoch it was issued in; bumping it ends them all (password
   * reset, disable, role change, logout). Replaces the old `sessions_valid_after` column, which
   * stays in the table unused.
   */
  session_epoch: number;
}

export interface UsersTables {
  users: UsersTable;
}

export type UserRow = Selectable<UsersTable>;
