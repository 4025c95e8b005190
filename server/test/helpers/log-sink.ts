// Where a test's app writes its log: the text as written, and its JSON lines parsed.
import { Writable } from 'node:stream';

export interface LogSink {
  sink: Writable;
  /** Everything written so far. */
  logged(): string;
  /** The lines written so far, each parsed (pino writes one JSON object per line). */
  lines(): Record<string, unknown>[];
}

export function logSink(): LogSink {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    sink,
    logged: () => text,
    lines: () => text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
