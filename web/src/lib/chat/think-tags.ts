/**
 * Pure: separates `<think>…</think>` reasoning from answer text in a streamed `content`, with
 * tags that may be cut across chunks (`<thi` + `nk>`) and a block that never closes. Text that
 * could still become a tag is held back until the next chunk decides.
 */
export interface ThinkSplit {
  answer: string;
  reasoning: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

export interface ThinkTagState {
  inside: boolean;
  /** A possible partial tag at the end of the last chunk. */
  held: string;
  /** An opening tag was seen at least once. */
  opened: boolean;
}

export const initialThinkTagState = (): ThinkTagState => ({ inside: false, held: '', opened: false });

/** The length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialTagAtEnd(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}

/**
 * Feeds one chunk of content. Returns the new state and what the chunk added to each side.
 * `final` flushes held text (end of stream). A `</think>` before any opening tag closes a block the chat template opened in the prompt: what came before it was
 * reasoning (`movedToReasoning` tells the caller to move the answer so far).
 */
export function splitThinkTags(state: ThinkTagState, chunk: string, final = false): { state: ThinkTagState; out: ThinkSplit; movedToReasoning: boolean } {
  let text = state.held + chunk;
  let { inside, opened } = state;
  let answer = '';
  let reasoning = '';
  let movedToReasoning = false;
  for (;;) {
    const tag = inside ? CLOSE : OPEN;
    const at = text.indexOf(tag);
    const strayClose = !inside && !opened ? text.indexOf(CLOSE) : -1;
    if (strayClose !== -1 && (at === -1 || strayClose < at)) {
      reasoning += answer + text.slice(0, strayClose);
      answer = '';
      movedToReasoning = true;
      opened = true;
      text = text.slice(strayClose + CLOSE.length);
      continue;
    }
    if (at === -1) break;
    const before = text.slice(0, at);
    if (inside) reasoning += before;
    else answer += before;
    inside = !inside;
    if (inside) opened = true;
    text = text.slice(at + tag.length);
  }
  const keep = final ? 0 : Math.max(partialTagAtEnd(text, inside ? CLOSE : OPEN), !inside && !opened ? partialTagAtEnd(text, CLOSE) : 0);
  const emit = text.slice(0, text.length - keep);
  if (inside) reasoning += emit;
  else answer += emit;
  return { state: { inside, held: text.slice(text.length - keep), opened }, out: { answer, reasoning }, movedToReasoning };
}
