// Bad bodies from clients become 400s naming the field; odd answers from upstreams never crash.
import { describe, expect, it } from 'vitest';
import { anthropicToOpenAiRequest } from './anthropic-to-openai-request.js';
import { anthropicToOpenAiResponse } from './anthropic-to-openai-response.js';
import { anthropicToOpenAiStream } from './anthropic-to-openai-stream.js';
import type { AnthropicMessagesRequest, AnthropicMessagesResponse, AnthropicStreamEvent } from './anthropic/types.js';
import { ConversionError } from './errors.js';
import type { OpenAiChatChunk, OpenAiChatRequest, OpenAiChatResponse, OpenAiErrorBody } from './openai/types.js';
import { openAiToAnthropicRequest } from './openai-to-anthropic-request.js';
import { openAiToAnthropicResponse } from './openai-to-anthropic-response.js';
import { openAiToAnthropicStream } from './openai-to-anthropic-stream.js';

function conversionFailure(run: () => unknown): ConversionError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConversionError) return err;
    throw err;
  }
  throw new Error('expected a ConversionError');
}

describe('malformed client bodies', () => {
  it('an image block without a source is a 400 invalid_request naming it', () => {
    const body = { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'image' }] }] } as unknown as AnthropicMessagesRequest;
    const failure = conversionFailure(() => anthropicToOpenAiRequest(body)).toFailure();
    expect(failure).toMatchObject({ status: 400, code: 'invalid_request', source: 'gateway' });
    expect(failure.param).toMatch(/^messages\.0\.content\.0/);
  });

  it('a tool_use block without input is refused before it reaches an engine', () => {
    const body = { model: 'm', max_tokens: 5, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f' }] }] } as unknown as AnthropicMessagesRequest;
    expect(conversionFailure(() => anthropicToOpenAiRequest(body)).code).toBe('invalid_request');
  });

  it('a tool message without its call id is a 400 naming it', () => {
    const body = { model: 'm', messages: [{ role: 'tool', content: 'x' }] } as unknown as OpenAiChatRequest;
    expect(conversionFailure(() => openAiToAnthropicRequest(body)).param).toBe('messages.0.tool_call_id');
  });
});

describe('odd upstream answers', () => {
  it('a completion without choices becomes an empty message', () => {
    const message = openAiToAnthropicResponse({ id: 'x' } as unknown as OpenAiChatResponse);
    expect(message).toMatchObject({ content: [], stop_reason: 'end_turn', usage: { input_tokens: 0, output_tokens: 0 } });
  });

  it('an Anthropic answer without content becomes an empty completion', () => {
    const completion = anthropicToOpenAiResponse({ id: 'msg_1', stop_reason: 'end_turn' } as unknown as AnthropicMessagesResponse);
    expect(completion.choices[0]?.message.content).toBe('');
  });

  it('stream chunks missing their parts are skipped, and the stream still closes', () => {
    const toAnthropic = openAiToAnthropicStream();
    expect(() => toAnthropic.push({ id: 'c' } as unknown as OpenAiChatChunk)).not.toThrow();
    expect(toAnthropic.end().map((e) => e.type)).toEqual(['message_delta', 'message_stop']);

    const toOpenAi = anthropicToOpenAiStream();
    for (const junk of [{ type: 'message_start' }, { type: 'content_block_start', index: 0 }, { type: 'content_block_delta', index: 0 }, { type: 'message_delta' }]) {
      expect(() => toOpenAi.push(junk as unknown as AnthropicStreamEvent)).not.toThrow();
    }
  });

  it('an mlx_lm-style `{error: "text"}` payload becomes an Anthropic error event with that text', () => {
    const out = openAiToAnthropicStream().push({ error: 'model failed to load' } as unknown as OpenAiErrorBody);
    expect(out).toEqual([{ type: 'error', error: { type: 'api_error', message: 'model failed to load', source: 'upstream' } }]);
  });
});
