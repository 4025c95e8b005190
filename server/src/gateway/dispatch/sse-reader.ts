import { createParser, type EventSourceParser } from 'eventsource-parser';
import type { SseEvent } from './translator.js';

/** Reads an upstream SSE stream chunk by chunk and hands events to a callback. */
export interface SseReader {
  push(chunk: Buffer): void;
}

/** Every event, decoded and parsed (a stream being converted reads them all). */
export function everyEvent(onEvent: (event: SseEvent) => void): SseReader {
  const parser = createParser({ onEvent });
  const decoder = new TextDecoder();
  return { push: (chunk) => parser.feed(decoder.decode(chunk, { stream: true })) };
}

const BLANK_LINE = Buffer.from('\n\n');
const CR = 0x0d;

/**
 * Only the events whose bytes hold one of `markers`, for a stream relayed byte for byte that is
 * read along just for usage and errors: most events are never decoded or parsed. Events are cut at
 * blank lines (`\n\n`); the bytes after the last one wait for the next chunk, so the parser only
 * ever sees whole events. A stream with carriage returns (also legal line ends) is read in full
 * from there on. `markers` must be found in the raw bytes of every event the caller wants.
 */
export function eventsMarked(markers: readonly string[], onEvent: (event: SseEvent) => void): SseReader {
  const needles = markers.map((m) => Buffer.from(m));
  let carry: Buffer | null = null;
  let parser: EventSourceParser | null = null;
  let full: SseReader | null = null;
  return {
    push(chunk) {
      if (full) return full.push(chunk);
      const data = carry ? Buffer.concat([carry, chunk]) : chunk;
      carry = null;
      if (data.includes(CR)) {
        full = everyEvent(onEvent);
        full.push(data);
        return;
      }
      const end = data.lastIndexOf(BLANK_LINE);
      if (end < 0) {
        carry = data;
        return;
      }
      const cut = end + BLANK_LINE.length;
      if (cut < data.length) carry = data.subarray(cut);
      const events = cut < data.length ? data.subarray(0, cut) : data;
      if (!needles.some((n) => events.includes(n))) return;
      parser ??= createParser({ onEvent });
      // One event at a time: only the marked ones are decoded and parsed.
      for (let start = 0; start < events.length; ) {
        const stop = events.indexOf(BLANK_LINE, start) + BLANK_LINE.length;
        const event = events.subarray(start, stop);
        if (needles.some((n) => event.includes(n))) parser.feed(event.toString('utf8'));
        start = stop;
      }
    },
  };
}
