// Chat history API on SQLite and PostgreSQL: create, list, search by title and content, rename,
// replace messages, delete; one user never reaches another's chats; bad input is a 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../helpers/databases.js';
import { expectError, gatewayApp, type GatewayApp } from '../gateway-config/helpers.js';

const at = '2026-01-01T00:00:00.000Z';
const userMessage = (id: string, content: string) => ({ id, role: 'user' as const, content, created_at: at });

for (const target of databaseTargets()) {
  describe.skipIf(target.skipped)(`chats API on ${target.name}`, () => {
    let g: GatewayApp;
    beforeAll(async () => {
      g = await gatewayApp(target);
    });
    afterAll(async () => {
      await g.dispose();
    });

    const create = (payload: Record<string, unknown>, headers = g.user) => g.app.inject({ method: 'POST', url: '/api/chats', headers, payload });
    const list = async (q?: string, headers = g.user) => {
      const res = await g.app.inject({ method: 'GET', url: q === undefined ? '/api/chats' : `/api/chats?q=${encodeURIComponent(q)}`, headers });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ chats: Array<{ id: string; title: string; message_count: number }> }>().chats;
    };

    it('creates, reads, renames, replaces messages and deletes a chat', async () => {
      const res = await create({ model: 'tiny', settings: { temperature: 0.2, system_prompt: 'Be brief.', tools_enabled: true } });
      expect(res.statusCode, res.body).toBe(201);
      const chat = res.json<{ id: string; title: string; messages: unknown[]; settings: Record<string, unknown> }>();
      expect(chat).toMatchObject({ title: 'New chat', model: 'tiny', messages: [], settings: { temperature: 0.2, system_prompt: 'Be brief.', tools_enabled: true } });

      const messages = [
        userMessage('m1', 'What is 2+2?'),
        {
          id: 'm2', role: 'assistant', content: '**4**', model: 'tiny', reasoning: 'Adding.', reasoning_ms: 120,
          tool_calls: [{ id: 'call_1', name: 'calculator', arguments: '{"expression":"2+2"}', result: '{"result":4}' }],
          stats: { ttft_ms: 50, duration_ms: 400, tokens: 12, tokens_per_second: 30 }, created_at: at,
        },
      ];
      const patched = await g.app.inject({ method: 'PATCH', url: `/api/chats/${chat.id}`, headers: g.user, payload: { title: 'Arithmetic', messages } });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({ title: 'Arithmetic', model: 'tiny', settings: { temperature: 0.2 } });

      const read = await g.app.inject({ method: 'GET', url: `/api/chats/${chat.id}`, headers: g.user });
      expect(read.json<{ messages: unknown[] }>().messages).toEqual(messages);
      expect((await list()).find((c) => c.id === chat.id)).toMatchObject({ title: 'Arithmetic', message_count: 2 });

      expect((await g.app.inject({ method: 'DELETE', url: `/api/chats/${chat.id}`, headers: g.user })).statusCode).toBe(204);
      expectError(await g.app.inject({ method: 'GET', url: `/api/chats/${chat.id}`, headers: g.user }), 404, 'not_found');
      expectError(await g.app.inject({ method: 'DELETE', url: `/api/chats/${chat.id}`, headers: g.user }), 404, 'not_found');
    });

    it('searches titles and message content, case-insensitively, with LIKE characters taken literally', async () => {
      const a = (await create({ title: 'Trip planning', messages: [userMessage('a1', 'Weather in LISBON tomorrow?')] })).json<{ id: string }>();
      const b = (await create({ title: 'Maths 100%', messages: [userMessage('b1', 'sqrt of 2')] })).json<{ id: string }>();
      const ids = async (q: string) => (await list(q)).map((c) => c.id);
      expect(await ids('lisbon')).toEqual([a.id]);
      expect(await ids('TRIP')).toEqual([a.id]);
      expect(await ids('100%')).toEqual([b.id]);
      expect(await ids('%')).toEqual([b.id]);
      expect(await ids('_')).toEqual([]);
      expect((await ids('')).length).toBeGreaterThanOrEqual(2);
    });

    it('lists newest first', async () => {
      // Times are kept to the millisecond: two writes in the same one would tie (then the id decides).
      const nextMillisecond = async () => {
        const now = Date.now();
        while (Date.now() === now) await new Promise((r) => setTimeout(r, 1));
      };
      const first = (await create({ title: 'older' })).json<{ id: string }>();
      await nextMillisecond();
      const second = (await create({ title: 'newer' })).json<{ id: string }>();
      await nextMillisecond();
      await g.app.inject({ method: 'PATCH', url: `/api/chats/${first.id}`, headers: g.user, payload: { title: 'older, touched' } });
      const order = (await list()).map((c) => c.id);
      expect(order.indexOf(first.id)).toBeLessThan(order.indexOf(second.id));
    });

    it('keeps each user to their own chats', async () => {
      const mine = (await create({ title: 'private notes', messages: [userMessage('p1', 'secret plan')] })).json<{ id: string }>();
      expect((await list(undefined, g.admin)).map((c) => c.id)).not.toContain(mine.id);
      expect(await list('secret', g.admin)).toEqual([]);
      expectError(await g.app.inject({ method: 'GET', url: `/api/chats/${mine.id}`, headers: g.admin }), 404, 'not_found');
      expectError(await g.app.inject({ method: 'PATCH', url: `/api/chats/${mine.id}`, headers: g.admin, payload: { title: 'mine now' } }), 404, 'not_found');
      expectError(await g.app.inject({ method: 'DELETE', url: `/api/chats/${mine.id}`, headers: g.admin }), 404, 'not_found');
      expect((await g.app.inject({ method: 'GET', url: `/api/chats/${mine.id}`, headers: g.user })).json()).toMatchObject({ title: 'private notes' });
      expectError(await g.app.inject({ method: 'GET', url: '/api/chats' }), 401, 'unauthenticated');
    });

    it('refuses bad input with 400 naming the field', async () => {
      const bad = async (payload: Record<string, unknown>, field: string) => {
        const e = expectError(await create(payload), 400, 'validation_failed');
        expect(e.error.details?.map((d) => d.field)).toContain(field);
      };
      await bad({ title: '' }, 'title');
      await bad({ settings: { temperature: 5 } }, 'settings.temperature');
      await bad({ messages: [{ id: 'x', role: 'system', content: 'hi', created_at: at }] }, 'messages.0.role');
      await bad({ messages: [{ ...userMessage('x', 'hi'), attachments: [{ kind: 'image', name: 'a.png', thumbnail: 'javascript:alert(1)' }] }] }, 'messages.0.attachments.0.thumbnail');
      await bad({ owner: 'someone' }, 'owner');
    });
  });
}
