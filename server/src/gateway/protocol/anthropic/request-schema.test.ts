import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../__fixtures__/load.js';
import { checkAnthropicCountTokensRequest, checkAnthropicMessagesRequest } from './request-schema.js';

describe('checkAnthropicMessagesRequest', () => {
  it('accepts Claude Code’s turns unchanged, unknown fields included', () => {
    for (const name of ['claude-code-first-turn.request.json', 'claude-code-second-turn.request.json']) {
      const body = { ...fixtureJson<Record<string, unknown>>(name), context_management: { edits: [] } };
      const result = checkAnthropicMessagesRequest(body);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.value).toBe(body);
    }
  });

  it('refuses a body without max_tokens with a 400 naming it', () => {
    const result = checkAnthropicMessagesRequest({ model: 'm', messages: [] });
    expect(result).toEqual({ ok: false, failure: expect.objectContaining({ status: 400, param: 'max_tokens', source: 'gateway' }) });
  });

  it('refuses a malformed known block but lets a block type it does not know through', () => {
    const malformed = checkAnthropicMessagesRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'tool_use', name: 'x' }] }] });
    expect(malformed.ok).toBe(false);
    if (!malformed.ok) expect(malformed.failure.param).toMatch(/^messages\.0\.content\.0/);
    const novel = checkAnthropicMessagesRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'search_result', source: 's' }] }] });
    expect(novel.ok).toBe(true);
  });

  it('refuses a temperature above Anthropic’s range and a role it does not have', () => {
    expect(checkAnthropicMessagesRequest({ model: 'm', max_tokens: 5, temperature: 1.5, messages: [] }).ok).toBe(false);
    expect(checkAnthropicMessagesRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] }).ok).toBe(false);
  });

  it('lets count_tokens leave max_tokens out', () => {
    expect(checkAnthropicCountTokensRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).ok).toBe(true);
    expect(checkAnthropicCountTokensRequest({ messages: [] }).ok).toBe(false);
  });
});
