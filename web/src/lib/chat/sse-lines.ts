/**
 * Pure: splits a Server-Sent Events byte stream (already decoded to text) into the `data:`
 * payloads of its events. Chunks may cut anywhere — mid-line or between `\r` and `\n` — so the
 * unfinished tail is kept for the next push. Comments (`: ping`) and `event:`/`id:` lines are
 * dropped; a multi-line `data:` event is joined with newlines, as the SSE format says.
 */
export class SseDataSplitter {
  #buffer = '';
  #data: string[] = [];

  push(text: string): string[] {
    this.#buffer += text;
    const out: string[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (!match || (match[0] === '\r' && match.index === this.#buffer.length - 1)) break;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      this.#line(line, out);
    }
    return out;
  }

  /** The stream ended: an event without its blank line still counts. */
  end(): string[] {
    const out: string[] = [];
    if (this.#buffer !== '') this.#line(this.#buffer, out);
    this.#buffer = '';
    this.#line('', out);
    return out;
  }

  #line(line: string, out: string[]): void {
    if (line === '') {
      if (this.#data.length > 0) out.push(this.#data.join('\n'));
      this.#data = [];
      return;
    }
    if (line.startsWith('data:')) this.#data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
  }
}
