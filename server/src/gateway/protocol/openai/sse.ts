// Server-sent-event frames of an OpenAI stream: one `data:` line per JSON payload, `[DONE]` at
// the end. An error after the stream began is a data frame whose payload has an `error` key (the
// SDK throws on it) and the stream then closes without `[DONE]`. See docs/gateway-protocols.md.

/** A chunk, or an `{error}` body in the middle of a stream. */
export const openAiDataFrame = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;

export const OPENAI_DONE_FRAME = 'data: [DONE]\n\n';

/** A comment line: keeps proxies and clients from timing out during long silences; parsers skip it. */
export const SSE_COMMENT_PING_FRAME = ': ping\n\n';

/** Response headers of every SSE answer (`x-accel-buffering: no` stops reverse proxies buffering it). */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
});
