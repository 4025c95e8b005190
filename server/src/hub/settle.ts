/**
 * Run tasks together; on the first failure abort the rest (through `abort`), wait until every
 * task has stopped, then throw that first failure. Nothing keeps writing after we report.
 */
export async function allOrAbort(tasks: readonly Promise<unknown>[], abort: AbortController): Promise<void> {
  let first: { error: unknown } | undefined;
  await Promise.all(
    tasks.map((t) =>
      t.catch((error: unknown) => {
        if (!first) {
          first = { error };
          abort.abort();
        }
      }),
    ),
  );
  if (first) throw first.error;
}

/** A controller that aborts when `parent` does (and can also be aborted on its own). */
export function childController(parent?: AbortSignal): AbortController {
  const ac = new AbortController();
  if (parent?.aborted) ac.abort();
  else parent?.addEventListener('abort', () => ac.abort(), { once: true });
  return ac;
}
