// Issue 7: the SPA works under the server's Content-Security-Policy — SvelteKit's inline bootstrap
// is allowed by its hash, nothing is blocked, and the page cannot be framed.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, registerFirstAdmin, screenshot, startHarness, type Harness } from './harness.js';

const TEST = 'security-headers';
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** Collects CSP violations and script errors the page reports. */
async function watchViolations(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Refused to run: CSP ${e.violatedDirective} ${e.blockedURI}`));
  });
  return problems;
}

describe('the web app under its security headers', () => {
  it('renders, registers the admin and lands on the dashboard with no CSP violation', async () => {
    const page = await newPage(harness.browser, harness.server.url);
    const problems = await watchViolations(page);
    const response = await page.goto('/login');
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    await registerFirstAdmin(page, { email: 'admin@example.com', password: 'admin-password-1' });
    await page.waitForLoadState('networkidle');
    const shot = await screenshot(page, TEST, 'after-register');
    expect(shot).toMatch(/\.png$/);
    expect(problems).toEqual([]);
    expect(await page.locator('main, [role="main"], nav').count()).toBeGreaterThan(0);
  });
});
