import { randomUUID } from 'node:crypto';
import type { LoginRequest, RegisterRequest, UpdateUserRequest, User } from '@mlx-manager/contract';
import type { Kysely } from 'kysely';
import { LOCK_KEYS, lockForTransaction } from '../db/locks.js';
import { usersRepository, type UserPatch } from '../db/repositories/users.js';
import type { Database } from '../db/schema.js';
import type { UserRow } from '../db/tables/users.js';
import { AppError } from './errors.js';
import type { EventBus } from './event-bus.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Sessions } from './sessions.js';
import type { SettingsService } from './settings.js';

export interface UsersDeps {
  db: Kysely<Database>;
  sessions: Sessions;
  throttle: LoginThrottle;
  events: EventBus;
  /** registration_open and max_pending_users are read on every registration. */
  settings: Pick<SettingsService, 'get'>;
  now?: () => Date;
}

/** The public view of a user row (never the hash). */
export function toPublicUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    is_admin: row.is_admin === 1,
    status: row.status,
    created_at: row.created_at,
    approved_at: row.approved_at,
  };
}

/** Pure: does this admin edit end the user's sessions? Role changes and leaving `approved` do. */
export function editEndsSessions(target: Pick<UserRow, 'is_admin' | 'status'>, patch: UpdateUserRequest): boolean {
  const roleChanged = patch.is_admin !== undefined && patch.is_admin !== (target.is_admin === 1);
  const leftApproved = patch.status !== undefined && patch.status !== 'approved' && patch.status !== target.status;
  return roleChanged || leftApproved;
}

function rateLimited(message: string, waitMs: number): AppError {
  return new AppError('rate_limited', message, { retry_after_seconds: Math.ceil(waitMs / 1000) });
}

// Verified against when the email is unknown, so a miss costs the same time as a wrong password.
let decoyHash: Promise<string> | undefined;

