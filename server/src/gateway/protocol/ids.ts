// Random ids for responses, messages and tool calls. Web Crypto (a global in Node 20) keeps this
// folder free of Node modules; ids only need to be unique, not secret.

export function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return Array.from(buffer, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const newChatCompletionId = (): string => `chatcmpl-${randomHex(12)}`;
export const newOpenAiToolCallId = (): string => `call_${randomHex(12)}`;
export const newAnthropicMessageId = (): string => `msg_${randomHex(12)}`;
export const newAnthropicToolUseId = (): string => `toolu_${randomHex(12)}`;
