// Reasoning written inline as `<think>…</think>` at the start of the content, for engines run
// without a reasoning parser. Only a leading tag counts: a `<think>` later in an answer is text the
// model chose to write. Why this is opt-in: docs/gateway-protocols.md ("Reasoning").

const OPEN = '<think>';
const CLOSE = '</think>';

export interface ThinkSplit {
  thinking: string;
  text: string;
}

/** Whole-answer form. An unclosed tag (the answer was cut off) leaves everything as thinking. */
export function splitThinkTags(content: string): ThinkSplit {
  const start = content.length - content.trimStart().length;
  if (!content.startsWith(OPEN, start)) return { thinking: '', text: content };
  const body = content.slice(start + OPEN.length);
  const end = body.indexOf(CLOSE);
  if (end < 0) return { thinking: body, text: '' };
  return { thinking: body.slice(0, end), text: body.slice(end + CLOSE.length).replace(/^\s+/, '') };
}

/** Streaming form: feed content fragments, get the thinking and text they amount to so far. */
export class ThinkTagStream {
  private state: 'undecided' | 'thinking' | 'after-thinking' | 'text' = 'undecided';
  private held = '';

  push(fragment: string): ThinkSplit {
    this.held += fragment;
    const out: ThinkSplit = { thinking: '', text: '' };
    if (this.state === 'undecided') {
      const lead = this.held.trimStart();
      if (lead.length < OPEN.length && OPEN.startsWith(lead)) return out;
      if (lead.startsWith(OPEN)) {
        this.state = 'thinking';
        this.held = lead.slice(OPEN.length);
      } else this.state = 'text';
    }
    if (this.state === 'thinking') {
      const end = this.held.indexOf(CLOSE);
      if (end >= 0) {
        out.thinking = this.held.slice(0, end);
        this.held = this.held.slice(end + CLOSE.length);
        this.state = 'after-thinking';
      } else {
        // Keep back a tail that could be the start of `</think>`.
        const keep = partialSuffix(this.held, CLOSE);
        out.thinking = this.held.slice(0, this.held.length - keep);
        this.held = this.held.slice(this.held.length - keep);
        return out;
      }
    }
    if (this.state === 'after-thinking') {
      // Templates put a newline or two after `</think>`; the text block starts at the first character.
      this.held = this.held.replace(/^\s+/, '');
      if (this.held === '') return out;
      this.state = 'text';
    }
    out.text = this.held;
    this.held = '';
    return out;
  }

  /** What is still held back when the stream ends. */
  flush(): ThinkSplit {
    const held = this.held;
    this.held = '';
    if (this.state === 'thinking') return { thinking: held, text: '' };
    if (this.state === 'after-thinking') return { thinking: '', text: '' };
    return { thinking: '', text: held };
  }
}

/** Length of the longest end of `text` that begins `tag`. */
function partialSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}
