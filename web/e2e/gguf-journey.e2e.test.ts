// Issue 9's newcomer path on a GGUF repo, in a real browser against the fake hub: search →
// download one quantization → toast → "Use it" → the form has the built-in engine and the file
// picked from disk → save (toast) → Start → ready → a chat completion through the gateway's
// /v1/chat/completions with the session cookie. The model page shows the card (sanitised),
// quantizations and the profile. Desktop (1280×800) and phone (390×844).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildTinyModelFiles, TINY_GGUF_FILE, TINY_MODEL_SENTENCE } from '../../server/test/fixtures/tiny-model/index.js';
import { newPage, registerFirstAdmin, screenshot, startHarnessWithHub, type HubHarness } from './harness.js';

const TEST = 'gguf-journey';
const admin = { email: 'journey-admin@example.com', password: 'journey-password-1' };
const GGUF = 'test-org/Tiny-GGUF';
/** Saved as a profile before it is downloaded: its start says so and leads to the download. */
const LATER = 'test-org/Later-GGUF';
const PHONE = { width: 390, height: 844 };
const README = '---\nlicense: mit\n---\n# Tiny GGUF\n\nA **tiny** model for tests.\n\n<img src="x" onerror="window.__pwned = true">\n';

let harness: HubHarness;

let noEngines: string;

beforeAll(async () => {
  // The journey meets a machine without the Python engines, whatever this one has installed:
  // the server searches an empty folder for them (the built-in engine needs none).
  noEngines = await mkdtemp(join(tmpdir(), 'mlxm-e2e-no-engines-'));
  const weights = buildTinyModelFiles('gguf').get(TINY_GGUF_FILE);
  if (!weights) throw new Error('the tiny GGUF fixture is missing');
  harness = await startHarnessWithHub({
    repos: [
      {
        id: GGUF,
        tags: ['gguf', 'llama', 'text-generation'],
        downloads: 800,
        likes: 3,
        libraryName: 'gguf',
        files: [
          { path: 'README.md', content: README },
          { path: TINY_GGUF_FILE, content: Buffer.from(weights) },
        ],
      },
      {
        id: LATER,
        tags: ['gguf', 'llama', 'text-generation'],
        libraryName: 'gguf',
        files: [{ path: 'later-Q4_K_M.gguf', content: Buffer.from(weights) }],
      },
    ],
  }, { MLX_MANAGER_ENGINES_BIN: noEngines });
}, 120_000);

afterAll(async () => {
  await harness?.close();
  await rm(noEngines, { recursive: true, force: true });
});

/** Chat through the gateway from the page itself: same origin, the session cookie, JSON. */
async function chat(page: Page, model: string): Promise<{ status: number; content: string | undefined }> {
  return page.evaluate(async (name) => {
    const res = await fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: name, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 64 }),
    });
    const body = (await res.json()) as { choices?: { message?: { content?: string } }[] };
    return { status: res.status, content: body.choices?.[0]?.message?.content };
  }, model);
}

async function startFromPicker(page: Page, profile: string): Promise<void> {
  await page.goto('/servers');
  const start = page.getByRole('button', { name: 'Start', exact: true });
  // Nothing picked: nothing to start.
  await expect.poll(() => start.isDisabled(), { timeout: 10_000 }).toBe(true);
  await page.getByRole('combobox', { name: 'Profile to start' }).fill(profile);
  await page.getByRole('option', { name: new RegExp(profile) }).click();
  await start.click();
}

