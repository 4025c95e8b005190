import { describe, expect, it } from 'vitest';
import { SlotPool } from './slot-pool.js';

describe('SlotPool', () => {
  it('queues requests first come first served when every slot is busy', async () => {
    const pool = new SlotPool(['a']);
    const order: string[] = [];
    const first = await pool.acquire(new AbortController().signal);
    const second = pool.acquire(new AbortController().signal).then((s) => order.push(`2:${s}`));
    const third = pool.acquire(new AbortController().signal).then((s) => order.push(`3:${s}`));
    expect(pool.waiting).toBe(2);
    pool.release(first);
    await second;
    pool.release('a');
    await third;
    expect(order).toEqual(['2:a', '3:a']);
  });

  it('drops a waiter whose client went away and keeps the slot for the next', async () => {
    const pool = new SlotPool([1]);
    const held = await pool.acquire(new AbortController().signal);
    const gone = new AbortController();
    const waiting = pool.acquire(gone.signal);
    gone.abort(new Error('client disconnected'));
    await expect(waiting).rejects.toThrow('client disconnected');
    expect(pool.waiting).toBe(0);
    pool.release(held);
    expect(pool.available).toBe(1);
  });

  it('gives the slot back when the work throws', async () => {
    const pool = new SlotPool([1]);
    await expect(pool.with(new AbortController().signal, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(pool.available).toBe(1);
  });
});
