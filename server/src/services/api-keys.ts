import { hash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiKey, CreatedApiKey } from '@mlx-manager/contract';
import type { Kysely } from 'kysely';
import { apiKeysRepository } from '../db/repositories/api-keys.js';
import type { Database } from '../db/schema.js';
import type { ApiKeyRow } from '../db/tables/api-keys.js';
import { AppError } from './errors.js';
import type { EventBus } from './event-bus.js';

export const API_KEY_PREFIX = 'mlxm_';
/** Characters of the key kept in clear so a user can tell keys apart ("mlxm_AbCd1234"). */
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
/** last_used_at is written at most this often per key, to keep writes off the hot path. */
const TOUCH_INTERVAL_MS = 60_000;

/** SHA-256 in hex; the one-shot `hash` (no Hash object) because every `/v1` request hashes its key. */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

export interface VerifiedKey {
  keyId: string;
  userId: string;
  email: string;
  isAdmin: boolean;
}

function toPublicKey(row: ApiKeyRow): ApiKey {
  return { id: row.id, name: row.name, prefix: row.prefix, created_at: row.created_at, last_used_at: row.last_used_at };
}

export function createApiKeysService(deps: { db: Kysely<Database>; events: EventBus; now?: () => Date }) {
  const repo = apiKeysRepository(deps.db);
  const now = () => (deps.now ? deps.now() : new Date());

  return {
    /** The only moment the key exists in clear: it is returned once and only its hash is stored. */
    async create(userId: string, name: string): Promise<CreatedApiKey> {
      const key = API_KEY_PREFIX + randomBytes(24).toString('base64url');
      const row: ApiKeyRow = {
        id: randomUUID(),
        user_id: userId,
        name,
        prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
        key_hash: hashApiKey(key),
        created_at: now().toISOString(),
        last_used_at: null,
      };
      await repo.insert(row);
      deps.events.publish({ type: 'keys.changed' }, { kind: 'user', userId });
      return { id: row.id, name: row.name, key, prefix: row.prefix };
    },

    async list(userId: string): Promise<ApiKey[]> {
      return (await repo.listForUser(userId)).map(toPublicKey);
    },

    async revoke(userId: string, id: string): Promise<void> {
      if (!(await repo.deleteForUser(id, userId))) throw new AppError('not_found', 'API key not found');
      deps.events.publish({ type: 'keys.changed' }, { kind: 'user', userId });
    },

    /** The owner of a presented key, if the key exists and its owner is approved. */
    async verify(key: string): Promise<VerifiedKey | undefined> {
      if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return undefined;
      const found = await repo.findByHashWithOwner(hashApiKey(key));
      if (!found || found.owner.status !== 'approved') return undefined;
      const at = now();
      const last = found.key.last_used_at ? Date.parse(found.key.last_used_at) : 0;
      if (at.getTime() - last >= TOUCH_INTERVAL_MS) await repo.touch(found.key.id, at.toISOString());
      return { keyId: found.key.id, userId: found.owner.id, email: found.owner.email, isAdmin: found.owner.is_admin === 1 };
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
