// Issue 7 in the browser: a non-admin is not offered what the server would refuse them — the
// custom engine, the command line and environment, trust_remote_code, the chat template file,
// the host — nor the edit, copy and delete buttons of a profile that is not theirs; an admin
// still sees all of it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPage, registerFirstAdmin, screenshot, startHarness, type Harness } from './harness.js';

const TEST = 'profiles-access';
const admin = { email: 'access-admin@example.com', password: 'access-admin-password' };
const member = { email: 'access-member@example.com', password: 'access-member-password' };

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

async function apiAs(token: string | null, method: string, path: string, payload?: unknown): Promise<Response> {
  return fetch(`${harness.server.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
  });
}

async function tokenOf(account: { email: string; password: string }): Promise<string> {
  const res = await apiAs(null, 'POST', '/api/auth/login', account);
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** A browser page signed in through the login form. */
async function signedIn(account: { email: string; password: string }): Promise<Page> {
  const page = await newPage(harness.browser, harness.server.url);
  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}

describe('profile form for a non-admin', () => {
  it('offers no custom engine, program fields, trust_remote_code or host', async () => {
    const adminPage = await newPage(harness.browser, harness.server.url);
    await registerFirstAdmin(adminPage, admin);
    const adminToken = await tokenOf(admin);
    expect((await apiAs(adminToken, 'POST', '/api/profiles', { name: 'Admin profile', engine: 'mlx-lm', model: 'org/admin-model' })).status).toBe(201);
    const registered = await apiAs(null, 'POST', '/api/auth/register', member);
    const memberId = ((await registered.json()) as { user: { id: string } }).user.id;
    expect((await apiAs(adminToken, 'PATCH', `/api/users/${memberId}`, { status: 'approved' })).status).toBe(200);

    // The admin's form has every field.
    await adminPage.goto('/profiles/new');
    await adminPage.getByLabel('Engine').selectOption('mlx-openai-server');
    await adminPage.getByRole('button', { name: /Advanced/ }).click();
    await expect.poll(() => adminPage.getByLabel('Trust remote code').count(), { timeout: 10_000 }).toBe(1);
    expect(await adminPage.getByLabel('Host').count()).toBe(1);
    expect(await adminPage.getByLabel('Environment').count()).toBe(1);
    expect(await adminPage.getByLabel('Engine').locator('option[value="custom"]').count()).toBe(1);

    const page = await signedIn(member);

    await page.goto('/profiles/new');
    await page.getByLabel('Engine').selectOption('mlx-openai-server');
    await page.getByRole('button', { name: /Advanced/ }).click();
    // The Advanced section is open (its fields for everyone are there)…
    await expect.poll(() => page.getByLabel('Start timeout (s)').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByLabel('Tool-call parser').count()).toBe(1);
    // …without what only an admin may set.
    expect(await page.getByLabel('Engine').locator('option[value="custom"]').count()).toBe(0);
    for (const label of ['Trust remote code', 'Chat template file', 'Host', 'Command', 'Engine executable', 'Extra arguments', 'Environment']) {
      expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(0);
    }
    await screenshot(page, TEST, '01-member-form');

    // The member may create a plain profile, and manage it; the admin's one only starts and stops.
    await page.getByLabel('Name', { exact: true }).fill('Member profile');
    await page.getByLabel('Model', { exact: true }).fill('org/member-model');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.waitForURL(/\/profiles$/);
    await expect.poll(() => page.getByRole('link', { name: 'Edit Member profile' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByRole('button', { name: 'Start Admin profile' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Edit Admin profile' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Duplicate Admin profile' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete Admin profile' }).count()).toBe(0);
    await screenshot(page, TEST, '02-member-profiles');
  });

  it("offers a server's log to its profile's creator and the admins only", async () => {
    // Both profiles fail to start (no engine, or one that cannot load the made-up model within a
    // second): each gets a failed tile with its last lines.
    const [adminToken, memberToken] = [await tokenOf(admin), await tokenOf(member)];
    const listed = (await (await apiAs(memberToken, 'GET', '/api/profiles')).json()) as { profiles: { id: string }[] };
    for (const p of listed.profiles) {
      expect((await apiAs(adminToken, 'PATCH', `/api/profiles/${p.id}`, { start_timeout_seconds: 1 })).status).toBe(200);
      expect((await apiAs(memberToken, 'POST', `/api/servers/${p.id}/start?wait=true`)).status).toBeGreaterThanOrEqual(400);
    }

    const page = await signedIn(member);
    await page.goto('/servers');
    const own = page.getByRole('article', { name: 'Server Member profile' });
    const admins = page.getByRole('article', { name: 'Server Admin profile' });
    await expect.poll(() => own.getByRole('button', { name: 'Logs' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await admins.count()).toBe(1);
    expect(await admins.getByRole('button', { name: 'Logs' }).count()).toBe(0);
    expect(await admins.getByLabel('Last log lines').count()).toBe(0);
    await screenshot(page, TEST, '03-member-servers');

    const adminPage = await signedIn(admin);
    await adminPage.goto('/servers');
    await expect.poll(() => adminPage.getByRole('article', { name: 'Server Admin profile' }).getByRole('button', { name: 'Logs' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await adminPage.getByRole('article', { name: 'Server Member profile' }).getByRole('button', { name: 'Logs' }).count()).toBe(1);
  });
});
