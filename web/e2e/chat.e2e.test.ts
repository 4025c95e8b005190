// Issue 10's chat playground in a real browser, through the gateway like any client: the real
// built-in engine on the tiny GGUF started on demand from the chat, and fake OpenAI/Anthropic
// upstreams added as providers + routes through the API. Send, stream, stop, retry, thinking,
// an image to a vision model, a tool loop with the calculator over MCP, side-by-side compare,
// reload and history; screenshots on desktop and phone, light and dark.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ANTHROPIC_KEY, FAKE_OPENAI_KEY, startFakeAnthropic, startFakeOpenAI, type FakeUpstream } from '../../server/test/fixtures/fake-upstreams/index.js';
import { TINY_GGUF_FILE, TINY_MODEL_SENTENCE, writeTinyModel } from '../../server/test/fixtures/tiny-model/index.js';
import { newPage, registerFirstAdmin, screenshot, startHarness, type Harness } from './harness.js';

const TEST = 'chat';
const admin = { email: 'chat-admin@example.com', password: 'chat-password-1' };
const PHONE = { width: 390, height: 844 };
// A 2×2 PNG (red, green, blue, white).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

let harness: Harness;
let plain: FakeUpstream;
let thinker: FakeUpstream;
let slow: FakeUpstream;
let claude: FakeUpstream;
let ggufDir: string;
let page: Page;

beforeAll(async () => {
  ggufDir = await mkdtemp(join(tmpdir(), 'mlxm-e2e-chat-gguf-'));
  await writeTinyModel(ggufDir, { format: 'gguf' });
  plain = await startFakeOpenAI({ models: ['gpt-fake', 'vision-fake'] });
  thinker = await startFakeOpenAI({ models: ['think-fake'], reasoning: 'always', behaviour: { chunkDelayMs: 60 } });
  slow = await startFakeOpenAI({ models: ['slow-fake'], behaviour: { chunkDelayMs: 250 } });
  claude = await startFakeAnthropic({ models: ['claude-fake'] });
  harness = await startHarness();
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await Promise.all([plain, thinker, slow, claude].map((f) => f?.close()));
  if (ggufDir) await rm(ggufDir, { recursive: true, force: true });
});

/** A management call from the signed-in page (its session cookie). */
async function apiPost(path: string, data: unknown): Promise<{ id: string }> {
  const res = await page.request.post(path, { data });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string };
}

async function addProvider(name: string, kind: 'openai' | 'anthropic', upstream: FakeUpstream, apiKey: string, models: string[]): Promise<void> {
  const provider = await apiPost('/api/providers', { name, kind, base_url: upstream.baseURL, api_key: apiKey, models });
  for (const model of models) await apiPost('/api/routes', { match: 'exact', pattern: model, targets: [{ provider_id: provider.id, model }] });
}

const answers = () => page.getByTestId('answer');
const lastAnswer = () => answers().last();

async function pick(model: string, which: 'Model' | 'Compare with (side by side)' = 'Model'): Promise<void> {
  const select = page.getByLabel(which);
  await expect.poll(() => select.locator('option').allTextContents(), { timeout: 15_000 }).toContainEqual(expect.stringContaining(model));
  const value = await select.locator('option', { hasText: model }).first().getAttribute('value');
  await select.selectOption(value ?? model);
}

