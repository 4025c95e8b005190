import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretBoxError, secretHint } from './secret-box.js';

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

describe('secret box', () => {
  it('seals and opens; the sealed string never contains the secret and differs per call', () => {
    const box = createSecretBox(KEY_A);
    const one = box.seal('sk-live-1234567890');
    const two = box.seal('sk-live-1234567890');
    expect(one).not.toBe(two);
    expect(one).not.toContain('sk-live');
    expect(box.isSealed(one)).toBe(true);
    expect(box.open(one)).toBe('sk-live-1234567890');
    expect(box.open(box.seal(''))).toBe('');
    expect(box.open(box.seal('ünïcødé 🔑'))).toBe('ünïcødé 🔑');
  });

  it('refuses another key, altered bytes and malformed input with a reason', () => {
    const a = createSecretBox(KEY_A);
    const b = createSecretBox(KEY_B);
    const sealed = a.seal('secret');
    expect(() => b.open(sealed)).toThrow(expect.objectContaining({ reason: 'wrong_key' }));
    const [p, id, blob] = sealed.split(':') as [string, string, string];
    const raw = Buffer.from(blob, 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => a.open(`${p}:${id}:${raw.toString('base64url')}`)).toThrow(expect.objectContaining({ reason: 'tampered' }));
    expect(() => a.open('plain-text')).toThrow(SecretBoxError);
    expect(() => a.open('sb1:abcdef01:AAAA')).toThrow(expect.objectContaining({ reason: 'malformed' }));
  });

  it('tells legacy plaintext from sealed values and knows its own key', () => {
    const a = createSecretBox(KEY_A);
    const b = createSecretBox(KEY_B);
    expect(a.isSealed('hf_abc')).toBe(false);
    expect(a.openOrPlain('hf_abc')).toBe('hf_abc');
    const sealed = b.seal('x');
    expect(a.isSealed(sealed)).toBe(true);
    expect(a.isSealedByThisKey(sealed)).toBe(false);
    expect(b.isSealedByThisKey(sealed)).toBe(true);
    expect(a.keyId).not.toBe(b.keyId);
  });

  it('refuses a short master key', () => {
    expect(() => createSecretBox('short')).toThrow(/32/);
  });

  it('hints show a prefix and the last four characters only', () => {
    expect(secretHint('sk-proj-abcdefghijklmnop')).toBe('sk-…mnop');
    expect(secretHint('abcdefghijklmnopqrstuvwxyz')).toBe('…wxyz');
    expect(secretHint('short')).toBe('…');
  });
});