export function createUsersService(deps: UsersDeps) {
  const { db, sessions, throttle, events, settings } = deps;
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  const repo = usersRepository(db);

  async function announcePending(): Promise<void> {
    const count = await repo.countByStatus('pending');
    events.publish({ type: 'users.changed', pending_count: count }, { kind: 'admins' });
  }

  /** Tells open streams of this user to re-check it now (they close if it no longer passes). */
  function announceRevoked(userId: string): void {
    events.publish({ type: 'session.revoked', user_id: userId }, { kind: 'user', userId });
  }

  async function mustFind(id: string): Promise<UserRow> {
    const row = await repo.findById(id);
    if (!row) throw new AppError('not_found', 'User not found');
    return row;
  }

  return {
    /**
     * First user ever becomes an approved admin; everyone after waits for approval (AUTH-01),
     * unless the admin closed registration or too many accounts already wait. Throttled per
     * address: each registration costs a password hash and a row.
     */
    async register(input: RegisterRequest, address: string): Promise<User> {
      const wait = throttle.takeRegistration(address);
      if (wait > 0) throw rateLimited('Too many registrations from this address; try again later', wait);
      if (!settings.get().registration_open && (await repo.count()) > 0) {
        throw new AppError('registration_closed', 'Registration is closed; ask an administrator to create your account');
      }
      const passwordHash = await hashPassword(input.password);
      const row = await db.transaction().execute(async (trx) => {
        await lockForTransaction(trx, LOCK_KEYS.accounts);
        const tx = usersRepository(trx);
        if (await tx.findByEmail(input.email)) throw new AppError('conflict', 'Email already registered');
        const first = (await tx.count()) === 0;
        if (!first && (await tx.countByStatus('pending')) >= settings.get().max_pending_users) {
          throw new AppError('registration_closed', 'Too many accounts are waiting for approval; try again later');
        }
        const created = now();
        const user: UserRow = {
          id: randomUUID(),
          email: input.email,
          password_hash: passwordHash,
          is_admin: first ? 1 : 0,
          status: first ? 'approved' : 'pending',
          created_at: created,
          approved_at: first ? created : null,
          approved_by: null,
          session_epoch: 0,
        };
        await tx.insert(user);
        return user;
      });
      if (row.status === 'pending') await announcePending();
      return toPublicUser(row);
    },

    /** Checks the password (rate-limited per address and account) and issues a session token. */
    async login(input: LoginRequest, address: string): Promise<{ user: User; token: string }> {
      const wait = throttle.check(address, input.email);
      if (wait > 0) {
        throw rateLimited('Too many failed login attempts; try again later', wait);
      }
      const row = await repo.findByEmail(input.email);
      decoyHash ??= hashPassword('decoy password never matches');
      const ok = await verifyPassword(row?.password_hash ?? (await decoyHash), input.password);
      if (!row || !ok) {
        throttle.recordFailure(address, input.email);
        throw new AppError('invalid_credentials', 'Incorrect email or password');
      }
      throttle.recordSuccess(address, input.email);
      if (row.status === 'pending') throw new AppError('account_pending', 'Account pending approval by an administrator');
      if (row.status === 'disabled') throw new AppError('account_disabled', 'Account disabled');
      return { user: toPublicUser(row), token: await sessions.issue(row.id, row.session_epoch) };
    },

    /** The approved user behind a session token; re-read every request so disabling is immediate. */
    async authenticate(token: string): Promise<UserRow> {
      const claims = await sessions.verify(token);
      const row = claims ? await repo.findById(claims.userId) : undefined;
      if (!claims || !row) throw new AppError('unauthenticated', 'Session expired or invalid; log in again');
      if (row.status === 'disabled') throw new AppError('account_disabled', 'Account disabled');
      if (row.status !== 'approved') throw new AppError('account_pending', 'Account pending approval by an administrator');
      if (claims.epoch !== row.session_epoch) throw new AppError('unauthenticated', 'Session ended; log in again');
      return row;
    },

    async list(): Promise<User[]> {
      return (await repo.list()).map(toPublicUser);
    },

    async pendingCount(): Promise<number> {
      return repo.countByStatus('pending');
    },

    async get(id: string): Promise<User> {
      return toPublicUser(await mustFind(id));
    },

    /**
     * Admin edit. The last approved admin can never lose admin rights or approval, whoever
     * asks (the original only guarded self-actions: L-24 in docs/lessons-from-the-original.md).
     */
    async update(actorId: string, id: string, patch: UpdateUserRequest): Promise<User> {
      let endsSessions = false;
      const row = await db.transaction().execute(async (trx) => {
        await lockForTransaction(trx, LOCK_KEYS.accounts);
        const tx = usersRepository(trx);
        const target = await tx.findById(id);
        if (!target) throw new AppError('not_found', 'User not found');
        endsSessions = editEndsSessions(target, patch);
        const wasActiveAdmin = target.is_admin === 1 && target.status === 'approved';
        const nextAdmin = patch.is_admin ?? target.is_admin === 1;
        const nextStatus = patch.status ?? target.status;
        if (wasActiveAdmin && !(nextAdmin && nextStatus === 'approved') && (await tx.countActiveAdmins(id)) === 0) {
          throw new AppError('last_admin', 'The last active administrator cannot be demoted or disabled');
        }
        const changes: UserPatch = {};
        if (patch.is_admin !== undefined) changes.is_admin = patch.is_admin ? 1 : 0;
        if (patch.status !== undefined) changes.status = patch.status;
        if (patch.status === 'approved' && target.approved_at === null) {
          changes.approved_at = now();
          changes.approved_by = actorId;
        }
        if (patch.email !== undefined && patch.email !== target.email) {
          if (await tx.findByEmail(patch.email)) throw new AppError('conflict', 'Email already registered');
          changes.email = patch.email;
        }
        if (endsSessions) await tx.bumpSessionEpoch(id);
        const updated = await tx.update(id, changes);
        if (!updated) throw new AppError('not_found', 'User not found');
        return updated;
      });
      if (endsSessions) announceRevoked(id);
      await announcePending();
      return toPublicUser(row);
    },

    async delete(id: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await lockForTransaction(trx, LOCK_KEYS.accounts);
        const tx = usersRepository(trx);
        const target = await tx.findById(id);
        if (!target) throw new AppError('not_found', 'User not found');
        if (target.is_admin === 1 && target.status === 'approved' && (await tx.countActiveAdmins(id)) === 0) {
          throw new AppError('last_admin', 'The last active administrator cannot be deleted');
        }
        await trx.deleteFrom('api_keys').where('user_id', '=', id).execute();
        await tx.delete(id);
      });
      announceRevoked(id);
      await announcePending();
    },

    async resetPassword(id: string, password: string): Promise<void> {
      await mustFind(id);
      // Sessions opened with the old password end now (a reset is often a response to a leak).
      await repo.update(id, { password_hash: await hashPassword(password) });
      await this.logoutEverywhere(id);
    },

    /** Ends every session of the user (all browsers, the CLI): their tokens' epoch is now old. */
    async logoutEverywhere(id: string): Promise<void> {
      await repo.bumpSessionEpoch(id);
      announceRevoked(id);
    },

    /** For the CLI's `user create`: creates an approved account directly (optionally admin). */
    async createApproved(input: RegisterRequest & { isAdmin: boolean }): Promise<User> {
      if (await repo.findByEmail(input.email)) throw new AppError('conflict', 'Email already registered');
      const created = now();
      const user: UserRow = {
        id: randomUUID(),
        email: input.email,
        password_hash: await hashPassword(input.password),
        is_admin: input.isAdmin ? 1 : 0,
        status: 'approved',
        created_at: created,
        approved_at: created,
        approved_by: null,
        session_epoch: 0,
      };
      await repo.insert(user);
      return toPublicUser(user);
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
