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

/**
 * Only the events whose bytes hold one of `markers`, for a stream relayed byte for byte that is
 * read along just for usage and errors: most events are never decoded or parsed. Events are cut at
 * blank lines (`\n\n`); the bytes after the last one wait for the next chunk, so the parser only
 * ever sees whole events. A stream with carriage returns (also legal line ends) is read in full
 * from there on. `markers` (ASCII) must be found in the raw bytes of every event the caller wants.
 */
export function eventsMarked(markers: readonly string[], onEvent: (event: SseEvent) => void): SseReader {
  let carry: Buffer | null = null;
  let parser: EventSourceParser | null = null;
  let full: SseReader | null = null;
  return {
    push(chunk) {
      if (full) return full.push(chunk);
      const data = carry ? Buffer.concat([carry, chunk]) : chunk;
      carry = null;
      // Looked through as Latin-1: one character per byte, so positions are byte offsets, and the
      // ASCII searched for reads the same; only the events handed on are decoded as UTF-8.
      const text = data.toString('latin1');
      if (text.includes('\r')) {
        full = everyEvent(onEvent);
        full.push(data);
        return;
      }
      const cut = text.lastIndexOf('\n\n') + 2;
      if (cut < 2) {
        carry = data;
        return;
      }
      if (cut < data.length) carry = data.subarray(cut);
      if (!markers.some((m) => text.lastIndexOf(m, cut) !== -1)) return;
      parser ??= createParser({ onEvent });
      // One event at a time: only the marked ones are decoded and parsed.
      for (let start = 0; start < cut; ) {
        const stop = text.indexOf('\n\n', start) + 2;
        const event = text.slice(start, stop);
        if (markers.some((m) => event.includes(m))) parser.feed(data.toString('utf8', start, stop));
        start = stop;
      }
    },
  };
}
