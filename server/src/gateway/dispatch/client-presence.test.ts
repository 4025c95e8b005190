import { describe, expect, it } from 'vitest';
import { ClientPresence } from './client-presence.js';

describe('ClientPresence', () => {
  it('stops what it watches once, and aborts a signal asked for before or after the client left', () => {
    const p = new ClientPresence();
    const early = p.signal;
    let stops = 0;
    p.watch(() => stops++);
    expect(p.gone).toBe(false);
    p.leave();
    p.leave();
    expect(p.gone).toBe(true);
    expect(stops).toBe(1);
    expect(early.aborted).toBe(true);
    expect(new ClientPresence().signal.aborted).toBe(false);
    const late = new ClientPresence();
    late.leave();
    expect(late.signal.aborted).toBe(true);
  });

  it('stops nothing once the watcher is taken away, and an old watcher cannot take away a new one', () => {
    const p = new ClientPresence();
    let stops = 0;
    const first = () => stops++;
    p.watch(first);
    p.unwatch(first);
    p.leave();
    expect(stops).toBe(0);
    const q = new ClientPresence();
    const second = () => (stops += 10);
    q.watch(first);
    q.watch(second);
    q.unwatch(first);
    q.leave();
    expect(stops).toBe(10);
  });
});
