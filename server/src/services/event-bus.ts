import type { AppEvent } from '@mlx-manager/contract';

/** Who may see an event on `GET /api/events`. */
export type Audience =
  | { kind: 'all' }
  | { kind: 'admins' }
  | { kind: 'user'; userId: string }
  /** Admins and one user (a profile's creator); `null` = admins only. */
  | { kind: 'admins_and'; userId: string | null }
  /** Everyone `admins_and` leaves out: one event in two versions, each seen once. */
  | { kind: 'not_admins_nor'; userId: string | null };

export interface BusMessage {
  event: AppEvent;
  audience: Audience;
}

export type BusListener = (message: BusMessage) => void;

/** Typed in-process pub/sub. A throwing listener is isolated so it cannot starve the others. */
export function createEventBus(onListenerError: (err: unknown) => void = () => undefined) {
  const listeners = new Set<BusListener>();
  return {
    publish(event: AppEvent, audience: Audience = { kind: 'all' }): void {
      for (const listener of [...listeners]) {
        try {
          listener({ event, audience });
        } catch (err) {
          onListenerError(err);
        }
      }
    },
    subscribe(listener: BusListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get listenerCount(): number {
      return listeners.size;
    },
  };
}

export type EventBus = ReturnType<typeof createEventBus>;

/** Pure: may this viewer see a message with this audience? */
export function canSee(audience: Audience, viewer: { id: string; isAdmin: boolean }): boolean {
  switch (audience.kind) {
    case 'all':
      return true;
    case 'admins':
      return viewer.isAdmin;
    case 'user':
      return audience.userId === viewer.id;
    case 'admins_and':
      return viewer.isAdmin || audience.userId === viewer.id;
    case 'not_admins_nor':
      return !viewer.isAdmin && audience.userId !== viewer.id;
  }
}
