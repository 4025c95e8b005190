// Issue #9's accessibility and phone check: every page, at desktop (1280×800) and phone
// (390×844) widths, light and dark, run through axe-core in the real browser — zero serious or
// critical violations — and saved as a screenshot to look at. The phone pass also checks that no
// page scrolls sideways and that the menu button opens the navigation.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ENGINE } from '../../server/test/fixtures/fake-engine/index.js';
import { newPage, screenshot, startHarnessWithHub, type HubHarness } from './harness.js';

const TEST = 'a11y';
const admin = { email: 'a11y-admin@example.com', password: 'a11y-password-1' };
/** A long unbroken repo id: it must wrap or ellipsize, never widen a phone screen. */
const REPO = 'mlx-community/Some-Extremely-Long-Unbroken-Model-Name-Instruct-2507-4bit-DWQ';
const LONG_EMAIL = 'someone.with.a.remarkably.long.address@subdomain.example-company.com';

const VARIANTS = [
  { name: 'desktop-light', viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
  { name: 'desktop-dark', viewport: { width: 1280, height: 800 }, colorScheme: 'dark' },
  { name: 'phone-light', viewport: { width: 390, height: 844 }, colorScheme: 'light' },
  { name: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' },
  // The narrowest width with the links in the bar: they must fit beside the account menu.
  { name: 'laptop-light', viewport: { width: 1024, height: 768 }, colorScheme: 'light' },
] as const;

/** Signed-in pages, each with something on screen proving it rendered before axe looks. */
const PAGES: { path: string; slug: string; ready: (page: Page) => Promise<boolean> }[] = [
  { path: '/servers', slug: 'servers', ready: (p) => p.getByRole('heading', { name: 'Servers', level: 1 }).isVisible() },
  { path: '/models', slug: 'models-local', ready: (p) => p.getByTestId('local-tile').first().isVisible() },
  { path: '/models#hub', slug: 'models-hub', ready: (p) => p.getByTestId('hub-tile').first().isVisible() },
  { path: '/profiles', slug: 'profiles', ready: (p) => p.getByTestId('profile-card').first().isVisible() },
  { path: '/profiles/new', slug: 'profile-new', ready: (p) => p.getByLabel('Name').isVisible() },
  { path: '/keys', slug: 'keys', ready: (p) => p.getByText('Laptop', { exact: true }).isVisible() },
  { path: '/users', slug: 'users', ready: (p) => p.getByText(LONG_EMAIL).isVisible() },
  { path: '/settings', slug: 'settings', ready: (p) => p.getByLabel('Anyone may register').isVisible() },
  { path: '/dashboard', slug: 'dashboard', ready: (p) => p.getByRole('heading', { level: 1 }).isVisible() },
  { path: `/models/${REPO}`, slug: 'model-details', ready: (p) => p.getByRole('heading', { level: 1 }).isVisible() },
  { path: '/gateway', slug: 'gateway', ready: (p) => p.getByRole('heading', { level: 1 }).isVisible() },
  { path: '/gateway/providers', slug: 'gateway-providers', ready: (p) => p.getByRole('heading', { level: 1 }).isVisible() },
  { path: '/gateway/routes', slug: 'gateway-routes', ready: (p) => p.getByRole('heading', { level: 1 }).isVisible() },
  { path: '/gateway/logs', slug: 'gateway-logs', ready: (p) => p.getByRole('heading', { level: 1 }).isVisible() },
  { path: '/chat', slug: 'chat', ready: (p) => p.getByRole('heading', { level: 1 }).isVisible() },
];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

let axeSource: string;
let harness: HubHarness;
let cookies: Awaited<ReturnType<ReturnType<Page['context']>['cookies']>>;

/** Runs axe-core in the page; returns the serious and critical violations, described. */
async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated, not added as a <script>: the app's Content-Security-Policy rightly refuses inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`);
}

/** Whether the page is wider than the screen (something pushes past the right edge). */
function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

async function api(path: string, token: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${harness.server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function variantPage(browser: Browser, variant: (typeof VARIANTS)[number], signedIn: boolean): Promise<Page> {
  const page = await newPage(browser, harness.server.url, { viewport: variant.viewport, colorScheme: variant.colorScheme });
  if (signedIn) await page.context().addCookies(cookies);
  return page;
}

beforeAll(async () => {
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  harness = await startHarnessWithHub({
    repos: [
      {
        id: REPO,
        tags: ['mlx', 'llama', 'text-generation', '4-bit'],
        downloads: 4_321,
        likes: 9,
        files: [
          { path: 'config.json', content: JSON.stringify({ architectures: ['LlamaForCausalLM'], model_type: 'llama', quantization: { bits: 4, group_size: 64 } }) },
          { path: 'model.safetensors', content: randomBytes(32 * 1024) },
        ],
      },
      {
        id: 'mlx-community/Qwen2.5-Small-8bit',
        tags: ['mlx', 'qwen2', 'text-generation', '8-bit'],
        downloads: 99_000,
        likes: 420,
        files: [{ path: 'config.json', content: JSON.stringify({ model_type: 'qwen2' }) }],
      },
    ],
  });
});

afterAll(async () => {
  await harness?.close();
});

describe('accessibility and phone layout', () => {
  it('the first screen of a fresh install says no account exists yet, at every width and scheme, without violations', async () => {
    for (const variant of VARIANTS) {
      const page = await variantPage(harness.browser, variant, false);
      await page.goto('/login');
      await expect.poll(() => page.getByRole('heading', { name: 'Create the administrator account' }).isVisible(), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => page.getByText('No account exists yet.').isVisible()).toBe(true);
      await screenshot(page, TEST, `00-fresh-install-${variant.name}`);
      expect(await seriousViolations(page), variant.name).toEqual([]);
      expect(await scrollsSideways(page), variant.name).toBe(false);
      await page.close();
    }
  });

  it('the register form checks the email in the browser and shows each problem once, in plain words', async () => {
    const page = await newPage(harness.browser, harness.server.url);
    await page.goto('/login');
    await expect.poll(() => page.getByRole('heading', { name: 'Create the administrator account' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByLabel('Confirm password').fill(admin.password);
    await page.getByRole('button', { name: 'Register' }).click();
    const hint = page.getByText('Enter an email address like name@example.com.');
    await expect.poll(() => hint.count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByText(/Invalid body/).count()).toBe(0);
    await screenshot(page, TEST, '01-register-bad-email');

    // The first account: the administrator, signed in at once.
    await page.getByLabel('Email').fill(admin.email);
    await page.getByRole('button', { name: 'Register' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    cookies = await page.context().cookies();
    await page.close();

    // Something on every page: a pending user with a long address, a key, a profile, a local model.
    const login = (await (
      await fetch(`${harness.server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(admin),
      })
    ).json()) as { access_token: string };
    const token = login.access_token;
    const registered = await fetch(`${harness.server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: LONG_EMAIL, password: 'pending-password-1' }),
    });
    expect(registered.status).toBe(201);
    await api('/api/keys', token, { name: 'Laptop' });
    await api('/api/profiles', token, {
      name: 'A profile with a rather long name to see how it wraps',
      engine: 'custom',
      model: REPO,
      command: [process.execPath, FAKE_ENGINE, '--model', '{model}', '--host', '{host}', '--port', '{port}'],
    });
  });

  it('a download keeps its hub card with progress, then turns it to "Downloaded · Use" with a toast, no reload', async () => {
    const page = await variantPage(harness.browser, VARIANTS[0], true);
    await page.goto('/models');
    await page.getByText('No model downloaded yet.').waitFor(); // the page is live before the tab is clicked
    await page.getByRole('tab', { name: 'Hub' }).click();
    const card = page.getByRole('article', { name: REPO });
    await expect.poll(() => card.isVisible(), { timeout: 15_000 }).toBe(true);
    await card.getByRole('button', { name: `Download ${REPO}` }).click();
    // Done: the card says so and offers Use; the toast offers "Use it"; no download tile replaced it.
    await expect.poll(() => card.getByText('Downloaded', { exact: true }).isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => card.getByRole('link', { name: 'Use' }).isVisible()).toBe(true);
    const toast = page.getByTestId('toast').filter({ hasText: `${REPO} is downloaded.` });
    await expect.poll(() => toast.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await toast.getByRole('link', { name: 'Use it' }).getAttribute('href')).toBe(`/profiles/new?model=${encodeURIComponent(REPO)}`);
    expect(await page.getByTestId('download-tile').count()).toBe(0);
    await screenshot(page, TEST, '02-downloaded-toast');

    // The local list has it too, without a reload.
    await page.getByRole('tab', { name: 'Local' }).click();
    await expect.poll(() => page.getByTestId('local-tile').count(), { timeout: 10_000 }).toBe(1);
    await page.close();
  });

  it('every page, at desktop and phone widths, light and dark: no serious or critical axe violation, nothing off-screen', async () => {
    const problems: string[] = [];
    for (const variant of VARIANTS) {
      const page = await variantPage(harness.browser, variant, true);
      for (const target of PAGES) {
        await page.goto(target.path.replace('#hub', ''));
        if (target.path.endsWith('#hub')) {
          await page.getByTestId('local-tile').first().waitFor(); // the page is live before the tab is clicked
          await page.getByRole('tab', { name: 'Hub' }).click();
        }
        await expect.poll(() => target.ready(page), { timeout: 15_000, message: `${target.slug} (${variant.name}) did not render` }).toBe(true);
        await screenshot(page, TEST, `10-${target.slug}-${variant.name}`);
        for (const violation of await seriousViolations(page)) problems.push(`${target.slug} ${variant.name}: ${violation}`);
        if (await scrollsSideways(page)) problems.push(`${target.slug} ${variant.name}: the page scrolls sideways`);
      }
      await page.close();
    }
    expect(problems).toEqual([]);
  });

  it('on a phone the menu button opens the navigation in a drawer that holds the focus', async () => {
    const page = await variantPage(harness.browser, VARIANTS[2], true);
    await page.goto('/servers');
    await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
    // The skip link is the first stop and leads to the page itself.
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to content');
    const openMenu = page.getByRole('button', { name: 'Open the menu' });
    await openMenu.click();
    const drawer = page.getByRole('dialog', { name: 'MLX Manager' });
    await expect.poll(() => drawer.getByRole('link', { name: 'Users' }).isVisible(), { timeout: 10_000 }).toBe(true);
    await screenshot(page, TEST, '20-phone-menu');
    expect(await seriousViolations(page)).toEqual([]);
    // Tabbing around stays inside the drawer.
    for (let i = 0; i < 12; i += 1) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')))).toBe(true);
    await drawer.getByRole('link', { name: 'Models' }).click();
    await page.waitForURL(/\/models$/);
    await expect.poll(() => drawer.isVisible()).toBe(false);
    await page.close();
  });

  it('with the hub out of reach, the hub tab says so in words and local models and profiles keep working', async () => {
    await harness.hub.close();
    const page = await variantPage(harness.browser, VARIANTS[0], true);
    await page.goto('/models');
    await page.getByTestId('local-tile').first().waitFor();
    await page.getByRole('tab', { name: 'Hub' }).click();
    const problem = page.getByRole('alert').filter({ hasText: 'The hub is out of reach' });
    await expect.poll(() => problem.isVisible(), { timeout: 30_000 }).toBe(true);
    const text = (await problem.textContent()) ?? '';
    expect(text).toContain(`Cannot reach the model hub at ${new URL(harness.hub.url).origin}`);
    expect(text).toContain('HF_ENDPOINT');
    await screenshot(page, TEST, '30-hub-unreachable');
    await page.getByRole('tab', { name: 'Local' }).click();
    await expect.poll(() => page.getByTestId('local-tile').count(), { timeout: 10_000 }).toBe(1);
    await page.goto('/profiles');
    await expect.poll(() => page.getByTestId('profile-card').count(), { timeout: 10_000 }).toBe(1);
    await page.close();
  });
});
