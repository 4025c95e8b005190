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
  /** Session tokens issued before this instant are refused (password reset). */
  sessions_valid_after: string | null;
}

export interface UsersTables {
  users: UsersTable;
}

export type UserRow = Selectable<UsersTable>;
