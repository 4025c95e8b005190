// Issue #9's Settings page, hub part [admin]: a Hugging Face token stored on the page opens a
// gated repo at once (the fake hub checks `Authorization: Bearer <token>`), the page shows the
// hub address and token in use and where each comes from, and clearing the token closes it again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticModelRepo } from '../../server/test/hub/synthetic-model.js';
import { newPage, registerFirstAdmin, screenshot, startHarnessWithHub, type HubHarness } from './harness.js';

const TEST = 'settings-hub';
const TOKEN = 'hf_e2eSettingsTokenAbcd1234';
const GATED = 'meta-llama/Gated-Tiny';
const admin = { email: 'hub-settings-admin@example.com', password: 'hub-settings-password-1' };

let harness: HubHarness;

beforeAll(async () => {
  harness = await startHarnessWithHub({ token: TOKEN, repos: [{ ...syntheticModelRepo(GATED, 1024), gated: true }] });
});

afterAll(async () => {
  await harness?.close();
});

describe('settings page: Hugging Face hub', () => {
  it('stores a token masked, uses it for the next hub call, shows where values come from, and clears it', async () => {
    const page = await newPage(harness.browser, harness.server.url);
    await registerFirstAdmin(page, admin);

    // Before: the gated repo's page says how to get in, with a link to Settings.
    await page.goto(`/models/${GATED}`);
    const hint = page.getByTestId('hub-token-hint');
    await expect.poll(() => hint.isVisible(), { timeout: 15_000 }).toBe(true);
    await screenshot(page, TEST, '00-gated-repo-hint');
    await hint.getByRole('link', { name: 'set a Hugging Face token in Settings' }).click();
    await page.waitForURL(/\/settings$/);

    const endpointLine = page.getByTestId('in-effect-hf_endpoint');
    await expect.poll(() => endpointLine.textContent(), { timeout: 10_000 }).toBe(`In use: ${harness.hub.url} (from HF_ENDPOINT)`);
    expect(await page.getByTestId('in-effect-hf_token').textContent()).toMatch(/No token in use/);

    // A bad address is refused in plain words before anything is sent.
    const save = page.getByRole('button', { name: 'Save' });
    await page.getByLabel('Hub address').fill('hub.example');
    await save.click();
    await expect.poll(() => page.getByText('must be an http:// or https:// address', { exact: false }).isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByLabel('Hub address').fill('');

    await page.getByLabel('Hugging Face token').fill(TOKEN);
    await save.click();
    await expect.poll(() => page.getByTestId('toast').filter({ hasText: 'Setting saved' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByText('set · hf_…1234').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('in-effect-hf_token').textContent()).toBe('In use: hf_…1234 (set on this page)');
    expect(await page.content()).not.toContain(TOKEN);
    await screenshot(page, TEST, '01-token-set-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, TEST, '02-token-set-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    // The next hub call carries the token: the gated repo opens.
    const opened = await page.request.get(`/api/hub/models/${GATED}`);
    expect(opened.status()).toBe(200);

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('button', { name: 'Clear token' }).click();
    await expect.poll(() => page.getByTestId('in-effect-hf_token').textContent(), { timeout: 10_000 }).toMatch(/No token in use/);
    const closed = await page.request.get(`/api/hub/models/${GATED}`);
    expect(closed.status()).toBe(403);
    expect(await closed.text()).toContain('set a Hugging Face token in Settings');
  });
});
