// Small lifecycle helpers shared by the stores.

/**
 * Reference-counted subscription: `setup` runs for the first user and its teardowns run when the
 * last user leaves, so pages that mount and unmount share one set of event handlers.
 * Returns `use()`, which returns the release (safe to call twice).
 */
export function refCounted(setup: () => Array<() => void>): () => () => void {
  let users = 0;
  let teardowns: Array<() => void> = [];
  return () => {
    users += 1;
    if (users === 1) teardowns = setup();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      users -= 1;
      if (users === 0) for (const teardown of teardowns.splice(0)) teardown();
    };
  };
}

/** Concurrent calls share the one run in flight (a burst of events makes one request). */
export function sharedInFlight(run: () => Promise<void>): () => Promise<void> {
  let inFlight: Promise<void> | undefined;
  return () =>
    (inFlight ??= run().finally(() => {
      inFlight = undefined;
    }));
}

/**
 * Like sharedInFlight, but a call's promise settles only after a run that began after the call:
 * calls made while a run is in flight share one more run, started when it ends. For refetches
 * asked because something changed (a profile created or deleted, events missed during a
 * reconnect): the answer of a request sent before the change may not show it.
 */
export function sharedFresh(run: () => Promise<void>): () => Promise<void> {
  let inFlight: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const begin = (): Promise<void> =>
    (inFlight = run().finally(() => {
      inFlight = undefined;
    }));
  const again = (): Promise<void> => {
    next = undefined;
    return begin();
  };
  return () => {
    if (!inFlight) return begin();
    return (next ??= inFlight.then(again, again));
  };
}
