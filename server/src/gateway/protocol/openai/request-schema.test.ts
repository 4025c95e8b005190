import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../__fixtures__/load.js';
import { checkOpenAiChatRequest } from './request-schema.js';

describe('checkOpenAiChatRequest', () => {
  it('accepts a request with images, tool calls and tool results', () => {
    expect(checkOpenAiChatRequest(fixtureJson('openai-images-tools.request.json')).ok).toBe(true);
  });

  it('refuses a tool message without tool_call_id and an empty message list, naming the field', () => {
    const noId = checkOpenAiChatRequest({ model: 'm', messages: [{ role: 'tool', content: 'x' }] });
    expect(noId.ok).toBe(false);
    if (!noId.ok) expect(noId.failure).toMatchObject({ status: 400, param: 'messages.0.tool_call_id' });
    const empty = checkOpenAiChatRequest({ model: 'm', messages: [] });
    if (!empty.ok) expect(empty.failure.param).toBe('messages');
    expect(empty.ok).toBe(false);
  });

  it('refuses a body that is not an object', () => {
    expect(checkOpenAiChatRequest('hello').ok).toBe(false);
  });
});
