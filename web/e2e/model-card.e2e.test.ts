// A hub model card with pictures: the app loads no image from another site (its CSP), so each
// image shows as its alt text instead of a broken-image icon, and the card keeps the shared
// Markdown typography (headings, table, code, quote).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, registerFirstAdmin, screenshot, startHarnessWithHub, type HubHarness } from './harness.js';

const TEST = 'model-card';
const REPO = 'pictures-org/Tiny-Pictures';
const README = `---
license: mit
---
# Tiny Pictures

<p align="center"><img src="https://cdn.example/tiny-logo.png" alt="Tiny Pictures logo" width="240"></p>

[![License](https://badges.example/license-mit.svg)](https://example.org/license) [![](https://badges.example/unlabelled.svg)](https://example.org/unlabelled)

A **tiny** model that exists for tests.

![Benchmark chart](https://cdn.example/chart.png)

## Quantizations

| quant | size |
|---|---|
| 4-bit | 12 MB |

\`\`\`python
from mlx_lm import load
\`\`\`

> Fixtures all the way down.
`;

let harness: HubHarness;

beforeAll(async () => {
  harness = await startHarnessWithHub({
    repos: [
      {
        id: REPO,
        tags: ['mlx', 'llama', 'text-generation', '4-bit'],
        downloads: 10,
        likes: 1,
        files: [
          { path: 'README.md', content: README },
          { path: 'config.json', content: JSON.stringify({ architectures: ['LlamaForCausalLM'], model_type: 'llama' }) },
        ],
      },
    ],
  });
});

afterAll(async () => {
  await harness?.close();
});

describe('model card', () => {
  it('shows its images as their alt text, never as broken images', async () => {
    const page = await newPage(harness.browser, harness.server.url);
    const blocked: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'image' && !request.url().startsWith(harness.server.url)) blocked.push(request.url());
    });
    await registerFirstAdmin(page, { email: 'card-admin@example.com', password: 'card-password-1' });
    await page.goto(`/models/${REPO}`);
    const card = page.getByTestId('model-card');
    await expect.poll(() => card.getByRole('heading', { name: 'Tiny Pictures', level: 1 }).isVisible(), { timeout: 15_000 }).toBe(true);

    expect(await card.locator('img').count()).toBe(0);
    for (const alt of ['Tiny Pictures logo', 'Benchmark chart', 'License']) expect(await card.locator('.img-alt', { hasText: alt }).isVisible()).toBe(true);
    expect(await card.getByRole('link', { name: 'License' }).getAttribute('href')).toBe('https://example.org/license');
    expect(await card.locator('a[href="https://example.org/unlabelled"]').count()).toBe(0); // a badge without alt text leaves no empty link
    expect(blocked).toEqual([]); // nothing was even requested from another site
    // The shared prose styles reach the card: the table has borders, the code block a dark background.
    const cellBorder = await card.locator('td').first().evaluate((td) => getComputedStyle(td).borderTopWidth);
    expect(cellBorder).toBe('1px');
    const preBackground = await card.locator('pre').evaluate((pre) => getComputedStyle(pre).backgroundColor);
    expect(preBackground).not.toBe('rgba(0, 0, 0, 0)');
    await screenshot(page, TEST, '01-card-with-images');

    const dark = await newPage(harness.browser, harness.server.url, { colorScheme: 'dark', storageState: await page.context().storageState() });
    await dark.goto(`/models/${REPO}`);
    await expect.poll(() => dark.getByTestId('model-card').locator('.img-alt').first().isVisible(), { timeout: 15_000 }).toBe(true);
    await screenshot(dark, TEST, '02-card-with-images-dark');
    await dark.close();
  });
});
