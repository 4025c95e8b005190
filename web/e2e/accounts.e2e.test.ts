// Issue #2's acceptance flow in a real browser: register admin → register a second user →
// pending login refused → admin approves on the Users page → second user signs in → creates an
// API key → /v1/models answers 200 with it and 401 once it is revoked. [AUTH-01..06]
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, screenshot, startHarness, type Harness } from './harness.js';

const TEST = 'accounts';
const admin = { email: 'admin@example.com', password: 'admin-password-1' };
// The member's password changes when the admin resets it (third test).
const member = { email: 'member@example.com', password: 'member-password-1' };

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

async function register(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.goto('/login');
  await page.getByRole('button', { name: 'Register' }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Create an account' }).isVisible()).toBe(true);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByLabel('Confirm password').fill(account.password);
  await page.getByRole('button', { name: 'Register' }).click();
}

async function signIn(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

function listModels(key: string): Promise<Response> {
  return fetch(`${harness.server.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
}

describe('accounts and API keys in the browser', () => {
  it('runs the whole flow from the first admin to a revoked key', async () => {
    const adminPage = await newPage(harness.browser, harness.server.url);
    const memberPage = await newPage(harness.browser, harness.server.url);

    // A stranger is sent to the login page.
    await adminPage.goto('/users');
    await adminPage.waitForURL(/\/login\?next=%2Fusers$/);
    await screenshot(adminPage, TEST, '01-login');

    // The register form checks the confirmation before asking the server.
    await adminPage.getByRole('button', { name: 'Register' }).click();
    await adminPage.getByLabel('Email').fill(admin.email);
    await adminPage.getByLabel('Password', { exact: true }).fill(admin.password);
    await adminPage.getByLabel('Confirm password').fill('something-else');
    await adminPage.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => adminPage.getByText('The two passwords do not match.').isVisible()).toBe(true);
    await screenshot(adminPage, TEST, '02-register-mismatch');

    // The first account is the admin and is signed in at once (and goes where it wanted to).
    await adminPage.getByLabel('Confirm password').fill(admin.password);
    await adminPage.getByRole('button', { name: 'Register' }).click();
    await adminPage.waitForURL(/\/users$/);
    await expect.poll(() => adminPage.getByRole('row', { name: admin.email }).isVisible()).toBe(true);
    await screenshot(adminPage, TEST, '03-admin-signed-in');

    // The second account waits for approval.
    await register(memberPage, member);
    const notice = memberPage.getByText('Registration submitted');
    await expect.poll(() => notice.isVisible()).toBe(true);
    await screenshot(memberPage, TEST, '04-registration-submitted');

    // Its login is refused with the pending message (not a redirect, not "wrong password").
    await memberPage.getByLabel('Email').fill(member.email);
    await memberPage.getByLabel('Password', { exact: true }).fill(member.password);
    await memberPage.getByRole('button', { name: 'Sign in' }).click();
    const refusal = memberPage.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toMatch(/waiting for an administrator/);
    expect(new URL(memberPage.url()).pathname).toBe('/login');
    await screenshot(memberPage, TEST, '05-pending-refused');

    // A wrong password is its own message.
    await memberPage.getByLabel('Password', { exact: true }).fill('not-the-password');
    await memberPage.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(async () => (await refusal.textContent())?.trim()).toBe('Invalid email or password.');

    // The admin's open page shows the pending pill at once (pushed over the event stream) and
    // the new row appears without a reload; the admin approves it.
    const pill = adminPage.getByRole('link', { name: 'Users 1 pending' });
    await expect.poll(() => pill.isVisible()).toBe(true);
    const memberRow = adminPage.getByRole('row', { name: member.email });
    await expect.poll(() => memberRow.getByText('Pending').isVisible()).toBe(true);
    // The only active admin cannot be disabled, demoted or deleted: the buttons say so.
    const adminRow = adminPage.getByRole('row', { name: admin.email });
    expect(await adminRow.getByText('(you)').isVisible()).toBe(true);
    expect(await adminRow.getByRole('button', { name: 'Disable' }).isDisabled()).toBe(true);
    expect(await adminRow.getByRole('button', { name: 'Remove admin' }).isDisabled()).toBe(true);
    expect(await adminRow.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);
    await screenshot(adminPage, TEST, '06-users-pending');

    await memberRow.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => memberRow.getByText('Approved').isVisible()).toBe(true);
    await expect.poll(() => pill.count()).toBe(0);
    await screenshot(adminPage, TEST, '07-users-approved');

    // The member signs in and creates an API key, shown once.
    await signIn(memberPage, member);
    await memberPage.waitForURL(/\/dashboard$/);
    expect(await memberPage.getByRole('link', { name: 'Users' }).count()).toBe(0); // not an admin
    await memberPage.getByRole('link', { name: 'API keys' }).click();
    await memberPage.waitForURL(/\/keys$/);
    await memberPage.getByLabel('Key name').fill('e2e key');
    await memberPage.getByRole('button', { name: 'Create key' }).click();
    const keyField = memberPage.getByRole('textbox', { name: 'New API key' });
    await expect.poll(() => keyField.inputValue()).not.toBe('');
    const key = await keyField.inputValue();
    expect(await memberPage.getByText("You won't be able to see it again").isVisible()).toBe(true);
    await expect.poll(() => memberPage.getByRole('row', { name: /e2e key/ }).isVisible()).toBe(true);
    await screenshot(memberPage, TEST, '08-key-created');

    // The gateway accepts the key…
    const ok = await listModels(key);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ object: 'list', data: expect.any(Array) });

    // …and refuses it once revoked.
    await memberPage.getByRole('button', { name: 'Revoke e2e key' }).click();
    await memberPage.getByRole('alertdialog').getByRole('button', { name: 'Revoke key' }).click();
    await expect.poll(() => memberPage.getByText('No keys yet').isVisible()).toBe(true);
    await screenshot(memberPage, TEST, '09-key-revoked');
    const refused = await listModels(key);
    expect(refused.status).toBe(401);

    // Logout ends the session: protected pages send the member back to the login page.
    await memberPage.getByRole('button', { name: /^Account menu/ }).click();
    await memberPage.getByRole('menuitem', { name: 'Logout' }).click();
    await memberPage.waitForURL(/\/login$/);
    await memberPage.goto('/keys');
    await memberPage.waitForURL(/\/login\?next=%2Fkeys$/);
  });

  it('explains the last-admin guard, resets a password, and shows the server refusing a stale change', async () => {
    const page = await newPage(harness.browser, harness.server.url);
    await signIn(page, admin);
    await page.waitForURL(/\/dashboard$/);
    await page.getByRole('link', { name: 'Users' }).click();
    const adminRow = page.getByRole('row', { name: admin.email });
    const memberRow = page.getByRole('row', { name: member.email });
    await expect.poll(() => memberRow.isVisible()).toBe(true);

    // Hovering the disabled Delete says why.
    await adminRow.getByRole('button', { name: 'Delete' }).hover({ force: true });
    await expect.poll(() => page.getByRole('tooltip').textContent()).toMatch(/Cannot delete the last active admin/);
    await screenshot(page, TEST, '10-last-admin-tooltip');

    // Reset the member's password in the modal; the new one works at once.
    await memberRow.getByRole('button', { name: 'Reset password' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByText(`Set a new password for ${member.email}.`).isVisible()).toBe(true);
    await dialog.getByLabel('New password', { exact: true }).fill('short');
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => dialog.getByText('Use at least 8 characters.').isVisible()).toBe(true);
    member.password = 'member-password-2';
    await dialog.getByLabel('New password', { exact: true }).fill(member.password);
    await dialog.getByLabel('Confirm new password').fill(member.password);
    await screenshot(page, TEST, '11-reset-password');
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.getByText(`Password reset for ${member.email}.`).isVisible()).toBe(true);
    const login = await fetch(`${harness.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(member),
    });
    expect(login.status).toBe(200);

    // With two admins the guard lifts. The page follows changes live, so to act on a stale
    // list the test freezes the page's view of GET /api/users, demotes the other admin behind
    // its back, then clicks: the server refuses (409) and the page shows its message.
    await memberRow.getByRole('button', { name: 'Make admin' }).click();
    await expect.poll(() => memberRow.getByText('Admin', { exact: true }).isVisible()).toBe(true);
    expect(await adminRow.getByRole('button', { name: 'Remove admin' }).isEnabled()).toBe(true);
    const snapshot = (await (await page.request.get('/api/users')).json()) as { users: Array<{ id: string; email: string }> };
    await page.route('**/api/users', (route) =>
      route.request().method() === 'GET' ? route.fulfill({ json: snapshot }) : route.continue(),
    );
    const memberId = snapshot.users.find((user) => user.email === member.email)?.id;
    expect(memberId).toBeDefined();
    const demote = await page.request.patch(`/api/users/${memberId}`, { data: { is_admin: false } });
    expect(demote.status()).toBe(200);
    await adminRow.getByRole('button', { name: 'Remove admin' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'The server refused this change' });
    await expect.poll(() => refusal.isVisible()).toBe(true);
    expect(await refusal.textContent()).toMatch(/last active admin/i);
    await page.unroute('**/api/users');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => adminRow.getByRole('button', { name: 'Remove admin' }).isDisabled()).toBe(true);
    await screenshot(page, TEST, '12-server-refused');
  });

  it('sends a user disabled mid-session to the login page on their next action', async () => {
    const memberPage = await newPage(harness.browser, harness.server.url);
    await signIn(memberPage, member);
    await memberPage.waitForURL(/\/dashboard$/);
    await memberPage.getByRole('link', { name: 'API keys' }).click();
    await memberPage.waitForURL(/\/keys$/);

    const adminPage = await newPage(harness.browser, harness.server.url);
    await signIn(adminPage, admin);
    await adminPage.waitForURL(/\/dashboard$/);
    await adminPage.getByRole('link', { name: 'Users' }).click();
    const memberRow = adminPage.getByRole('row', { name: member.email });
    await memberRow.getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => memberRow.getByText('Disabled').isVisible()).toBe(true);

    // The member's next call answers 401: the app forgets the session and asks for a login,
    // remembering the page; the login then says the account is disabled.
    await memberPage.getByLabel('Key name').fill('too late');
    await memberPage.getByRole('button', { name: 'Create key' }).click();
    await memberPage.waitForURL(/\/login\?next=%2Fkeys&ended=1$/);
    await expect.poll(() => memberPage.getByText('Your session has ended').isVisible()).toBe(true);
    await signIn(memberPage, member);
    await expect.poll(async () => (await memberPage.getByRole('alert').textContent())?.trim()).toMatch(/has been disabled/);
    await screenshot(memberPage, TEST, '13-disabled-refused');

    await memberRow.getByRole('button', { name: 'Enable' }).click();
    await expect.poll(() => memberRow.getByText('Approved').isVisible()).toBe(true);
  });

  it('follows the system dark mode', async () => {
    const light = await newPage(harness.browser, harness.server.url, { colorScheme: 'light' });
    const dark = await newPage(harness.browser, harness.server.url, { colorScheme: 'dark' });
    await signIn(dark, admin);
    await dark.waitForURL(/\/dashboard$/);
    await dark.getByRole('link', { name: 'Users' }).click();
    await expect.poll(() => dark.getByRole('row', { name: member.email }).isVisible()).toBe(true);
    await screenshot(dark, TEST, '14-dark-users');
    await dark.getByRole('link', { name: 'API keys' }).click();
    await dark.getByLabel('Key name').fill('dark key');
    await dark.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => dark.getByRole('row', { name: /dark key/ }).isVisible()).toBe(true);
    await screenshot(dark, TEST, '15-dark-keys');
    await light.goto('/login');
    await screenshot(light, TEST, '16-light-login');

    const background = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(await background(dark)).not.toBe(await background(light));
  });
});
