import type { Route } from '@mlx-manager/contract';
import { describe, expect, it } from 'vitest';
import { byPriority, moved, priorityChanges, targetFromKey, targetKey } from './route-order.js';

const route = (id: string, priority: number): Route => ({ id, match: 'exact', pattern: id, priority, targets: [{ profile_id: 'p' }], enabled: true, created_at: '', updated_at: '' });

describe('route order', () => {
  it('sorts by priority, moves rows and renumbers only what changed', () => {
    const list = byPriority([route('a', 0), route('b', 20), route('c', 10)]);
    expect(list.map((r) => r.id)).toEqual(['b', 'c', 'a']);
    const up = moved(list, 2, -1);
    expect(up.map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(priorityChanges(up)).toEqual([{ id: 'b', priority: 30 }, { id: 'a', priority: 20 }]);
    expect(moved(list, 0, -1).map((r) => r.id)).toEqual(['b', 'c', 'a']);
  });

  it('target keys round-trip, model names with colons included', () => {
    for (const t of [{ profile_id: 'x' }, { provider_id: 'p' }, { provider_id: 'p', model: 'ollama:llama3:8b' }]) expect(targetFromKey(targetKey(t))).toEqual(t);
    expect(targetFromKey('nonsense')).toBeNull();
  });
});