async function send(text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/** Waits until no answer streams any more. */
async function settled(timeout = 60_000): Promise<void> {
  await expect.poll(() => page.getByTestId('live-answer').count(), { timeout }).toBe(0);
}

async function newChat(): Promise<void> {
  await page.getByRole('button', { name: 'New chat', exact: true }).click();
  await expect.poll(() => page.getByTestId('user-message').count()).toBe(0);
}

describe('chat playground', () => {
  it('starts the built-in engine on demand from the chat and streams its answer with speed', async () => {
    page = await newPage(harness.browser, harness.server.url);
    await registerFirstAdmin(page, admin);
    await apiPost('/api/profiles', { name: 'tiny', engine: 'builtin', model: join(ggufDir, TINY_GGUF_FILE), threads: 1, start_timeout_seconds: 120, system_prompt: 'You are tiny.' });
    await addProvider('fake-openai', 'openai', plain, FAKE_OPENAI_KEY, ['gpt-fake', 'vision-fake']);
    await addProvider('fake-thinker', 'openai', thinker, FAKE_OPENAI_KEY, ['think-fake']);
    await addProvider('fake-slow', 'openai', slow, FAKE_OPENAI_KEY, ['slow-fake']);
    await addProvider('fake-claude', 'anthropic', claude, FAKE_ANTHROPIC_KEY, ['claude-fake']);

    await page.goto('/chat');
    const select = page.getByLabel('Model');
    await expect.poll(() => select.locator('optgroup').evaluateAll((groups) => groups.map((g) => g.getAttribute('label'))), { timeout: 15_000 }).toEqual(['Starts on demand', 'Providers and routes']);
    await expect.poll(() => select.locator('option', { hasText: 'tiny' }).first().textContent()).toMatch(/tiny — starts on send · builtin/);
    await pick('tiny');
    // The profile's default system prompt is the chat's, shown and editable.
    await expect.poll(() => page.getByTestId('system-prompt').textContent()).toContain('You are tiny.');
    await screenshot(page, TEST, '01-empty');

    // Record every "waiting" line the page shows while the engine loads.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __waiting: string[] }).__waiting = seen;
      new MutationObserver(() => {
        const w = document.querySelector('[data-testid="waiting"]');
        if (w?.textContent && seen.at(-1) !== w.textContent) seen.push(w.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await send('Hello there');
    await expect.poll(() => page.getByTestId('waiting').textContent(), { timeout: 15_000 }).toMatch(/Loading model tiny|Waiting for the first token/);
    // The chat is saved as the turn starts: the list shows it while the model still loads.
    await expect.poll(() => page.getByTestId('chat-list').getByRole('button', { name: /Hello there/ }).count()).toBe(1);
    await screenshot(page, TEST, '02a-loading');
    await settled(120_000);
    const seen = await page.evaluate(() => (window as unknown as { __waiting: string[] }).__waiting);
    expect(seen.some((line) => /Loading model tiny \(engine (stopped|starting)\)/.test(line)), seen.join(' | ')).toBe(true);
    await expect.poll(() => lastAnswer().textContent()).toContain(TINY_MODEL_SENTENCE);
    await expect.poll(() => lastAnswer().getByTestId('answer-stats').textContent()).toMatch(/tok\/s.*first token \d+\.\d+ s.*tokens/);
    await expect.poll(() => page.getByText('engine running').count(), { timeout: 15_000 }).toBe(1);
    await screenshot(page, TEST, '02-tiny-answered');
  }, 180_000);

  it('keeps the chat: reload shows the history, the list finds it by content', async () => {
    await expect.poll(() => new URL(page.url()).searchParams.get('id')).toMatch(/^[0-9a-f-]{36}$/);
    await page.reload();
    await expect.poll(() => page.getByTestId('user-message').textContent(), { timeout: 15_000 }).toContain('Hello there');
    await expect.poll(() => lastAnswer().textContent()).toContain(TINY_MODEL_SENTENCE);
    await expect.poll(() => page.getByTestId('chat-list').getByRole('button', { name: /Hello there/ }).count()).toBe(1);
    await page.getByLabel('Search chats').fill('fixture model answers');
    await expect.poll(() => page.getByTestId('chat-list').getByRole('button', { name: /Hello there/ }).count()).toBe(1);
    await page.getByLabel('Search chats').fill('nothing like this');
    await expect.poll(() => page.getByTestId('chat-list').getByText('No chat matches.').count()).toBe(1);
    await page.getByLabel('Search chats').fill('');

    // Export happens in the browser: a Markdown file and a JSON file of this chat.
    const [md] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '.md' }).click()]);
    expect(md.suggestedFilename()).toBe('Hello-there.md');
    const mdText = await readFile((await md.path()) ?? '', 'utf8');
    expect(mdText).toContain('# Hello there');
    expect(mdText).toContain(`## Assistant (tiny)\n\n${TINY_MODEL_SENTENCE}`);
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '.json' }).click()]);
    const exported = JSON.parse(await readFile((await json.path()) ?? '', 'utf8')) as { title: string; messages: Array<{ role: string }> };
    expect(exported.title).toBe('Hello there');
    expect(exported.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  }, 60_000);

  it('shows thinking in a panel that collapses with its duration when the answer starts', async () => {
    await newChat();
    await pick('think-fake');
    await send('Why is the sky blue');
    const panel = page.getByTestId('live-answer').getByTestId('thinking');
    await expect.poll(() => panel.evaluate((d) => (d as HTMLDetailsElement).open), { timeout: 15_000 }).toBe(true);
    await settled();
    const done = lastAnswer().getByTestId('thinking');
    await expect.poll(() => done.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await expect.poll(() => done.locator('summary').textContent()).toMatch(/Thought for \d+\.\d s/);
    await done.locator('summary').click();
    await expect.poll(() => done.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await expect.poll(() => done.textContent()).toMatch(/\S+/);
    await expect.poll(() => lastAnswer().textContent()).toContain('you said: Why is the sky blue');
    await screenshot(page, TEST, '03-thinking');
  }, 60_000);

  it('stops an answer mid-stream, then retries it to the end', async () => {
    await newChat();
    await pick('slow-fake');
    const words = Array.from({ length: 16 }, (_, i) => `word${i + 1}`).join(' ');
    await send(words);
    const live = page.getByTestId('live-answer');
    await expect.poll(() => live.textContent(), { timeout: 15_000 }).toContain('word2');
    await page.getByRole('button', { name: 'Stop' }).click();
    await settled();
    await expect.poll(() => lastAnswer().textContent()).toContain('Stopped');
    expect(await lastAnswer().textContent()).not.toContain('word16');
    // The upstream saw its client leave.
    await expect.poll(() => slow.requests.at(-1)?.aborted, { timeout: 10_000 }).toBe(true);

    await lastAnswer().getByRole('button', { name: 'Retry' }).click();
    await settled();
    await expect.poll(() => answers().count()).toBe(1);
    await expect.poll(() => lastAnswer().textContent()).toContain('word16');
    expect(await lastAnswer().textContent()).not.toContain('Stopped');
  }, 90_000);

  it('edits and resends a message: the turn and its answer are replaced', async () => {
    await page.getByTestId('user-message').getByRole('button', { name: 'Edit and resend' }).click();
    await expect.poll(() => page.getByLabel('Message', { exact: true }).inputValue()).toContain('word1');
    await page.getByLabel('Message', { exact: true }).fill('short one');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await settled();
    await expect.poll(() => page.getByTestId('user-message').count()).toBe(1);
    await expect.poll(() => lastAnswer().textContent()).toContain('you said: short one');
  }, 60_000);

  it('sends an image to a vision model as image_url, and refuses what cannot be sent', async () => {
    await newChat();
    await pick('tiny');
    const input = page.getByTestId('file-input');
    await input.setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'reads text only' }).count()).toBe(1);
    await pick('vision-fake');
    await input.setInputFiles({ name: 'tool.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'only images, videos and text or code files' }).count()).toBe(1);
    await input.setInputFiles([{ name: 'dot.png', mimeType: 'image/png', buffer: PNG }, { name: 'notes.md', mimeType: '', buffer: Buffer.from('# Notes\nremember the milk') }]);
    await expect.poll(() => page.getByRole('list', { name: 'Attachments' }).getByRole('img', { name: 'dot.png' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('list', { name: 'Attachments' }).getByText('notes.md').count()).toBe(1);
    await send('What is in the picture?');
    await settled();
    await expect.poll(() => lastAnswer().textContent()).toContain('(saw 1 image)');
    const sent = plain.requests.at(-1)?.body as { messages: Array<{ role: string; content: unknown }> };
    const parts = sent.messages.at(-1)?.content as Array<{ type: string; text?: string; image_url?: { url: string } }>;
    expect(parts.map((p) => p.type)).toEqual(['text', 'image_url', 'text']);
    expect(parts[1]?.image_url?.url).toMatch(/^data:image\/png;base64,/);
    expect(parts[2]?.text).toBe('[File: notes.md]\n# Notes\nremember the milk');
    // History keeps a thumbnail, not the picture.
    await expect.poll(() => page.getByTestId('user-message').getByRole('img', { name: 'dot.png' }).getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/);
    await screenshot(page, TEST, '04-image');

    // Drag-and-drop and paste attach too (a code file by its name, a pasted picture).
    await page.evaluate(() => {
      const dropped = new DataTransfer();
      dropped.items.add(new File(['print(1)'], 'script.py', { type: 'text/x-python' }));
      document.querySelector('[data-testid="composer"]')?.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => page.getByRole('list', { name: 'Attachments' }).getByText('script.py').count()).toBe(1);
    await page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const pasted = new DataTransfer();
      pasted.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
      document.getElementById('chat-input')?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
    }, PNG.toString('base64'));
    await expect.poll(() => page.getByRole('list', { name: 'Attachments' }).getByRole('img', { name: 'pasted.png' }).count()).toBe(1);
    // A short video recorded in the page: frames are sampled in the browser and sent as pictures.
    await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 48;
      const ctx = canvas.getContext('2d');
      const recorder = new MediaRecorder(canvas.captureStream(15), { mimeType: 'video/webm' });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => chunks.push(e.data);
      const stopped = new Promise((resolve) => (recorder.onstop = resolve));
      recorder.start();
      for (let i = 0; i < 12; i++) {
        if (ctx) {
          ctx.fillStyle = `hsl(${i * 30}, 80%, 50%)`;
          ctx.fillRect(0, 0, 64, 48);
        }
        await new Promise((r) => setTimeout(r, 80));
      }
      recorder.stop();
      await stopped;
      const dropped = new DataTransfer();
      dropped.items.add(new File(chunks, 'clip.webm', { type: 'video/webm' }));
      document.querySelector('[data-testid="composer"]')?.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true }));
    });
    // The refusal (if any) is in the failure message.
    await expect
      .poll(async () => ((await page.getByRole('list', { name: 'Attachments' }).getByRole('img', { name: 'clip.webm' }).count()) === 1 ? 'attached' : (await page.getByRole('alert').allTextContents()).join(' | ')), { timeout: 20_000 })
      .toBe('attached');
    await page.getByRole('button', { name: 'Remove script.py' }).click();
    await page.getByRole('button', { name: 'Remove pasted.png' }).click();
    await send('And this clip?');
    await settled();
    await expect.poll(() => lastAnswer().textContent()).toContain('(saw 6 images)');
    const clipParts = ((plain.requests.at(-1)?.body as { messages: Array<{ content: unknown }> }).messages.at(-1)?.content ?? []) as Array<{ type: string; text?: string }>;
    expect(clipParts[1]?.text).toBe('[Video: clip.webm, 6 frames in order]');
    expect(clipParts.filter((p) => p.type === 'image_url')).toHaveLength(6);

    await expect.poll(() => page.getByRole('list', { name: 'Attachments' }).count()).toBe(0);
  }, 60_000);

  it('sends the chat’s own generation settings and keeps them with the chat', async () => {
    await newChat();
    await pick('gpt-fake');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Temperature').fill('0.3');
    await page.getByLabel('Max tokens').fill('4');
    await page.getByLabel('Top-p').fill('0.9');
    await page.getByLabel('System prompt').fill('Answer in words.');
    await page.getByLabel('System prompt').press('Tab');
    await send('alpha beta gamma delta epsilon');
    await settled();
    // max_tokens 4 cut the fake's answer after four words.
    await expect.poll(() => lastAnswer().textContent()).toContain('[system: Answer in words.]');
    expect(await lastAnswer().textContent()).not.toContain('alpha');
    const body = plain.requests.at(-1)?.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'gpt-fake', temperature: 0.3, max_tokens: 4, top_p: 0.9, stream: true });
    expect((body.messages as Array<{ role: string; content: string }>)[0]).toEqual({ role: 'system', content: 'Answer in words.' });
    await page.reload();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect.poll(() => page.getByLabel('Temperature').inputValue(), { timeout: 15_000 }).toBe('0.3');
    await expect.poll(() => page.getByLabel('Max tokens').inputValue()).toBe('4');
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
  }, 60_000);

  it('discovers tools over MCP and runs a tool loop: call, result bubble, answer with the result', async () => {
    await newChat();
    await pick('gpt-fake');
    await page.getByRole('button', { name: /Tools \(2\) off/ }).click();
    await expect.poll(() => page.getByRole('button', { name: /Tools \(2\) on/ }).getAttribute('aria-pressed')).toBe('true');
    await send('2^10+0.5');
    await settled();
    const bubble = lastAnswer().getByTestId('tool-call');
    await expect.poll(() => bubble.locator('summary').textContent()).toContain('calculator');
    await bubble.locator('summary').click();
    await expect.poll(() => bubble.getByTestId('tool-result').textContent()).toContain('"result": 1024.5');
    await expect.poll(() => lastAnswer().textContent()).toMatch(/returned: \{"expression":"2\^10\+0\.5","result":1024\.5\}/);
    // Two model rounds: the second carried the assistant's call and the tool's result.
    const rounds = plain.requests.filter((r) => r.path === '/v1/chat/completions').slice(-2);
    expect((rounds[0]?.body as { tools?: Array<{ function: { name: string } }> }).tools?.map((t) => t.function.name).sort()).toEqual(['calculator', 'weather']);
    const second = (rounds[1]?.body as { messages: Array<{ role: string; tool_call_id?: string }> }).messages;
    expect(second.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    await screenshot(page, TEST, '05-tools');

    // Reloading shows the tool bubble from history.
    await page.reload();
    await expect.poll(() => page.getByTestId('tool-call').count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('button', { name: /Tools \(2\) on/ }).click();
  }, 60_000);

  it('compares a local model with a cloud one side by side, each with its speed', async () => {
    await newChat();
    await pick('tiny');
    await pick('claude-fake', 'Compare with (side by side)');
    await send('Compare us');
    await settled(120_000);
    await expect.poll(() => answers().count()).toBe(2);
    const [left, right] = [answers().nth(0), answers().nth(1)];
    await expect.poll(() => left.textContent()).toContain(TINY_MODEL_SENTENCE);
    await expect.poll(() => right.textContent()).toContain('you said: Compare us');
    for (const a of [left, right]) await expect.poll(() => a.getByTestId('answer-stats').textContent()).toMatch(/tok\/s/);
    const boxes = await Promise.all([left.boundingBox(), right.boundingBox()]);
    expect(boxes[0] && boxes[1] && Math.abs(boxes[0].y - boxes[1].y) < 5 && boxes[1].x > boxes[0].x + 200).toBe(true);
    await screenshot(page, TEST, '06-compare');
  }, 150_000);

  it('looks right on desktop and phone, light and dark', async () => {
    const chatUrl = new URL(page.url());
    await page.goto(`/chat?id=${chatUrl.searchParams.get('id') ?? ''}`);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 1280, height: 800 });
      await expect.poll(() => answers().count(), { timeout: 15_000 }).toBe(2);
      // Let colour transitions finish before the picture.
      await page.waitForTimeout(400);
      await screenshot(page, TEST, `07-desktop-${scheme}`);
      await page.setViewportSize(PHONE);
      // Nothing may be wider than the phone (no sideways scrolling).
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await screenshot(page, TEST, `08-phone-${scheme}`);
    }
  }, 60_000);

  it('renders a Markdown answer with the shared prose styles: list, table, code block with its copy button', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
    // A saved chat whose answer is Markdown (the fake upstreams squash whitespace when they echo).
    const markdown = 'Formatted:\n\n## Steps\n\n1. first\n2. second\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint("hi")\n```\n\nSee `code` and [docs](https://example.org).';
    const chat = await apiPost('/api/chats', {
      title: 'Markdown answer',
      messages: [
        { id: 'm1', role: 'user', content: 'Show me Markdown', created_at: new Date().toISOString() },
        { id: 'm2', role: 'assistant', content: markdown, model: 'claude-fake', created_at: new Date().toISOString() },
      ],
    });
    await page.goto(`/chat?id=${chat.id}`);
    const answer = lastAnswer();
    await expect.poll(() => answer.locator('.code-block').count(), { timeout: 15_000 }).toBe(1);
    expect(await answer.getByRole('button', { name: 'Copy code' }).isVisible()).toBe(true);
    expect(await answer.getByRole('heading', { name: 'Steps', level: 2 }).isVisible()).toBe(true);
    expect(await answer.locator('ol').evaluate((ol) => getComputedStyle(ol).listStyleType)).toBe('decimal');
    expect(await answer.locator('td').first().evaluate((td) => getComputedStyle(td).borderTopWidth)).toBe('1px');
    // One frame around the code: the block's, not a second one from the generic `pre` rule.
    expect(await answer.locator('.code-block pre').evaluate((pre) => getComputedStyle(pre).backgroundColor)).toBe('rgba(0, 0, 0, 0)');
    await screenshot(page, TEST, '09-markdown');
  }, 60_000);
});
