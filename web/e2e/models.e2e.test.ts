// Issue #3's browser flow [MODELS-01..03, DISC-02..03]: with the server's HF_ENDPOINT on a fake
// hub started here (throttled so progress is visible), search the hub → filter by architecture →
// download with live progress (SSE, no polling) → the model appears in the local list by itself.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ENGINE } from '../../server/test/fixtures/fake-engine/index.js';
import { newPage, registerFirstAdmin, screenshot, startHarnessWithHub, type HubHarness } from './harness.js';

const TEST = 'models';
const admin = { email: 'models-admin@example.com', password: 'models-password-1' };
const TINY = 'mlx-community/Tiny-Llama-4bit';
const GGUF = 'test-org/Tiny-GGUF';
/** Not MLX, not GGUF: listed under "All formats"; big enough to cancel mid-way. */
const BIG = 'other-org/Big-Model';
/** Big enough, at the throttle below, to take several seconds: progress must be seen moving. */
const WEIGHTS_BYTES = 3 * 1024 * 1024;
const THROTTLE_BPS = 384 * 1024;

const llamaConfig = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_size: 64,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 4,
  vocab_size: 256,
  max_position_embeddings: 2048,
  quantization: { bits: 4, group_size: 64 },
};
const qwenConfig = { ...llamaConfig, architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2', quantization: { bits: 8, group_size: 64 } };

let harness: HubHarness;

beforeAll(async () => {
  harness = await startHarnessWithHub({
    repos: [
      {
        id: TINY,
        tags: ['mlx', 'llama', 'text-generation', '4-bit'],
        downloads: 12_345,
        likes: 67,
        lastModified: new Date(Date.now() - 3 * 86_400_000).toISOString(),
        files: [
          { path: 'config.json', content: JSON.stringify(llamaConfig) },
          { path: 'tokenizer_config.json', content: JSON.stringify({ chat_template: '{{ messages }}' }) },
          { path: 'model.safetensors', content: randomBytes(WEIGHTS_BYTES) },
        ],
      },
      {
        id: 'mlx-community/Qwen2.5-Small-8bit',
        tags: ['mlx', 'qwen2', 'text-generation', '8-bit'],
        downloads: 99_000,
        likes: 420,
        files: [
          { path: 'config.json', content: JSON.stringify(qwenConfig) },
          { path: 'model.safetensors', content: randomBytes(64 * 1024) },
        ],
      },
      {
        id: 'mlx-community/gemma-3-vision-4bit',
        tags: ['mlx', 'gemma3', 'image-text-to-text', '4-bit'],
        pipelineTag: 'image-text-to-text',
        downloads: 5_000,
        likes: 12,
        files: [{ path: 'config.json', content: JSON.stringify({ ...llamaConfig, model_type: 'gemma3' }) }],
      },
      {
        id: GGUF,
        tags: ['gguf', 'llama', 'text-generation'],
        downloads: 800,
        likes: 3,
        libraryName: 'gguf',
        files: [
          { path: 'README.md', content: '# Tiny GGUF' },
          { path: 'tiny-Q4_K_M.gguf', content: randomBytes(256 * 1024) },
          { path: 'tiny-Q8_0.gguf', content: randomBytes(512 * 1024) },
        ],
      },
      {
        id: BIG,
        tags: ['text-generation'],
        downloads: 1,
        likes: 0,
        files: [
          { path: 'config.json', content: JSON.stringify(llamaConfig) },
          { path: 'model.safetensors', content: randomBytes(4 * WEIGHTS_BYTES) },
        ],
      },
    ],
    faults: { throttleBytesPerSec: THROTTLE_BPS },
  });
});

afterAll(async () => {
  await harness?.close();
});

describe('models page', () => {
  it('searches, filters, downloads with live progress and lists the model locally', async () => {
    const page = await newPage(harness.browser, harness.server.url);
    await registerFirstAdmin(page, admin);

    await page.goto('/models');
    await expect.poll(() => page.getByText('No model downloaded yet.').isVisible(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, TEST, '01-local-empty');

    // Hub mode lists MLX models at once, then narrows as the user types.
    await page.getByRole('tab', { name: 'Hub' }).click();
    const hubTiles = page.getByTestId('hub-tile');
    await expect.poll(() => hubTiles.count(), { timeout: 15_000 }).toBe(3);
    await screenshot(page, TEST, '02-hub-results');

    // Filter chips come from the results; "Llama" keeps only the tiny llama.
    await page.getByRole('button', { name: 'Llama', exact: true }).click();
    await expect.poll(() => hubTiles.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => hubTiles.first().getAttribute('aria-label'), { timeout: 10_000 }).toBe(TINY);
    await page.getByRole('button', { name: 'Llama', exact: true }).click();
    // Enter sends what was typed once: never a second copy of the search typing already sent.
    const searches: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/hub/search')) searches.push(new URL(request.url()).searchParams.get('q') ?? '');
    });
    const searchBox = page.getByRole('searchbox', { name: 'Search the hub' });
    await searchBox.fill('tiny');
    await searchBox.press('Enter');
    await expect.poll(() => hubTiles.count(), { timeout: 10_000 }).toBe(1);
    await page.waitForTimeout(800); // longer than the typing debounce: a duplicate would have gone out by now
    await searchBox.press('Enter');
    await page.waitForTimeout(800);
    expect(searches.filter((q) => q === 'tiny')).toHaveLength(1);
    await screenshot(page, TEST, '03-filtered');

    // One click downloads; the card stays where it is and shows the progress in place.
    await page.getByRole('button', { name: `Download ${TINY}` }).click();
    const downloadTile = page.getByTestId('download-tile');
    const tinyCard = page.getByRole('article', { name: TINY });
    await expect.poll(() => tinyCard.getByTestId('hub-tile-progress').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await downloadTile.count()).toBe(0);
    const bar = page.getByRole('progressbar', { name: `Progress of ${TINY}` });
    const seen = new Set<number>();
    await expect
      .poll(
        async () => {
          const value = Number((await bar.getAttribute('aria-valuenow').catch(() => null)) ?? 'NaN');
          if (Number.isFinite(value) && value > 0 && value < 100) seen.add(value);
          return seen.size;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBeGreaterThanOrEqual(2);
    await expect.poll(() => tinyCard.getByText(/\/s$/).first().isVisible(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, TEST, '04-downloading');

    // Completion turns the card to "Downloaded · Use" at once and a toast offers "Use it".
    await expect.poll(() => tinyCard.getByText('Downloaded', { exact: true }).isVisible(), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => tinyCard.getByRole('link', { name: 'Use' }).isVisible()).toBe(true);
    const toast = page.getByTestId('toast').filter({ hasText: `${TINY} is downloaded.` });
    await expect.poll(() => toast.getByRole('link', { name: 'Use it' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, TEST, '05-downloaded-toast');
    await toast.getByRole('button', { name: 'Dismiss' }).click();

    // The local list refreshed itself (no reload).
    await page.getByRole('tab', { name: 'Local' }).click();
    const localTile = page.getByTestId('local-tile');
    await expect.poll(() => localTile.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => localTile.first().getAttribute('aria-label'), { timeout: 10_000 }).toBe(TINY);
    await expect.poll(() => localTile.first().getByText('Llama', { exact: true }).isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => localTile.first().getByText('4-bit', { exact: true }).isVisible(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, TEST, '05-local-list');

    // The same page in dark mode.
    const dark = await newPage(harness.browser, harness.server.url, { colorScheme: 'dark' });
    await dark.context().addCookies(await page.context().cookies());
    await dark.goto('/models');
    await expect.poll(() => dark.getByTestId('local-tile').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(dark, TEST, '06-local-list-dark');
    await dark.getByRole('tab', { name: 'Hub' }).click();
    await expect.poll(() => dark.getByTestId('hub-tile').count(), { timeout: 15_000 }).toBe(3);
    await screenshot(dark, TEST, '07-hub-dark');
    await dark.close();

    // GGUF repos hold several quantizations: the user picks one file and only it is fetched.
    await page.getByRole('tab', { name: 'Hub' }).click();
    await page.getByRole('searchbox', { name: 'Search the hub' }).fill('');
    await page.getByLabel('Format').selectOption('gguf');
    await expect.poll(() => hubTiles.count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('button', { name: `Download ${GGUF}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Pick a quantization' });
    await expect.poll(() => dialog.getByRole('radio').count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => dialog.getByRole('radio', { name: /Q4_K_M/ }).isChecked(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, TEST, '08-gguf-picker');
    await dialog.getByRole('button', { name: 'Download' }).click();
    await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(false);
    const ggufToast = page.getByTestId('toast').filter({ hasText: `${GGUF} is downloaded.` });
    await expect.poll(() => ggufToast.isVisible(), { timeout: 60_000 }).toBe(true);
    await ggufToast.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('tab', { name: 'Local' }).click();
    await page.getByRole('searchbox', { name: 'Filter local models' }).fill('');
    await expect.poll(() => localTile.count(), { timeout: 15_000 }).toBe(2);
    const snapshots = join(harness.hfHome, 'hub', 'models--test-org--Tiny-GGUF', 'snapshots');
    const [commit] = await readdir(snapshots);
    expect((await readdir(join(snapshots, commit ?? ''))).sort()).toEqual(['tiny-Q4_K_M.gguf']);
    await screenshot(page, TEST, '09-local-with-gguf');

    // "Use" opens a new profile with the model filled in.
    await page.getByRole('article', { name: TINY }).getByRole('link', { name: 'Use' }).click();
    await page.waitForURL(/\/profiles\/new\?model=/);
    await expect.poll(() => page.getByLabel('Model', { exact: true }).inputValue(), { timeout: 10_000 }).toBe(TINY);

    // A running profile that uses the model makes the server refuse to delete it (409), shown as such.
    await page.getByLabel('Name').fill('Uses tiny');
    await page.getByLabel('Engine').selectOption('custom');
    await page
      .getByLabel('Command', { exact: true })
      .fill([process.execPath, FAKE_ENGINE, '--model', '{model}', '--host', '{host}', '--port', '{port}'].join('\n'));
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.waitForURL(/\/profiles$/);
    const usesTiny = page.getByRole('article', { name: 'Profile Uses tiny' });
    await usesTiny.getByRole('button', { name: 'Start Uses tiny' }).click();
    await expect.poll(() => usesTiny.getByText('Running', { exact: true }).isVisible(), { timeout: 30_000 }).toBe(true);

    await page.goto('/models');
    await page.getByRole('button', { name: `Delete ${TINY}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete model' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Not deleted' });
    await expect.poll(() => refusal.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => localTile.count(), { timeout: 10_000 }).toBe(2);
    await screenshot(page, TEST, '10-delete-refused');

    // Once the profile is stopped, the model can go.
    await page.goto('/profiles');
    await usesTiny.getByRole('button', { name: 'Stop Uses tiny' }).click();
    await expect.poll(() => usesTiny.getByRole('button', { name: 'Start Uses tiny' }).isVisible(), { timeout: 30_000 }).toBe(true);
    await page.goto('/models');
    await page.getByRole('button', { name: `Delete ${TINY}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete model' }).click();
    await expect.poll(() => localTile.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => localTile.first().getAttribute('aria-label'), { timeout: 10_000 }).toBe(GGUF);

    // Cancel stops a running download: its tile goes and nothing lands in the local list.
    await page.getByRole('tab', { name: 'Hub' }).click();
    await page.getByLabel('Format').selectOption('all');
    await page.getByRole('searchbox', { name: 'Search the hub' }).fill('big');
    await expect.poll(() => hubTiles.count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('button', { name: `Download ${BIG}` }).click();
    const bigBar = page.getByRole('progressbar', { name: `Progress of ${BIG}` });
    await expect.poll(async () => Number(await bigBar.getAttribute('aria-valuenow')), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: `Cancel download of ${BIG}` }).click();
    await expect.poll(() => bigBar.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: `Download ${BIG}` }).isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await downloadTile.count()).toBe(0);
    await page.getByRole('tab', { name: 'Local' }).click();
    await page.getByRole('searchbox', { name: 'Filter local models' }).fill('');
    await expect.poll(() => localTile.count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, TEST, '11-after-cancel');
  });
});
