import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/*
 * Secrets at rest (provider API keys, profile environment values, secret settings) are sealed
 * with AES-256-GCM under a key derived from the master key. A sealed value is one ASCII string:
 *
 *   sb1:<key id>:<base64url(iv ‖ tag ‖ ciphertext)>
 *
 * The key id (8 hex chars of a hash of the derived key) lets `open` say "sealed under another
 * master key" instead of a bare authentication failure, and lets `keys rotate` find what it has
 * already re-sealed. The IV is random per value (12 bytes, GCM's native size); the tag is 16 bytes.
 */

const PREFIX = 'sb1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(
    message: string,
    readonly reason: 'malformed' | 'wrong_key' | 'tampered',
  ) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export interface SecretBox {
  /** Encrypts a secret; every call gives a different string for the same input. */
  seal(plain: string): string;
  /** Decrypts what `seal` produced under the same master key; throws SecretBoxError otherwise. */
  open(sealed: string): string;
  /** True when the value has the sealed format (any key); plaintext from before sealing existed is not. */
  isSealed(value: string): boolean;
  /** True when the value was sealed under this box's key. */
  isSealedByThisKey(value: string): boolean;
  /** Opens a sealed value, or returns a legacy plaintext value unchanged. */
  openOrPlain(value: string): string;
  readonly keyId: string;
}

/** The master key is any string of at least 32 characters (hex from the generated file, or the env). */
export function createSecretBox(masterKey: string): SecretBox {
  if (masterKey.length < 32) throw new Error('master key must be at least 32 characters');
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(masterKey, 'utf8'), Buffer.alloc(0), 'mlx-manager secret box v1', 32));
  const keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);

  const parse = (sealed: string): { id: string; blob: Buffer } => {
    const parts = sealed.split(':');
    if (parts.length !== 3 || parts[0] !== PREFIX || !/^[0-9a-f]{8}$/.test(parts[1] ?? '')) {
      throw new SecretBoxError('not a sealed secret', 'malformed');
    }
    const blob = Buffer.from(parts[2] ?? '', 'base64url');
    if (blob.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('sealed secret is truncated', 'malformed');
    return { id: parts[1] as string, blob };
  };

  const box: SecretBox = {
    keyId,
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${PREFIX}:${keyId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    open(sealed) {
      const { id, blob } = parse(sealed);
      if (id !== keyId) throw new SecretBoxError('secret was sealed under another master key', 'wrong_key');
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, IV_BYTES));
      decipher.setAuthTag(blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('sealed secret failed authentication (altered or corrupt)', 'tampered');
      }
    },
    isSealed(value) {
      return /^sb1:[0-9a-f]{8}:[A-Za-z0-9_-]+$/.test(value);
    },
    isSealedByThisKey(value) {
      return box.isSealed(value) && value.split(':')[1] === keyId;
    },
    openOrPlain(value) {
      return box.isSealed(value) ? box.open(value) : value;
    },
  };
  return box;
}

/** A hint that identifies a key without revealing it: `sk-…abcd`, `hf_…abcd` (prefix up to the first `-` or `_`, last 4). */
export function secretHint(plain: string): string {
  const tail = plain.length > 8 ? plain.slice(-4) : '';
  const dash = plain.search(/[-_]/);
  const head = dash > 0 && dash <= 8 ? plain.slice(0, dash + 1) : '';
  return `${head}…${tail}`;
}
