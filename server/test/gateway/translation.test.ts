// Translation through the gateway with the real SDKs: an Anthropic client (shaped like Claude
// Code) on a fake OpenAI-only provider, an OpenAI client on a fake Anthropic provider, and an
// Anthropic client on the Anthropic provider (pass-through). The fakes answer from the whole
// conversation (system prompt, last user text, images, tool results), so anything lost fails.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  echoText,
  FAKE_ANTHROPIC_KEY,
  FAKE_OPENAI_KEY,
  promptFromAnthropic,
  promptFromOpenAI,
  startFakeAnthropic,
  startFakeOpenAI,
  type FakeUpstream,
} from '../fixtures/fake-upstreams/index.js';
import { startGatewayHarness, type GatewayHarness } from './harness.js';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const bashTool = {
  name: 'Bash',
  description: 'Run a shell command',
  input_schema: { type: 'object' as const, properties: { command: { type: 'string' }, timeout: { type: 'number' } }, required: ['command'] },
  cache_control: { type: 'ephemeral' as const },
};
const claudeCodeSystem: Anthropic.TextBlockParam[] = [
  { type: 'text', text: 'You are Claude Code, a CLI for coding.', cache_control: { type: 'ephemeral' } },
  { type: 'text', text: 'Answer briefly.' },
];

let h: GatewayHarness;
let fakeOpenAi: FakeUpstream;
let fakeClaude: FakeUpstream;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  h = await startGatewayHarness();
  fakeOpenAi = await startFakeOpenAI();
  fakeClaude = await startFakeAnthropic();
  const oa = await h.addProvider({ name: 'fake-openai', kind: 'openai', base_url: fakeOpenAi.baseURL, api_key: FAKE_OPENAI_KEY, models: ['gpt-fake'] });
  const an = await h.addProvider({ name: 'fake-claude', kind: 'anthropic', base_url: fakeClaude.url, api_key: FAKE_ANTHROPIC_KEY, models: ['claude-fake-sonnet'] });
  await h.addRoute({ match: 'exact', pattern: 'gpt-fake', targets: [{ provider_id: oa.id }] });
  await h.addRoute({ match: 'prefix', pattern: 'claude-code-*', targets: [{ provider_id: oa.id, model: 'gpt-fake' }] });
  await h.addRoute({ match: 'exact', pattern: 'claude-fake-sonnet', targets: [{ provider_id: an.id }] });
  openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: h.key, maxRetries: 0, timeout: 20_000 });
  anthropic = new Anthropic({ baseURL: h.url, apiKey: h.key, maxRetries: 0, timeout: 20_000 });
});

afterAll(async () => {
  await h?.close();
  await fakeOpenAi?.close();
  await fakeClaude?.close();
});

/** The body the fake OpenAI provider received last. */
const lastOpenAiBody = () => fakeOpenAi.requests.at(-1)?.body as Record<string, unknown>;

describe('Anthropic client (Claude Code shape) → OpenAI-only provider through /v1/messages', () => {
  const request: Anthropic.MessageCreateParamsNonStreaming = {
    model: 'claude-code-sonnet',
    max_tokens: 1024,
    system: claudeCodeSystem,
    metadata: { user_id: 'user_abc' },
    thinking: { type: 'enabled', budget_tokens: 1024 },
    tools: [bashTool],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] },
      { role: 'assistant', content: 'A pixel.' },
      { role: 'user', content: [{ type: 'text', text: 'list the files', cache_control: { type: 'ephemeral' } }] },
    ],
  };

  it('keeps system prompt, every message and the image; drops Anthropic-only fields and headers', async () => {
    const msg = await anthropic.messages.create(request, { headers: { 'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14' } });
    const expected = echoText(promptFromAnthropic(request));
    const text = msg.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
    expect(text).toBe(expected);
    expect(text).toContain('You are Claude Code');
    expect(text).toContain('(saw 1 image)');
    const toolUse = msg.content.find((b) => b.type === 'tool_use');
    expect(toolUse).toMatchObject({ type: 'tool_use', name: 'Bash', input: { command: 'list the files', timeout: 42 } });
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.model).toBe('claude-code-sonnet');

    const seen = fakeOpenAi.requests.at(-1)!;
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers['anthropic-beta']).toBeUndefined();
    expect(seen.headers['anthropic-version']).toBeUndefined();
    expect(seen.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    const raw = JSON.stringify(seen.body);
    expect(raw).not.toContain('cache_control');
    expect(raw).not.toContain('"metadata"');
    expect((seen.body as { model: string }).model).toBe('gpt-fake');
  });

  it('streams thinking → text → tool_use with streamed JSON input, and the next turn carries the tool_result', async () => {
    const stream = anthropic.messages.stream({ ...request, messages: [{ role: 'user', content: 'run ls' }] }, { headers: { 'anthropic-beta': 'claude-code-20250219' } });
    const fragments: string[] = [];
    stream.on('streamEvent', (e) => {
      if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta') fragments.push(e.delta.partial_json);
    });
    const first = await stream.finalMessage();
    // Thinking was asked for: the OpenAI-only backend's reasoning comes back as a thinking block first.
    expect(first.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    const toolUse = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(toolUse?.input).toEqual({ command: 'run ls', timeout: 42 });
    expect(fragments.length).toBeGreaterThan(1);
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content.at(-1)?.type).toBe('tool_use');

    const nextTurn: Anthropic.MessageCreateParamsNonStreaming = {
      ...request,
      messages: [
        { role: 'user', content: 'run ls' },
        { role: 'assistant', content: first.content.filter((b) => b.type !== 'thinking') as Anthropic.ContentBlockParam[] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse!.id, content: 'a.txt b.txt' }] },
      ],
    };
    const second = anthropic.messages.stream(nextTurn);
    const final = await second.finalMessage();
    const text = final.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
    expect(text).toBe(echoText(promptFromAnthropic(nextTurn)));
    expect(text).toContain(`(tool ${toolUse!.id} returned: a.txt b.txt)`);
    // The tool call id survived both ways: the upstream saw the same id on the tool message.
    const sent = lastOpenAiBody().messages as { role: string; tool_call_id?: string }[];
    expect(sent.find((m) => m.role === 'tool')?.tool_call_id).toBe(toolUse!.id);
  });

  it('counts tokens with the estimate when the backend has no count_tokens', async () => {
    const r = await anthropic.messages.countTokens({ model: 'claude-code-sonnet', system: claudeCodeSystem, messages: [{ role: 'user', content: 'hello there' }] });
    expect(r.input_tokens).toBeGreaterThan(5);
  });
});

