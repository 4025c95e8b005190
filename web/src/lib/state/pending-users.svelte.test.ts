import { describe, expect, it, vi } from 'vitest';

// The nav pill's count over a fake API and a fake event stream: the count the answer and the event bring, in either order.
vi.mock('./events.svelte.js', () => import('./events.fake.js'));
const pendingCount = vi.fn<() => Promise<number>>();
vi.mock('$lib/api/index.js', () => ({ api: { users: { pendingCount } } }));

const { emitEvent } = await import('./events.fake.js');
const { pendingUsers } = await import('./pending-users.svelte.js');

describe('pending users count', () => {
  it('keeps the count of an event that arrives while the request is out (its answer may predate it)', async () => {
    let answer: (count: number) => void = () => undefined;
    pendingCount.mockImplementationOnce(() => new Promise<number>((resolve) => (answer = resolve)));
    const stop = pendingUsers.start();
    emitEvent('users.changed', { type: 'users.changed', pending_count: 3 });
    answer(2);
    await pendingUsers.refresh();
    expect(pendingUsers.count).toBe(3);
    // With no event meanwhile, an answer sets the count.
    pendingCount.mockResolvedValueOnce(5);
    await pendingUsers.refresh();
    expect(pendingUsers.count).toBe(5);
    stop();
  });
});
