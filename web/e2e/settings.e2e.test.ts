// Issue #9's Settings page [admin]: the runtime settings over GET/PATCH /api/settings. Closing
// registration applies at once (no restart): the sign-in page of a stranger says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, registerFirstAdmin, screenshot, startHarness, type Harness } from './harness.js';

const TEST = 'settings';
const admin = { email: 'settings-admin@example.com', password: 'settings-password-1' };

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('settings page', () => {
  it('changes runtime settings, refuses bad values in plain words, and the change applies at once', async () => {
    const page = await newPage(harness.browser, harness.server.url);
    await registerFirstAdmin(page, admin);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings$/);
    const registration = page.getByLabel('Anyone may register');
    await expect.poll(() => registration.isChecked(), { timeout: 10_000 }).toBe(true);
    const save = page.getByRole('button', { name: 'Save' });
    expect(await save.isDisabled()).toBe(true); // nothing changed yet
    await screenshot(page, TEST, '01-settings');

    // A share over 100 % is refused before anything is sent.
    const memory = page.getByLabel('Memory the running models may use (%)');
    expect(await memory.inputValue()).toBe('75');
    await memory.fill('150');
    await save.click();
    await expect.poll(() => page.getByText('Enter a share from 1 to 100.').isVisible(), { timeout: 10_000 }).toBe(true);
    await memory.fill('60');

    await registration.uncheck();
    await save.click();
    await expect.poll(() => page.getByTestId('toast').filter({ hasText: '2 settings saved' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => save.isDisabled()).toBe(true);
    await screenshot(page, TEST, '02-saved');

    const stored = await fetch(`${harness.server.url}/api/auth/setup-status`).then((r) => r.json());
    expect(stored).toEqual({ has_users: true, registration_open: false });

    // A stranger's register form says registration is closed; the server agrees.
    const stranger = await newPage(harness.browser, harness.server.url);
    await stranger.goto('/login');
    await stranger.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => stranger.getByText('Registration is closed. Ask an administrator to create your account.').isVisible(), { timeout: 10_000 }).toBe(true);
    await stranger.getByLabel('Email').fill('stranger@example.com');
    await stranger.getByLabel('Password', { exact: true }).fill('stranger-password-1');
    await stranger.getByLabel('Confirm password').fill('stranger-password-1');
    await stranger.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => stranger.getByRole('alert').filter({ hasText: 'Registration is closed right now' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await screenshot(stranger, TEST, '03-registration-closed');

    // Reloaded, the page shows what is stored.
    await page.reload();
    await expect.poll(() => page.getByLabel('Memory the running models may use (%)').inputValue(), { timeout: 10_000 }).toBe('60');
    expect(await page.getByLabel('Anyone may register').isChecked()).toBe(false);
  });
});
