// Issue 11's gateway pages in Debian's chromium: a provider pointing at the fake OpenAI upstream
// (test connection, import its models), a prefix route with a fallback, a live explain, requests
// from the real `openai` SDK appearing live on the Logs page, a status filter, a record's drawer
// and the charts; a provider with a wrong key shows the upstream's 401 reason. Desktop and phone
// widths, light and dark.
import OpenAI from 'openai';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeUpstream } from '../../server/test/fixtures/fake-upstreams/index.js';
import { newPage, registerFirstAdmin, screenshot, startHarness, type Harness } from './harness.js';

const TEST = 'gateway';
const admin = { email: 'gateway-admin@example.com', password: 'gateway-password-1' };
const T = { timeout: 15_000 };

let harness: Harness;
let upstream: FakeUpstream;

beforeAll(async () => {
  upstream = await startFakeOpenAI({ models: ['gpt-fake', 'gpt-fake-mini'] });
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
  await upstream?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/dashboard$/);
}

async function addProvider(page: Page, name: string, key: string): Promise<void> {
  await page.getByRole('button', { name: 'Add provider' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Base URL').fill(upstream.baseURL);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('dialog').getByRole('button', { name: 'Add provider' }).click();
  await expect.poll(() => page.getByRole('heading', { name }).isVisible(), T).toBe(true);
}

const card = (page: Page, name: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name }) });

