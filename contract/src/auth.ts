import { z } from 'zod';

export const UserStatus = z.enum(['pending', 'approved', 'disabled']);
export type UserStatus = z.infer<typeof UserStatus>;

const Email = z.string().trim().toLowerCase().max(254).email('must be a valid email address');
const Password = z.string().min(8, 'must be at least 8 characters').max(1024);

export const User = z.object({
  id: z.string(),
  email: z.string(),
  is_admin: z.boolean(),
  status: UserStatus,
  created_at: z.string(),
  approved_at: z.string().nullable(),
});
export type User = z.infer<typeof User>;

export const RegisterRequest = z.object({ email: Email, password: Password }).strict();
export type RegisterRequest = z.infer<typeof RegisterRequest>;
export const RegisterResponse = z.object({ user: User });
export type RegisterResponse = z.infer<typeof RegisterResponse>;

export const LoginRequest = z.object({ email: Email, password: z.string().min(1).max(1024) }).strict();
export type LoginRequest = z.infer<typeof LoginRequest>;
export const LoginResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('bearer'),
  user: User,
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MeResponse = z.object({ user: User });
export type MeResponse = z.infer<typeof MeResponse>;

/** Admin edits of a user; only the keys present are applied. */
export const UpdateUserRequest = z
  .object({ status: UserStatus, is_admin: z.boolean(), email: Email })
  .partial()
  .strict();
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const ResetPasswordRequest = z.object({ password: Password }).strict();
export type ResetPasswordRequest = z.infer<typeof ResetPasswordRequest>;

export const UserList = z.object({ users: z.array(User) });
export type UserList = z.infer<typeof UserList>;
export const PendingCount = z.object({ count: z.number().int().nonnegative() });
export type PendingCount = z.infer<typeof PendingCount>;

/**
 * `GET /api/auth/setup-status` (public): what the first screen needs to say. On a fresh install
 * (`has_users` false) the first account to register becomes the administrator.
 */
export const SetupStatus = z.object({ has_users: z.boolean(), registration_open: z.boolean() });
export type SetupStatus = z.infer<typeof SetupStatus>;
