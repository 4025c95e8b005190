import { randomBytes } from 'node:crypto';

/*
 * A record id that sorts by when it was made: a UUID in version 7's layout (48 bits of Unix
 * milliseconds first). The audit table's primary key index then grows at its end instead of
 * taking every insert at a random page, which halved the cost of writing a record. The rest is a
 * counter (unique within this process) and random bits drawn once per process (unique between
 * instances sharing a database), so making an id costs no call for randomness.
 */
const PROCESS_BITS = randomBytes(7);
/** Two random bits after the variant bits `10`, then 48 random bits. */
const TAIL = `${(0x8 | (PROCESS_BITS[0]! & 0x3)).toString(16)}`;
const NODE = PROCESS_BITS.subarray(1).toString('hex');
let counter = Math.floor(Math.random() * 0x1000000);

export function auditId(nowMs: number): string {
  const time = nowMs.toString(16).padStart(12, '0');
  counter = (counter + 1) & 0xffffff;
  const count = counter.toString(16).padStart(6, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${count.slice(0, 3)}-${TAIL}${count.slice(3)}-${NODE}`;
}
