/**
 * Lines carried by one frame of the live log stream, whatever shape the server gives them:
 * a JSON string, an array of strings, `{line}`, `{lines}`, or plain text.
 */
export function linesOfFrame(data: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return data.split(/\r?\n/);
  }
  if (typeof parsed === 'string') return [parsed];
  if (Array.isArray(parsed)) return parsed.filter((l): l is string => typeof l === 'string');
  if (parsed !== null && typeof parsed === 'object') {
    const record = parsed as Record<string, unknown>;
    if (typeof record.line === 'string') return [record.line];
    if (Array.isArray(record.lines)) return record.lines.filter((l): l is string => typeof l === 'string');
  }
  return [];
}

/** Appends lines keeping the last `max` (a long-running engine's log must not grow the page forever). */
export function appendBounded(lines: readonly string[], more: readonly string[], max = 2000): string[] {
  const next = lines.concat(more);
  return next.length > max ? next.slice(next.length - max) : next;
}