describe('OpenAI client → Anthropic provider through /v1/chat/completions', () => {
  const messages: OpenAI.ChatCompletionMessageParam[] = [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: [{ type: 'text', text: 'Describe' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] },
    { role: 'assistant', content: 'ok' },
    { role: 'user', content: 'what now?' },
  ];
  const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'Bash', parameters: bashTool.input_schema } }];

  it('answers non-streamed with the whole conversation, tool call included', async () => {
    const r = await openai.chat.completions.create({ model: 'claude-fake-sonnet', messages, tools });
    const expected = echoText(promptFromOpenAI({ model: 'x', messages, tools }));
    expect(r.choices[0]?.message.content).toBe(expected);
    expect(r.choices[0]?.message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'Bash' } });
    expect(JSON.parse((r.choices[0]?.message.tool_calls?.[0] as { function: { arguments: string } }).function.arguments)).toEqual({ command: 'what now?', timeout: 42 });
    expect(r.choices[0]?.finish_reason).toBe('tool_calls');
    expect(r.usage?.prompt_tokens).toBeGreaterThan(0);
    const seen = fakeClaude.requests.at(-1)!;
    expect(seen.path).toBe('/v1/messages');
    expect(seen.headers['anthropic-version']).toBe('2023-06-01');
    expect(seen.headers['x-api-key']).toBe(FAKE_ANTHROPIC_KEY);
  });

  it('streams with usage when asked', async () => {
    const stream = await openai.chat.completions.create({ model: 'claude-fake-sonnet', messages, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(echoText(promptFromOpenAI({ model: 'x', messages })));
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });
});

describe('Anthropic client → Anthropic provider (pass-through)', () => {
  it('forwards the body and beta header unchanged, and streams back the provider events', async () => {
    const req: Anthropic.MessageCreateParamsNonStreaming = { model: 'claude-fake-sonnet', max_tokens: 300, system: claudeCodeSystem, thinking: { type: 'enabled', budget_tokens: 1024 }, tools: [bashTool], messages: [{ role: 'user', content: 'pwd' }] };
    const stream = anthropic.messages.stream(req, { headers: { 'anthropic-beta': 'claude-code-20250219' } });
    const final = await stream.finalMessage();
    expect(final.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    const seen = fakeClaude.requests.at(-1)!;
    expect(seen.headers['anthropic-beta']).toBe('claude-code-20250219');
    expect(seen.body).toMatchObject({ system: claudeCodeSystem, thinking: { type: 'enabled', budget_tokens: 1024 }, stream: true });
  });
});

describe('other OpenAI endpoints', () => {
  it('lists provider models that a rule routes, and rule names', async () => {
    const ids = (await openai.models.list()).data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['gpt-fake', 'claude-fake-sonnet']));
    const anthropicIds: string[] = [];
    for await (const m of anthropic.models.list()) anthropicIds.push(m.id);
    expect(anthropicIds.sort()).toEqual([...ids].sort());
  });

  it('relays embeddings (base64, as the SDK asks by default) and text completions, streaming and not', async () => {
    const emb = await openai.embeddings.create({ model: 'gpt-fake', input: ['one', 'two'] });
    expect(emb.data).toHaveLength(2);
    expect(emb.data[0]!.embedding.length).toBeGreaterThan(0);
    expect(fakeOpenAi.requests.at(-1)!.path).toBe('/v1/embeddings');
    const done = await openai.completions.create({ model: 'gpt-fake', prompt: 'Once upon' });
    expect(done.choices[0]?.text).toContain('Once upon');
    const stream = await openai.completions.create({ model: 'gpt-fake', prompt: 'Once upon', stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe(done.choices[0]?.text);
  });

  it('takes bodies far over the management API’s 1 MiB limit (long conversations, images)', async () => {
    const long = 'word '.repeat(600_000); // ~3 MB
    const r = await openai.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: long }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'short end' }] });
    expect(r.choices[0]?.message.content).toBe('you said: short end');
  });

  it('an endpoint the backend lacks is a clear 501 (Anthropic has no embeddings)', async () => {
    const err = await openai.embeddings.create({ model: 'claude-fake-sonnet', input: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 501, error: { code: 'unsupported_endpoint', source: 'gateway' } });
  });
});

