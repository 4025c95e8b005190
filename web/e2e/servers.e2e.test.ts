// Issue #4's browser flow [PRO-01, SERVER-01..03]: create a profile that runs the fake engine
// (custom command, slow load so "starting" is seen), start it from the Servers page, watch it go
// from starting to running with its gauges fed by metrics events, open the live log, stop it —
// and check from the outside that the engine process is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ENGINE } from '../../server/test/fixtures/fake-engine/index.js';
import { newPage, registerFirstAdmin, screenshot, startHarness, type Harness } from './harness.js';

const TEST = 'servers';
const admin = { email: 'servers-admin@example.com', password: 'servers-password-1' };
const PROFILE = 'Fake engine';
const CRASHING = 'Crashing engine';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('profiles and servers pages', () => {
  it('creates a profile, starts it, watches it run, reads its log and stops it', async () => {
    const page = await newPage(harness.browser, harness.server.url);
    await registerFirstAdmin(page, admin);

    // A profile with every kind of field the form has: the custom engine runs the fake engine.
    await page.goto('/profiles/new');
    await page.getByLabel('Name').fill(PROFILE);
    await page.getByLabel('Engine').selectOption('custom');
    await page.getByLabel('Model', { exact: true }).fill('test-org/tiny-model');
    await page.getByLabel('Description').fill('Runs the fake engine\nfor the browser test.');
    await page.getByLabel('Default system prompt').fill('You are a test.');
    // Choosing the custom engine opens the Advanced section, where its command line lives.
    await expect.poll(() => page.getByRole('button', { name: /Advanced/ }).getAttribute('aria-expanded'), { timeout: 10_000 }).toBe('true');
    await page
      .getByLabel('Command', { exact: true })
      .fill([process.execPath, FAKE_ENGINE, '--model', '{model}', '--host', '{host}', '--port', '{port}'].join('\n'));
    await page.getByLabel('Environment').fill('FAKE_LOAD_MS=3000\nFAKE_WORKER=1');
    await page.getByLabel('Context length').fill('4096');
    await screenshot(page, TEST, '01-profile-form');

    // Client-side validation names the field before anything is sent.
    await page.getByLabel('Start timeout (s)').fill('0');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await expect.poll(() => page.getByText('Enter a whole number from 1 to 3600.').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByLabel('Start timeout (s)').fill('60');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.waitForURL(/\/profiles$/);
    const card = page.getByTestId('profile-card');
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, TEST, '02-profiles-list');

    // Start it from the Servers page's searchable picker.
    await page.goto('/servers');
    const picker = page.getByRole('combobox', { name: 'Profile to start' });
    await picker.fill('fake');
    await page.getByRole('option', { name: new RegExp(PROFILE) }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();

    const tile = page.getByTestId('server-tile');
    await expect.poll(() => tile.getAttribute('data-state'), { timeout: 10_000 }).toBe('starting');
    await expect.poll(() => tile.getByTestId('elapsed').isVisible(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, TEST, '03-starting');

    await expect.poll(() => tile.getAttribute('data-state'), { timeout: 60_000 }).toBe('running');
    const pidText = await tile.locator('dt:has-text("PID") + dd').textContent();
    const pid = Number(pidText);
    expect(Number.isInteger(pid) && pid > 0).toBe(true);
    expect(alive(pid)).toBe(true);

    // Gauges come from pushed metrics: memory shows bytes, and the readings move over time.
    const memory = tile.getByRole('meter', { name: 'Memory' });
    await expect.poll(() => memory.textContent(), { timeout: 20_000 }).toMatch(/\d+(\.\d+)? (KB|MB|GB)/);
    const reading = async () =>
      [await memory.textContent(), await tile.getByRole('meter', { name: 'CPU' }).textContent(), await tile.locator('dt:has-text("Uptime") + dd').textContent()].join('|');
    const first = await reading();
    await expect.poll(reading, { timeout: 20_000, interval: 500 }).not.toBe(first);
    await screenshot(page, TEST, '04-running');

    // The log viewer shows the engine's output (tail, then live).
    await tile.getByRole('button', { name: 'Logs' }).click();
    const log = tile.getByLabel(`Log of ${PROFILE}`);
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toMatch(/\S/);
    await expect.poll(async () => (await log.textContent())?.includes('No output yet.'), { timeout: 10_000 }).toBe(false);
    await screenshot(page, TEST, '05-logs');

    // The same page in dark mode while it runs.
    const dark = await newPage(harness.browser, harness.server.url, { colorScheme: 'dark' });
    await dark.context().addCookies(await page.context().cookies());
    await dark.goto('/servers');
    await expect.poll(() => dark.getByTestId('server-tile').getAttribute('data-state'), { timeout: 15_000 }).toBe('running');
    await screenshot(dark, TEST, '06-running-dark');
    await dark.goto('/profiles');
    await expect.poll(() => dark.getByTestId('profile-card').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(dark, TEST, '07-profiles-dark');
    await dark.close();

    // Restart keeps the same tile mounted (one state per profile) and replaces the process.
    await tile.evaluate((el) => el.setAttribute('data-marker', 'same-tile'));
    await tile.getByRole('button', { name: 'Restart' }).click();
    await expect.poll(() => tile.getAttribute('data-state'), { timeout: 10_000 }).toMatch(/^(restarting|starting)$/);
    await expect.poll(() => tile.getAttribute('data-state'), { timeout: 60_000 }).toBe('running');
    expect(await tile.getAttribute('data-marker')).toBe('same-tile');
    const restartedPid = Number(await tile.locator('dt:has-text("PID") + dd').textContent());
    expect(restartedPid).not.toBe(pid);
    await expect.poll(() => alive(pid), { timeout: 15_000 }).toBe(false);

    // Stop: the tile leaves, the profile is startable again, and the process is really gone.
    await tile.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => tile.count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByRole('combobox', { name: 'Profile to start' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => alive(restartedPid), { timeout: 15_000 }).toBe(false);
    await screenshot(page, TEST, '08-stopped');

    // Duplicate, then edit the copy: it crashes at start, and clearing a field sends null (bug 26).
    await page.goto('/profiles');
    await page.getByRole('button', { name: `Duplicate ${PROFILE}` }).click();
    await page.getByLabel('Name of the copy').fill(CRASHING);
    await page.getByRole('button', { name: 'Duplicate', exact: true }).click();
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(2);
    await page.getByRole('link', { name: `Edit ${CRASHING}` }).click();
    await expect.poll(() => page.getByLabel('Name').inputValue(), { timeout: 10_000 }).toBe(CRASHING);
    await expect.poll(() => page.getByLabel('Context length').inputValue()).toBe('4096');
    await page.getByLabel('Context length').fill('');
    await page.getByLabel('Environment').fill('FAKE_CRASH_AT_START=1');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\/profiles$/);
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const listed = (await (await fetch(`${harness.server.url}/api/profiles`, { headers: { cookie } })).json()) as {
      profiles: Array<{ name: string; context_length: number | null; env: Record<string, string> }>;
    };
    const crashing = listed.profiles.find((p) => p.name === CRASHING);
    expect(crashing?.context_length).toBeNull();
    expect(crashing?.env).toEqual({ FAKE_CRASH_AT_START: '1' });

    // A start that fails shows why, with the engine's last log lines, then Retry / Dismiss.
    await page.goto('/servers');
    await page.getByRole('combobox', { name: 'Profile to start' }).fill('crash');
    await page.getByRole('option', { name: new RegExp(CRASHING) }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const failed = page.locator('[data-testid="server-tile"][data-state="failed"]');
    await expect.poll(() => failed.count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => failed.getByLabel('Last log lines').textContent(), { timeout: 10_000 }).toMatch(/fake crash at start/);
    await expect.poll(() => failed.getByRole('button', { name: 'Retry' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, TEST, '09-failed');
    await failed.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => page.getByTestId('server-tile').count(), { timeout: 10_000 }).toBe(0);

    // Delete asks first, then the profile is gone.
    await page.goto('/profiles');
    await page.getByRole('button', { name: `Delete ${CRASHING}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete profile' }).click();
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, TEST, '10-after-delete');
  });
});