describe('newcomer journey on a GGUF repo', () => {
  it('downloads, uses, saves, starts and chats — desktop, then phone', async () => {
    const page = await newPage(harness.browser, harness.server.url);
    await registerFirstAdmin(page, admin);

    // Search the hub for GGUF models and download the one quantization there is.
    await page.goto('/models');
    await page.getByRole('tab', { name: 'Hub' }).click();
    await page.getByLabel('Format').selectOption('gguf');
    await page.getByRole('searchbox', { name: 'Search the hub' }).fill('tiny');
    await expect.poll(() => page.getByTestId('hub-tile').count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('button', { name: `Download ${GGUF}` }).click();
    const picker = page.getByRole('dialog', { name: 'Pick a quantization' });
    await expect.poll(() => picker.getByRole('radio').count(), { timeout: 15_000 }).toBe(1);
    await picker.getByRole('button', { name: 'Download' }).click();
    const toast = page.getByTestId('toast').filter({ hasText: `${GGUF} is downloaded.` });
    await expect.poll(() => toast.isVisible(), { timeout: 60_000 }).toBe(true);
    await screenshot(page, TEST, '01-downloaded-toast');

    // "Use it": the built-in engine (nothing to install) and the only file on disk, already picked.
    await toast.getByRole('link', { name: 'Use it' }).click();
    await page.waitForURL(/\/profiles\/new\?model=/);
    await expect.poll(() => page.getByLabel('Model', { exact: true }).inputValue(), { timeout: 10_000 }).toBe(GGUF);
    await expect.poll(() => page.getByLabel('Engine').inputValue(), { timeout: 10_000 }).toBe('builtin');
    await expect.poll(() => page.getByLabel('File (quantization)').inputValue(), { timeout: 10_000 }).toBe(TINY_GGUF_FILE);
    // The engine list says what this machine has: the built-in engine with its version.
    await expect
      .poll(() => page.getByLabel('Engine').locator('option[value="builtin"]').textContent(), { timeout: 30_000 })
      .toMatch(/^Built-in \(GGUF\) · built-in \(node-llama-cpp [\d.]+\)$/);
    expect(await page.getByText('is not downloaded').count()).toBe(0);
    await page.getByLabel('Name').fill('Tiny chat');
    await screenshot(page, TEST, '02-form-file-picked');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.waitForURL(/\/profiles$/);
    const saved = page.getByTestId('toast').filter({ hasText: 'Profile “Tiny chat” saved.' });
    await expect.poll(() => saved.isVisible(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, TEST, '03-saved-toast');

    // Start from the Servers page; the tile turns Running once the model answers.
    await startFromPicker(page, 'Tiny chat');
    const tile = page.getByRole('article', { name: 'Server Tiny chat' });
    await expect.poll(() => tile.getAttribute('data-state'), { timeout: 120_000 }).toBe('running');
    await expect.poll(() => page.getByRole('heading', { name: /Active servers \(1\)/ }).isVisible()).toBe(true);
    await screenshot(page, TEST, '04-running');

    // The gateway answers with the model's words, authenticated by the session cookie.
    const answer = await chat(page, 'Tiny chat');
    expect(answer).toEqual({ status: 200, content: TINY_MODEL_SENTENCE });

    // The model's page: the card rendered without its script, the quantization on disk, the profile.
    await page.goto(`/models/${GGUF}`);
    const card = page.getByTestId('model-card');
    await expect.poll(() => card.getByRole('heading', { name: 'Tiny GGUF' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await card.innerHTML()).not.toMatch(/onerror|license: mit/);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
    await expect.poll(() => page.getByRole('list', { name: 'Quantizations' }).getByText('On disk').isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByRole('link', { name: 'Tiny chat' }).isVisible()).toBe(true);
    await screenshot(page, TEST, '05-model-page');

    // An engine this machine lacks, on a model not downloaded: both said at save, and the failed
    // start leads with the cause and how to install it, without counting as active.
    await page.goto('/profiles/new');
    await page.getByLabel('Model', { exact: true }).fill('mlx-community/Absent-4bit');
    await page.getByLabel('Engine').selectOption('mlx-openai-server');
    await expect.poll(() => page.getByText('mlx-openai-server is not installed on this machine').isVisible(), { timeout: 15_000 }).toBe(true);
    const notDownloaded = page.getByRole('status').filter({ hasText: 'mlx-community/Absent-4bit is not downloaded' });
    await expect.poll(() => notDownloaded.getByRole('button', { name: 'Download' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByLabel('Name').fill('Needs engine');
    await screenshot(page, TEST, '06-form-engine-missing');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.waitForURL(/\/profiles$/);
    await startFromPicker(page, 'Needs engine');
    const failedTile = page.getByRole('article', { name: 'Server Needs engine' });
    await expect.poll(() => failedTile.getAttribute('data-state'), { timeout: 30_000 }).toBe('failed');
    // The start went ahead (an MLX engine fetches the repo itself); the page still offers the download.
    await expect.poll(() => page.getByText(/The engine fetches it from the hub while it starts/).isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => failedTile.getByTestId('failure-cause').textContent().then((t) => t?.trim())).toBe('Engine not installed');
    await expect.poll(() => failedTile.getByText(/^To install it, on Apple Silicon run bash scripts\/setup-python\.sh, or pip install mlx-openai-server\.$/).isVisible()).toBe(true);
    expect(await failedTile.locator('code').allTextContents()).toEqual(['bash scripts/setup-python.sh', 'pip install mlx-openai-server']);
    await expect.poll(() => page.getByRole('heading', { name: /^Active servers \(1\)\s*·\s*1 failed to start$/ }).isVisible()).toBe(true);
    await screenshot(page, TEST, '07-start-failed-cause');

    // A GGUF repo saved before it is downloaded: the form says so; the start is refused with the
    // reason and a way to the file; once its one file is downloaded, the same profile starts.
    await page.goto('/profiles/new');
    await page.getByLabel('Model', { exact: true }).fill(LATER);
    await expect.poll(() => page.getByText(`${LATER} is not downloaded`).isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByLabel('Engine').inputValue()).toBe('builtin');
    await page.getByLabel('Name').fill('Later');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.waitForURL(/\/profiles$/);
    await startFromPicker(page, 'Later');
    const refused = page.getByRole('alert').filter({ hasText: `${LATER} is not downloaded` });
    await expect.poll(() => refused.isVisible(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, TEST, '08-start-not-downloaded');
    await refused.getByRole('link', { name: 'Choose a file' }).click();
    await page.waitForURL(new RegExp(`/models/${LATER}$`));
    await page.getByRole('button', { name: 'Download Q4_K_M (later-Q4_K_M.gguf)' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Quantizations' }).getByText('On disk').isVisible(), { timeout: 60_000 }).toBe(true);
    await startFromPicker(page, 'Later');
    await expect.poll(() => page.getByRole('article', { name: 'Server Later' }).getAttribute('data-state'), { timeout: 120_000 }).toBe('running');
    expect(await chat(page, 'Later')).toEqual({ status: 200, content: TINY_MODEL_SENTENCE });
    await page.getByRole('article', { name: 'Server Later' }).getByRole('button', { name: 'Stop' }).click();

    // The same path on a phone: Use from the model page, the file is picked, save, start, chat.
    const phone = await newPage(harness.browser, harness.server.url, { viewport: PHONE, isMobile: true, hasTouch: true });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`/models/${GGUF}`);
    await expect.poll(() => phone.getByTestId('model-card').getByRole('heading', { name: 'Tiny GGUF' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await screenshot(phone, TEST, '09-phone-model-page');
    await phone.getByRole('link', { name: 'Use', exact: true }).click();
    await phone.waitForURL(/\/profiles\/new\?model=/);
    await expect.poll(() => phone.getByLabel('File (quantization)').inputValue(), { timeout: 10_000 }).toBe(TINY_GGUF_FILE);
    await phone.getByLabel('Name').fill('Tiny phone');
    await screenshot(phone, TEST, '10-phone-form');
    await phone.getByRole('button', { name: 'Create profile' }).click();
    await phone.waitForURL(/\/profiles$/);
    await startFromPicker(phone, 'Tiny phone');
    const phoneTile = phone.getByRole('article', { name: 'Server Tiny phone' });
    await expect.poll(() => phoneTile.getAttribute('data-state'), { timeout: 120_000 }).toBe('running');
    // Nothing on the page is wider than the phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, TEST, '11-phone-running');
    expect(await chat(phone, 'Tiny phone')).toEqual({ status: 200, content: TINY_MODEL_SENTENCE });
    await phone.close();
  }, 400_000);
});
