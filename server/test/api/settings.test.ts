import { describe, expect, it } from 'vitest';
import type { BusMessage } from '../../src/services/event-bus.js';
import { bearer, body, useAdminAndUser } from '../helpers/app.js';

describe('runtime settings API [issue 7]', () => {
  const ctx = useAdminAndUser();

  it('GET answers every key with its default; only admins may read or write', async () => {
    const res = await ctx.t.app.inject({ method: 'GET', url: '/api/settings', headers: bearer(ctx.admin.token) });
    expect(res.statusCode).toBe(200);
    expect(body(res)).toMatchObject({
      settings: {
        registration_open: true,
        max_pending_users: 50,
        v1_open_on_loopback: false,
        gateway_allow_private_upstreams: true,
        memory_budget_fraction: 0.75,
        audit_retention_days: 30,
        hf_token: '',
        hf_endpoint: '',
      },
    });
    for (const method of ['GET', 'PATCH'] as const) {
      const refused = await ctx.t.app.inject({ method, url: '/api/settings', headers: bearer(ctx.user.token), payload: method === 'PATCH' ? { registration_open: false } : undefined });
      expect(refused.statusCode).toBe(403);
    }
  });

  it('PATCH stores the keys given, announces settings.changed to admins, and survives a reload from the table', async () => {
    const seen: BusMessage[] = [];
    ctx.t.services.events.subscribe((m) => seen.push(m));
    const res = await ctx.t.app.inject({ method: 'PATCH', url: '/api/settings', headers: bearer(ctx.admin.token), payload: { max_pending_users: 3, registration_open: false } });
    expect(res.statusCode).toBe(200);
    expect(body<{ settings: Record<string, unknown> }>(res).settings).toMatchObject({ max_pending_users: 3, registration_open: false, audit_retention_days: 30 });
    expect(seen).toEqual([{ event: { type: 'settings.changed', keys: ['registration_open', 'max_pending_users'] }, audience: { kind: 'admins' } }]);
    expect(await ctx.t.services.settings.reload()).toMatchObject({ max_pending_users: 3, registration_open: false });
  });

  it('unknown keys and bad values are 400 naming the field, and change nothing', async () => {
    const unknown = await ctx.t.app.inject({ method: 'PATCH', url: '/api/settings', headers: bearer(ctx.admin.token), payload: { registration_open: false, surprise: 1 } });
    expect(unknown.statusCode).toBe(400);
    expect(body(unknown)).toMatchObject({ error: { code: 'validation_failed', details: [{ field: 'surprise', message: 'unknown field' }] } });
    const bad = await ctx.t.app.inject({ method: 'PATCH', url: '/api/settings', headers: bearer(ctx.admin.token), payload: { memory_budget_fraction: 2 } });
    expect(bad.statusCode).toBe(400);
    expect(body(bad)).toMatchObject({ error: { code: 'validation_failed', details: [{ field: 'memory_budget_fraction' }] } });
    expect(ctx.t.services.settings.get()).toMatchObject({ registration_open: true, memory_budget_fraction: 0.75 });
  });
});
