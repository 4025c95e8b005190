// The official SDKs read what the converters and frame writers produce: each client gets a fetch
// that answers with our bytes (no network), so a frame the SDK would skip or misparse fails here.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { fixtureSse } from './__fixtures__/load.js';
import { anthropicEventFrame } from './anthropic/sse.js';
import type { AnthropicStreamEvent } from './anthropic/types.js';
import { anthropicToOpenAiStream } from './anthropic-to-openai-stream.js';
import { anthropicErrorBody, anthropicStreamErrorFrame, openAiErrorBody, openAiStreamErrorFrame, type GatewayFailure } from './errors.js';
import { OPENAI_DONE_FRAME, openAiDataFrame } from './openai/sse.js';
import type { OpenAiChatChunk } from './openai/types.js';
import { openAiToAnthropicStream } from './openai-to-anthropic-stream.js';

/** A fetch that answers every request with one canned response, the body cut into small pieces. */
function answering(status: number, body: string, contentType: string): typeof fetch {
  return () => {
    const bytes = new TextEncoder().encode(body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        // Odd-sized pieces: frames must survive being split anywhere.
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    return Promise.resolve(new Response(stream, { status, headers: { 'content-type': contentType } }));
  };
}

const anthropicClient = (fetchImpl: typeof fetch) => new Anthropic({ apiKey: 'test-key', baseURL: 'http://127.0.0.1:9', maxRetries: 0, fetch: fetchImpl });
const openAiClient = (fetchImpl: typeof fetch) => new OpenAI({ apiKey: 'test-key', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0, fetch: fetchImpl });
const SSE = 'text/event-stream';
const question = { model: 'qwen3-coder-local', max_tokens: 1024, messages: [{ role: 'user' as const, content: 'Weather in Paris?' }] };

function anthropicStreamBody(trailer = ''): string {
  const translator = openAiToAnthropicStream({ model: 'qwen3-coder-local', inputTokens: 18 });
  const chunks = fixtureSse<OpenAiChatChunk>('openai-thinking-text-tool.chunks.txt');
  const events = [...chunks.flatMap((c) => translator.push(c)), ...translator.end()];
  if (trailer !== '') return events.slice(0, 6).map(anthropicEventFrame).join('') + trailer;
  return events.map(anthropicEventFrame).join('');
}

describe('@anthropic-ai/sdk reads a translated OpenAI stream', () => {
  it('accumulates thinking, text and the tool input streamed in fragments', async () => {
    const stream = anthropicClient(answering(200, anthropicStreamBody(), SSE)).messages.stream(question);
    const final = await stream.finalMessage();
    expect(final.content).toEqual([
      { type: 'thinking', thinking: 'The user wants the weather.', signature: '' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_abc', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage).toMatchObject({ input_tokens: 20, output_tokens: 12 });
  });

  it('gets nothing from the same frames without their event lines (why every frame carries one)', async () => {
    const unnamed = anthropicStreamBody().replace(/^event: .*\n/gm, '');
    const stream = anthropicClient(answering(200, unnamed, SSE)).messages.stream(question);
    await expect(stream.finalMessage()).rejects.toThrow();
  });

  it('throws on a mid-stream error event, with its message', async () => {
    const failure: GatewayFailure = { status: 502, message: 'engine crashed mid-answer', code: 'upstream_failed', source: 'upstream' };
    const stream = anthropicClient(answering(200, anthropicStreamBody(anthropicStreamErrorFrame(failure)), SSE)).messages.stream(question);
    await expect(stream.finalMessage()).rejects.toThrow(/engine crashed mid-answer/);
  });

  it('raises NotFoundError from our Anthropic error envelope', async () => {
    const body = JSON.stringify(anthropicErrorBody({ status: 404, message: 'no such model', code: 'model_not_found', source: 'gateway' }));
    const error = await anthropicClient(answering(404, body, 'application/json')).messages.create(question).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error', message: 'no such model' } });
  });
});

function openAiStreamBody(trailer = ''): string {
  const translator = anthropicToOpenAiStream({ includeUsage: true, model: 'my-claude' });
  const events = fixtureSse<AnthropicStreamEvent>('anthropic-thinking-text-tool.chunks.txt');
  const out = [...events.flatMap((e) => translator.push(e)), ...translator.end()];
  if (trailer !== '') return out.slice(0, 3).map(openAiDataFrame).join('') + trailer;
  return out.map(openAiDataFrame).join('') + OPENAI_DONE_FRAME;
}

describe('openai reads a translated Anthropic stream', () => {
  const request = { model: 'my-claude', messages: [{ role: 'user' as const, content: 'Weather in Paris?' }], stream_options: { include_usage: true } };

  it('accumulates the text and the tool call, with the finish reason and usage', async () => {
    const stream = openAiClient(answering(200, openAiStreamBody(), SSE)).chat.completions.stream(request);
    const final = await stream.finalChatCompletion();
    const choice = final.choices[0];
    expect(choice?.message.content).toBe('Checking.');
    expect(choice?.message.tool_calls).toEqual([{ id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } }]);
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(final.usage).toMatchObject({ prompt_tokens: 25, completion_tokens: 42 });
  });

  it('throws on a mid-stream error payload, with its message', async () => {
    const failure: GatewayFailure = { status: 504, message: 'no token for 60 s', code: 'upstream_timeout', source: 'gateway' };
    const stream = openAiClient(answering(200, openAiStreamBody(openAiStreamErrorFrame(failure)), SSE)).chat.completions.stream(request);
    await expect(stream.finalChatCompletion()).rejects.toThrow(/no token for 60 s/);
  });

  it('raises NotFoundError with our code from the OpenAI error envelope', async () => {
    const body = JSON.stringify(openAiErrorBody({ status: 404, message: 'no such model', code: 'model_not_found', source: 'gateway', param: 'model' }));
    const error = await openAiClient(answering(404, body, 'application/json')).chat.completions.create({ model: 'x', messages: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ code: 'model_not_found', param: 'model', type: 'not_found_error' });
  });
});
