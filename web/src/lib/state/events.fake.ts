// The event stream by hand, for store tests: `vi.mock('./events.svelte.js', () => import('./events.fake.js'))`,
// then `emitEvent(type, data)` plays an event through the handler the store registered (parsed by
// its schema, as the real stream does). Reconnections never happen here.

const handlers = new Map<string, (data: unknown) => void>();

export const events = {
  on: (type: string, schema: { parse: (data: unknown) => unknown }, handler: (event: unknown) => void): (() => void) => {
    handlers.set(type, (data) => handler(schema.parse(data)));
    return () => handlers.delete(type);
  },
  onResync: (): (() => void) => () => undefined,
};

export function emitEvent(type: string, data: unknown): void {
  handlers.get(type)?.(data);
}
