// Through one converter and back: what both protocols can say must come back as it went in.
import { describe, expect, it } from 'vitest';
import { fixtureJson, fixtureSse } from './__fixtures__/load.js';
import { anthropicToOpenAiRequest } from './anthropic-to-openai-request.js';
import { anthropicToOpenAiResponse } from './anthropic-to-openai-response.js';
import { anthropicToOpenAiStream } from './anthropic-to-openai-stream.js';
import type { AnthropicMessagesRequest, AnthropicMessagesResponse } from './anthropic/types.js';
import type { OpenAiChatChunk, OpenAiChatResponse, OpenAiErrorBody } from './openai/types.js';
import { openAiToAnthropicRequest } from './openai-to-anthropic-request.js';
import { openAiToAnthropicResponse } from './openai-to-anthropic-response.js';
import { openAiToAnthropicStream } from './openai-to-anthropic-stream.js';

describe('Anthropic request → OpenAI → Anthropic', () => {
  const original = fixtureJson<AnthropicMessagesRequest>('claude-code-second-turn.request.json');
  const back = openAiToAnthropicRequest(anthropicToOpenAiRequest(original).body).body;

  it('keeps the system prompt, limits, user id and tools', () => {
    expect(back.system).toEqual([{ type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." }]);
    expect(back.max_tokens).toBe(original.max_tokens);
    expect(back.metadata).toEqual({ user_id: original.metadata?.user_id });
    expect(back.tools).toEqual(original.tools);
    expect(back.stream).toBe(true);
  });

  it('keeps every turn, tool call id, input and result; only thinking and cache hints are gone', () => {
    expect(back.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is the weather in Paris? Use the tool.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_abc', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_def', name: 'Bash', input: { command: 'date -u' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_abc', content: '18°C, light rain' },
          { type: 'tool_result', tool_use_id: 'call_def', content: 'Error: date: command timed out' },
          { type: 'text', text: 'Thanks. Summarise in one line.' },
        ],
      },
    ]);
  });
});

describe('responses both ways', () => {
  it('OpenAI → Anthropic → OpenAI keeps content, reasoning, tool calls, finish reason and usage', () => {
    const original = fixtureJson<OpenAiChatResponse>('openai-tool-calls.response.json');
    const back = anthropicToOpenAiResponse(openAiToAnthropicResponse(original), { created: original.created });
    expect(back.choices[0]?.message).toEqual({ ...original.choices[0]?.message });
    expect(back.choices[0]?.finish_reason).toBe('tool_calls');
    expect(back.usage).toEqual({ prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, prompt_tokens_details: { cached_tokens: 100 } });
  });

  it('Anthropic → OpenAI → Anthropic keeps blocks, stop reason and the total prompt size', () => {
    const original = fixtureJson<AnthropicMessagesResponse>('anthropic-tool-use.response.json');
    const back = openAiToAnthropicResponse(anthropicToOpenAiResponse(original));
    expect(back.content).toEqual(original.content.map((b) => (b.type === 'thinking' ? { ...b, signature: '' } : b)));
    expect(back.stop_reason).toBe('tool_use');
    const total = (u: AnthropicMessagesResponse['usage']) => u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
    expect(total(back.usage)).toBe(total(original.usage));
    expect(back.usage.cache_read_input_tokens).toBe(7);
  });
});

describe('streams OpenAI → Anthropic → OpenAI', () => {
  it('the client sees the same reasoning, text, tool call and finish reason the engine sent', () => {
    const upstream = fixtureSse<OpenAiChatChunk>('openai-thinking-text-tool.chunks.txt');
    const toAnthropic = openAiToAnthropicStream();
    const toOpenAi = anthropicToOpenAiStream({ includeUsage: true });
    const events = [...upstream.flatMap((c) => toAnthropic.push(c)), ...toAnthropic.end()];
    const out = [...events.flatMap((e) => toOpenAi.push(e)), ...toOpenAi.end()].filter((c): c is OpenAiChatChunk => !('error' in (c as OpenAiErrorBody)));

    const summary = (chunks: OpenAiChatChunk[]) => {
      const deltas = chunks.flatMap((c) => c.choices.map((ch) => ch.delta));
      return {
        reasoning: deltas.map((d) => d.reasoning_content ?? '').join(''),
        text: deltas.map((d) => d.content ?? '').join(''),
        calls: deltas.flatMap((d) => d.tool_calls ?? []).map((t) => `${t.index}:${t.id ?? ''}:${t.function?.name ?? ''}:${t.function?.arguments ?? ''}`).join('|'),
        finish: chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter((f) => f !== null),
        usage: chunks.find((c) => c.choices.length === 0)?.usage,
      };
    };
    expect(summary(out)).toEqual(summary(upstream));
  });
});
