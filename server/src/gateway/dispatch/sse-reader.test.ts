import { describe, expect, it } from 'vitest';
import { eventsMarked, everyEvent, type SseReader } from './sse-reader.js';
import type { SseEvent } from './translator.js';

const STREAM = [
  'data: {"choices":[{"delta":{"content":"héllo"}}]}\n\n',
  'event: message_delta\ndata: {"type":"message_delta"}\n\n',
  ': comment\n\n',
  'data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}\n\n',
  'data: {"error":{"message":"boom"}}\n\n',
  'data: [DONE]\n\n',
].join('');

function read(make: (onEvent: (e: SseEvent) => void) => SseReader, chunks: Buffer[]): SseEvent[] {
  const seen: SseEvent[] = [];
  const reader = make((e) => seen.push({ event: e.event, data: e.data }));
  for (const c of chunks) reader.push(c);
  return seen;
}

/** The stream cut into two chunks at every byte position (a multi-byte character is cut too). */
function everySplit(text: string): Buffer[][] {
  const bytes = Buffer.from(text);
  return Array.from({ length: bytes.length + 1 }, (_, i) => [bytes.subarray(0, i), bytes.subarray(i)]);
}

describe('eventsMarked', () => {
  const markers = ['"usage"', '"error"'];
  const wanted = read(everyEvent, [Buffer.from(STREAM)]).filter((e) => markers.some((m) => e.data.includes(m)));

  it('finds exactly the marked events wherever the chunks are cut, and parses no other', () => {
    expect(wanted.map((e) => e.data)).toEqual(['{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}', '{"error":{"message":"boom"}}']);
    for (const chunks of everySplit(STREAM)) expect(read((cb) => eventsMarked(markers, cb), chunks)).toEqual(wanted);
  });

  it('reads an event name marker (Anthropic streams) and a stream sent one byte at a time', () => {
    const bytes = Buffer.from(STREAM);
    const oneByOne = Array.from(bytes, (b) => Buffer.from([b]));
    expect(read((cb) => eventsMarked(['message_delta'], cb), oneByOne)).toEqual([{ event: 'message_delta', data: '{"type":"message_delta"}' }]);
  });

  it('keeps an event without its blank line for later, and never hands out an unfinished one', () => {
    expect(read((cb) => eventsMarked(markers, cb), [Buffer.from('data: {"usage":{}}\n')])).toEqual([]);
    expect(read((cb) => eventsMarked(markers, cb), [Buffer.from('data: {"usage":{}}\n'), Buffer.from('\n')])).toEqual([{ event: undefined, data: '{"usage":{}}' }]);
  });

  it('reads a stream with CRLF line ends in full from the first carriage return on', () => {
    const crlf = STREAM.replaceAll('\n', '\r\n');
    const all = read(everyEvent, [Buffer.from(crlf)]);
    for (const chunks of everySplit(crlf).filter((_, i) => i % 7 === 0)) {
      const got = read((cb) => eventsMarked(markers, cb), chunks);
      // Everything the full reader sees from the chunk with the first CR on, at least the marked ones.
      expect(got.length).toBeGreaterThanOrEqual(wanted.length);
      expect(all).toEqual(expect.arrayContaining(got));
      for (const w of wanted) expect(got).toContainEqual(w);
    }
  });
});