describe('gateway pages', () => {
  let page: Page;
  let key: string;

  it('adds a provider, tests it, imports its models; a wrong key shows the upstream 401 reason', async () => {
    page = await newPage(harness.browser, harness.server.url);
    await registerFirstAdmin(page, admin);
    await page.waitForURL(/\/dashboard$/);
    await expect.poll(() => page.getByRole('heading', { name: 'Running engines' }).isVisible(), T).toBe(true);
    await screenshot(page, TEST, '01-dashboard-empty');

    await page.getByRole('link', { name: 'Gateway' }).first().click();
    await page.waitForURL(/\/gateway\/logs$/);
    await page.getByRole('link', { name: 'Providers' }).click();
    await page.waitForURL(/\/gateway\/providers$/);

    // Bad input is refused before anything is saved.
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByLabel('Base URL').fill('ftp://nowhere');
    await page.getByRole('dialog').getByRole('button', { name: 'Add provider' }).click();
    await expect.poll(() => page.getByText('Give the provider a name.').isVisible(), T).toBe(true);
    await expect.poll(() => page.getByText('The URL must start with http:// or https://.').isVisible(), T).toBe(true);
    await screenshot(page, TEST, '02-provider-form-errors');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    await addProvider(page, 'fake-openai', FAKE_OPENAI_KEY);
    const good = card(page, 'fake-openai');
    expect(await good.getByText(/Key: sk-…/).isVisible()).toBe(true); // the hint, never the key
    expect(await page.content()).not.toContain(FAKE_OPENAI_KEY);
    await good.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => good.getByText(/2 models found/).isVisible(), T).toBe(true);
    await good.getByRole('button', { name: 'Import 2 models' }).click();
    await expect.poll(() => good.getByText(/Key: .* · 2 models/).isVisible(), T).toBe(true);
    await expect.poll(() => good.getByRole('button', { name: 'All imported' }).isVisible(), T).toBe(true);

    await addProvider(page, 'wrong-key', 'sk-definitely-wrong');
    const bad = card(page, 'wrong-key');
    await bad.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => bad.getByText(/refused the key/).isVisible(), T).toBe(true);
    expect(await bad.getByText('Incorrect API key provided.').isVisible()).toBe(true);
    await screenshot(page, TEST, '03-providers-tested');
  });

  it('adds a prefix route with a fallback (pattern checked as typed) and explains a model name live', async () => {
    await page.getByRole('link', { name: 'Routes' }).click();
    await page.waitForURL(/\/gateway\/routes$/);
    await page.getByRole('button', { name: 'Add route' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Regex').check();
    await dialog.getByLabel('Pattern').fill('(unclosed');
    await expect.poll(() => dialog.getByText(/invalid regular expression/).isVisible(), T).toBe(true);
    await screenshot(page, TEST, '04-route-bad-regex');
    await dialog.getByLabel(/Prefix/).check();
    await dialog.getByLabel('Pattern').fill('team-*');
    await expect.poll(() => dialog.getByText('Pattern accepted.').isVisible(), T).toBe(true);
    await dialog.getByLabel('Primary target').selectOption({ label: 'fake-openai — gpt-fake' });
    await dialog.getByRole('button', { name: 'Add fallback' }).click();
    await dialog.getByLabel('Fallback 1').selectOption({ label: 'fake-openai — gpt-fake-mini' });
    await screenshot(page, TEST, '05-route-form');
    await dialog.getByRole('button', { name: 'Add route' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'team-*', exact: true }).isVisible(), T).toBe(true);

    await page.getByLabel('Model name').fill('team-alpha');
    const explained = page.getByTestId('explain-result');
    await expect.poll(() => explained.getByText(/Matched rule/).isVisible(), T).toBe(true);
    expect(await explained.getByText('primary').isVisible()).toBe(true);
    expect(await explained.getByText('fallback 1').isVisible()).toBe(true);
    expect(await explained.getByText('gpt-fake-mini').isVisible()).toBe(true);
    await page.getByLabel('Model name').fill('nobody-routes-this');
    await expect.poll(() => explained.getByText(/No rule or profile matches/).isVisible(), T).toBe(true);
    await page.getByLabel('Model name').fill('team-alpha');
    await expect.poll(() => explained.getByText(/Matched rule/).isVisible(), T).toBe(true);
    await screenshot(page, TEST, '06-routes-explain');
  });

  it('shows SDK requests live on the Logs page, filters by status, opens a record, charts them', async () => {
    key = await page.evaluate(async () => {
      const res = await fetch('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'e2e gateway' }) });
      return ((await res.json()) as { key: string }).key;
    });
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.waitForURL(/\/gateway\/logs$/);
    await expect.poll(() => page.getByText(/No requests in this range/).isVisible(), T).toBe(true);

    const client = new OpenAI({ baseURL: `${harness.server.url}/v1`, apiKey: key, maxRetries: 0 });
    for (const text of ['first', 'second', 'third']) {
      const answer = await client.chat.completions.create({ model: 'team-alpha', messages: [{ role: 'user', content: text }] });
      expect(answer.choices[0]?.message.content).toBe(`you said: ${text}`);
    }
    // Both targets fail: the client gets an error and the record keeps both attempts.
    upstream.setBehaviour({ fail: { status: 503, count: 2 } });
    await expect(client.chat.completions.create({ model: 'team-beta', messages: [{ role: 'user', content: 'fail' }] })).rejects.toThrow();
    upstream.setBehaviour({});

    // Live, without a reload.
    const rows = page.getByRole('table', { name: 'Audit records' }).getByRole('row').filter({ hasText: /team-/ });
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(4);
    await expect.poll(() => page.getByTestId('audit-totals').getByText('4', { exact: true }).first().isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.locator('.uplot canvas').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, TEST, '07-logs-live-desktop-light');

    await page.getByLabel('Status', { exact: true }).selectOption('error');
    await page.waitForURL(/status=error/);
    await expect.poll(() => rows.count(), T).toBe(1);
    expect(await rows.first().getByText('team-beta').isVisible()).toBe(true);
    await rows.first().click();
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.getByText('Attempts (2)').isVisible(), T).toBe(true);
    await screenshot(page, TEST, '08-logs-record-drawer');
    await page.keyboard.press('Escape');

    // The filter lives in the URL: a fresh page (dark, phone) opens on the same view.
    const url = page.url();
    const phone = await newPage(harness.browser, harness.server.url, { colorScheme: 'dark', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(phone);
    await phone.goto(url);
    await expect.poll(() => phone.getByRole('table', { name: 'Audit records' }).getByRole('row').filter({ hasText: /team-/ }).count(), T).toBe(1);
    await screenshot(phone, TEST, '09-logs-phone-dark');
    await phone.goto('/gateway/routes');
    // Phones stack the table's cells (no table roles then): find the pattern as text.
    await expect.poll(() => phone.getByText('team-*', { exact: true }).isVisible(), T).toBe(true);
    await screenshot(phone, TEST, '10-routes-phone-dark');
    await phone.goto('/gateway/providers');
    await expect.poll(() => phone.getByRole('heading', { name: 'fake-openai' }).isVisible(), T).toBe(true);
    await screenshot(phone, TEST, '11-providers-phone-dark');
    await phone.goto('/dashboard');
    await expect.poll(() => phone.getByTestId('tile-models').getByText('team-alpha').isVisible(), T).toBe(true);
    await screenshot(phone, TEST, '12-dashboard-phone-dark');

    const darkDesktop = await newPage(harness.browser, harness.server.url, { colorScheme: 'dark' });
    await signIn(darkDesktop);
    await darkDesktop.goto('/gateway/logs');
    await expect.poll(() => darkDesktop.locator('.uplot canvas').count(), T).toBeGreaterThanOrEqual(3);
    await screenshot(darkDesktop, TEST, '13-logs-desktop-dark');
    const light = await newPage(harness.browser, harness.server.url, { viewport: { width: 390, height: 844 } });
    await signIn(light);
    await light.goto('/gateway/logs');
    await expect.poll(() => light.locator('.uplot canvas').count(), T).toBeGreaterThanOrEqual(3);
    await screenshot(light, TEST, '14-logs-phone-light');
  });

  it('prices a provider model: costs appear on the Logs page; routes reorder with up/down', async () => {
    await page.goto('/gateway/providers');
    await card(page, 'fake-openai').getByRole('button', { name: 'Edit fake-openai' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('gpt-fake input price').fill('2');
    await dialog.getByLabel('gpt-fake output price').fill('8');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => card(page, 'fake-openai').getByText(/1 priced/).isVisible(), T).toBe(true);
    expect(await page.content()).not.toContain(FAKE_OPENAI_KEY); // editing never brings the key back

    await page.goto('/gateway/logs?model=team-alpha');
    const byModel = page.getByRole('row', { name: /team-alpha/ }).filter({ hasText: '$' });
    // 3 requests × (1 token in × $2 + 3 tokens out × $8) per million = $0.000078.
    await expect.poll(() => byModel.getByText('$0.00008').isVisible(), T).toBe(true);
    await expect.poll(() => page.getByRole('table', { name: 'Audit records' }).getByText('$0.00003').first().isVisible(), T).toBe(true);
    await screenshot(page, TEST, '15-logs-cost');

    // A second rule below the first; moving it up makes it the first one tried.
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/routes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ match: 'exact', pattern: 'team-exact', priority: -5, targets: [{ provider_id: 'missing' }] }) });
      return res.status;
    });
    expect(status).toBe(400); // a target that does not exist is refused, nothing saved
    const providers = await page.evaluate(async () => ((await (await fetch('/api/providers')).json()) as { providers: { id: string; name: string }[] }).providers);
    const fakeId = providers.find((p) => p.name === 'fake-openai')!.id;
    await page.evaluate(async (id) => {
      await fetch('/api/routes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ match: 'exact', pattern: 'team-exact', priority: -5, targets: [{ provider_id: id }] }) });
    }, fakeId);
    await page.goto('/gateway/routes');
    const patterns = () => page.getByRole('table').getByRole('row').locator('td:nth-child(3)').allInnerTexts();
    await expect.poll(patterns, T).toEqual(['team-*', 'team-exact']);
    await page.getByRole('button', { name: 'Move team-exact up' }).click();
    await expect.poll(patterns, T).toEqual(['team-exact', 'team-*']);
    await screenshot(page, TEST, '16-routes-reordered');
  });
});
