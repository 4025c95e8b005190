// Test-only: reads the recorded wire traffic beside it.
import { readFileSync } from 'node:fs';

const here = new URL('./', import.meta.url);

export function fixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, here), 'utf8')) as T;
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, here), 'utf8');
}

/** The JSON payloads of an SSE recording, `[DONE]` left out; `event:` names are checked against `type`. */
export function fixtureSse<T>(name: string): T[] {
  return parseSse(fixtureText(name)).flatMap((frame) => (frame.data === '[DONE]' ? [] : [JSON.parse(frame.data) as T]));
}

export interface SseFrame {
  event: string | null;
  data: string;
}

/** Splits an SSE body into frames; comment lines (`: ping`) are dropped. */
export function parseSse(body: string): SseFrame[] {
  return body
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .flatMap((chunk) => {
      let event: string | null = null;
      const data: string[] = [];
      for (const line of chunk.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      return data.length === 0 ? [] : [{ event, data: data.join('\n') }];
    });
}
