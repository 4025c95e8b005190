// POST /api/routes/check: the save-time pattern check, run as the route form is typed.
import { describe, expect, it } from 'vitest';
import { bearer, useAdminAndUser } from '../helpers/app.js';

describe('POST /api/routes/check', () => {
  const ctx = useAdminAndUser('all');
  const check = async (payload: unknown, token = ctx.user.token) => ctx.t.app.inject({ method: 'POST', url: '/api/routes/check', headers: bearer(token), payload: payload as Record<string, unknown> });

  it('accepts good patterns and says why a bad one would be refused, saving nothing', async () => {
    expect((await check({ match: 'prefix', pattern: 'claude-*' })).json()).toEqual({ problem: null });
    expect((await check({ match: 'regex', pattern: '^llama-3\\.(1|2)' })).json()).toEqual({ problem: null });
    const broken = (await check({ match: 'regex', pattern: '(unclosed' })).json<{ problem: string }>();
    expect(broken.problem).toMatch(/regex|invalid|unterminated/i);
    const nested = (await check({ match: 'regex', pattern: '(a+)+$' })).json<{ problem: string }>();
    expect(nested.problem).not.toBeNull();
    expect((await check({ match: 'exact', pattern: 'x'.repeat(201) })).json<{ problem: string }>().problem).toMatch(/longer than 200/);
    const list = await ctx.t.app.inject({ method: 'GET', url: '/api/routes', headers: bearer(ctx.admin.token) });
    expect(list.json()).toEqual({ routes: [] });
  });

  it('refuses a malformed body with a 400 naming the field, and strangers with 401', async () => {
    const res = await check({ match: 'glob', pattern: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string; message: string } }>().error.message).toMatch(/match/);
    expect((await check({ match: 'exact' })).statusCode).toBe(400);
    expect((await ctx.t.app.inject({ method: 'POST', url: '/api/routes/check', payload: { match: 'exact', pattern: 'x' } })).statusCode).toBe(401);
  });
});
