// Tool arguments travel as JSON text in OpenAI and as an object in Anthropic.

/**
 * The object an OpenAI `arguments` string encodes. Anthropic requires an object: empty text is
 * `{}`, and text that is not a JSON object is kept whole under `_raw` so nothing the model wrote is
 * lost (the client's tool validation then reports it).
 */
export function parseToolArguments(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through: not JSON
  }
  return { _raw: text };
}

const TOOL_ID = /^[A-Za-z0-9_-]+$/;

/** Anthropic tool ids are letters, digits, `_` and `-`; engines sometimes use other characters. */
export function anthropicToolId(id: string | undefined, fresh: () => string): string {
  if (id === undefined || id === '') return fresh();
  return TOOL_ID.test(id) ? id : id.replace(/[^A-Za-z0-9_-]/g, '_');
}
