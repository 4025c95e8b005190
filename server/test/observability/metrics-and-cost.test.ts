// GET /metrics read by a strict Prometheus text parser while real OpenAI SDK requests go through
// the gateway to a fake provider; per-model prices turn into costs on records and aggregates.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, AuditRecordedEvent, AuditStats, Provider } from '@mlx-manager/contract';
import type { BusMessage } from '../../src/services/event-bus.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI, type FakeUpstream } from '../fixtures/fake-upstreams/index.js';
import { startGatewayHarness, type GatewayHarness } from '../gateway/harness.js';
import { parsePrometheusText, sum, type Exposition } from './prometheus-text.js';

let h: GatewayHarness;
let upstream: FakeUpstream;
let provider: Provider;
let client: OpenAI;

beforeAll(async () => {
  h = await startGatewayHarness();
  upstream = await startFakeOpenAI();
  provider = await h.addProvider({ name: 'fake', kind: 'openai', base_url: upstream.baseURL, api_key: FAKE_OPENAI_KEY, models: ['gpt-fake'] });
  await h.addRoute({ match: 'prefix', pattern: 'gpt-*', targets: [{ provider_id: provider.id }] });
  // The same provider twice: a failed first attempt moves on to the second (a failover).
  await h.addRoute({ match: 'exact', pattern: 'flaky', targets: [{ provider_id: provider.id, model: 'gpt-fake' }, { provider_id: provider.id, model: 'gpt-fake' }] });
  await h.createProfile({ name: 'local-metrics', engine: 'mlx-lm', model: 'org/fake-metrics' });
  client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: h.key, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await upstream?.close();
});

async function scrape(headers: Record<string, string> = { authorization: `Bearer ${h.key}` }): Promise<Exposition> {
  const res = await fetch(`${h.url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

const api = async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${h.url}${path}`, { ...init, headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json', ...init.headers } });
  return { status: res.status, body: (await res.json()) as T };
};

describe('GET /metrics', () => {
  it('declares every family and moves request, duration, TTFT and token counters as requests go through', async () => {
    const before = await scrape();
    for (const family of ['mlxm_gateway_requests_total', 'mlxm_gateway_request_duration_seconds', 'mlxm_gateway_ttft_seconds', 'mlxm_gateway_tokens_total', 'mlxm_gateway_failovers_total', 'mlxm_engine_state', 'mlxm_engine_memory_bytes', 'mlxm_engine_cpu_percent', 'mlxm_downloads_in_progress', 'mlxm_event_stream_clients']) {
      expect(before.types.has(family), family).toBe(true);
    }
    const ok = { model: 'gpt-fake', backend: 'openai', status: '200' };
    const count0 = sum(before, 'mlxm_gateway_requests_total', ok);

    await client.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'one two three' }] });
    const stream = await client.chat.completions.create({ model: 'gpt-fake', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'four five' }] });
    for await (const chunk of stream) void chunk;
    await expect(client.chat.completions.create({ model: 'nothing-routes-here', messages: [{ role: 'user', content: 'x' }] })).rejects.toThrow();

    const after = await scrape();
    expect(sum(after, 'mlxm_gateway_requests_total', ok) - count0).toBe(2);
    expect(sum(after, 'mlxm_gateway_request_duration_seconds_count', ok)).toBe(sum(after, 'mlxm_gateway_requests_total', ok));
    expect(sum(after, 'mlxm_gateway_request_duration_seconds_bucket', { ...ok, le: '+Inf' })).toBe(sum(after, 'mlxm_gateway_requests_total', ok));
    expect(sum(after, 'mlxm_gateway_ttft_seconds_count', { model: 'gpt-fake' })).toBeGreaterThanOrEqual(2);
    expect(sum(after, 'mlxm_gateway_tokens_total', { model: 'gpt-fake', direction: 'in' })).toBeGreaterThan(sum(before, 'mlxm_gateway_tokens_total', { model: 'gpt-fake', direction: 'in' }));
    expect(sum(after, 'mlxm_gateway_tokens_total', { model: 'gpt-fake', direction: 'out' })).toBeGreaterThan(0);
  });

  it('counts a failover when the first target fails before answering', async () => {
    const before = sum(await scrape(), 'mlxm_gateway_failovers_total', { model: 'flaky' });
    upstream.setBehaviour({ fail: { status: 503, count: 1 } });
    try {
      await client.chat.completions.create({ model: 'flaky', messages: [{ role: 'user', content: 'again' }] });
    } finally {
      upstream.setBehaviour({});
    }
    expect(sum(await scrape(), 'mlxm_gateway_failovers_total', { model: 'flaky' }) - before).toBe(1);
  });

  it('reports each profile\'s engine state, downloads and open event streams', async () => {
    const e = await scrape();
    expect(sum(e, 'mlxm_engine_state', { profile: 'local-metrics', state: 'stopped' })).toBe(1);
    expect(sum(e, 'mlxm_engine_state', { profile: 'local-metrics', state: 'ready' })).toBe(0);
    expect(sum(e, 'mlxm_downloads_in_progress')).toBe(0);

    const controller = new AbortController();
    const events = await fetch(`${h.url}/api/events`, { headers: { authorization: `Bearer ${h.adminToken}` }, signal: controller.signal });
    expect(events.status).toBe(200);
    const withStream = sum(await scrape(), 'mlxm_event_stream_clients');
    controller.abort();
    expect(withStream).toBeGreaterThanOrEqual(1);
  });

  it('refuses a scrape without a key (401, management envelope) and a wrong key; open on loopback only when the admin allows it', async () => {
    const none = await fetch(`${h.url}/metrics`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    expect((await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer sk-wrong' } })).status).toBe(401);
    expect((await api('/api/settings', { method: 'PATCH', body: JSON.stringify({ v1_open_on_loopback: true }) })).status).toBe(200);
    try {
      await scrape({});
    } finally {
      await api('/api/settings', { method: 'PATCH', body: JSON.stringify({ v1_open_on_loopback: false }) });
    }
  });
});

describe('cost', () => {
  it('is unknown for an unpriced provider model, then priced per million tokens on records and aggregates', async () => {
    await client.chat.completions.create({ model: 'gpt-fake', messages: [{ role: 'user', content: 'price me please' }] });
    await h.ctx.services.audit.flush();
    const unpriced = await api<AuditPage>('/api/audit?model=gpt-fake&limit=1');
    expect(unpriced.body.records[0]!.cost_usd).toBeNull();

    const patched = await api<Provider>(`/api/providers/${provider.id}`, { method: 'PATCH', body: JSON.stringify({ prices: { 'gpt-fake': { input_per_mtok: 2, output_per_mtok: 8 } } }) });
    expect(patched.status).toBe(200);
    expect(patched.body.prices).toEqual({ 'gpt-fake': { input_per_mtok: 2, output_per_mtok: 8 } });

    const page = await api<AuditPage>('/api/audit?model=gpt-fake&limit=500');
    for (const r of page.body.records) expect(r.cost_usd).toBeCloseTo(((r.tokens_in ?? 0) * 2 + (r.tokens_out ?? 0) * 8) / 1e6, 12);
    expect(page.body.records.some((r) => (r.cost_usd ?? 0) > 0)).toBe(true);

    const stats = await api<AuditStats>('/api/audit/stats?model=gpt-fake');
    expect(stats.status).toBe(200);
    const expected = page.body.records.reduce((acc, r) => acc + (r.cost_usd ?? 0), 0);
    expect(stats.body.models.find((m) => m.model === 'gpt-fake')?.cost_usd).toBeCloseTo(expected, 12);
    expect(stats.body.totals.requests).toBe(page.body.records.length);
    expect(stats.body.buckets.reduce((acc, b) => acc + b.ok + b.client_errors + b.server_errors, 0)).toBe(page.body.records.length);
  });

  it('refuses bad prices and bad stats ranges without saving anything', async () => {
    const before = (await api<Provider>(`/api/providers/${provider.id}`)).body.prices;
    for (const prices of [{ 'gpt-fake': { input_per_mtok: -1, output_per_mtok: 1 } }, { 'gpt-fake': { input_per_mtok: 1 } }, { '': { input_per_mtok: 1, output_per_mtok: 1 } }, ['gpt-fake']]) {
      const res = await api<{ error: { code: string; message: string } }>(`/api/providers/${provider.id}`, { method: 'PATCH', body: JSON.stringify({ name: 'renamed-by-bad-input', prices }) });
      expect(res.status, JSON.stringify(prices)).toBe(400);
      expect(res.body.error.message).toMatch(/prices/);
    }
    const after = (await api<Provider>(`/api/providers/${provider.id}`)).body;
    expect(after.prices).toEqual(before);
    expect(after.name).toBe('fake');
    const backwards = await api<{ error: { message: string } }>('/api/audit/stats?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toMatch(/since must be before until/);
    expect((await api('/api/audit/stats?bucket_seconds=1')).status).toBe(400);
    expect((await api('/api/audit/stats?cursor=x')).status).toBe(400);
  });
});

/** Opens `GET /api/events` as the admin and resolves once the stream is open; abort() closes it. */
async function openEventStream(): Promise<AbortController> {
  const controller = new AbortController();
  const res = await fetch(`${h.url}/api/events`, { headers: { authorization: `Bearer ${h.adminToken}` }, signal: controller.signal });
  expect(res.status).toBe(200);
  return controller;
}

const recordOf = (user: string, model: string) => ({
  user_id: user, api_key_id: null, endpoint: '/v1/chat/completions', requested_model: model, rule_id: null, backend: null, target_id: null, target_model: null,
  status: 404, duration_ms: 1, ttft_ms: null, tokens_in: null, tokens_out: null, hops: [], error: 'no route',
});

describe('audit.recorded events', () => {
  it('are not made while no event stream is open (the records are written all the same)', async () => {
    const seen: BusMessage[] = [];
    const stop = h.ctx.services.events.subscribe((m) => {
      if (m.event.type === 'audit.recorded') seen.push(m);
    });
    try {
      h.ctx.services.audit.record(recordOf('u-3', 'evt-unwatched'));
      await h.ctx.services.audit.flush();
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      stop();
    }
    expect(seen).toEqual([]);
    expect((await h.audit({ model: 'evt-unwatched' })).map((r) => r.user_id)).toEqual(['u-3']);
  });

  it('announce each written batch while a stream is open: every record to admins, a user\'s own records to that user', async () => {
    const seen: BusMessage[] = [];
    const stop = h.ctx.services.events.subscribe((m) => {
      if (m.event.type === 'audit.recorded') seen.push(m);
    });
    const stream = await openEventStream();
    try {
      h.ctx.services.audit.record({ user_id: 'u-1', api_key_id: null, endpoint: '/v1/chat/completions', requested_model: 'evt-a', rule_id: null, backend: 'local', target_id: 'p', target_model: 'm', status: 200, duration_ms: 5, ttft_ms: 1, tokens_in: 1, tokens_out: 1, hops: [], error: null });
      h.ctx.services.audit.record({ user_id: 'u-2', api_key_id: null, endpoint: '/v1/chat/completions', requested_model: 'evt-b', rule_id: null, backend: null, target_id: null, target_model: null, status: 404, duration_ms: 1, ttft_ms: null, tokens_in: null, tokens_out: null, hops: [], error: 'no route' });
      await h.ctx.services.audit.flush();
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      stop();
      stream.abort();
    }
    const models = (m: BusMessage) => (m.event as AuditRecordedEvent).records.map((r) => r.requested_model);
    const admins = seen.filter((m) => m.audience.kind === 'admins');
    expect(admins.flatMap(models)).toEqual(expect.arrayContaining(['evt-a', 'evt-b']));
    expect(seen.filter((m) => m.audience.kind === 'user' && m.audience.userId === 'u-1').flatMap(models)).toEqual(['evt-a']);
    expect(seen.filter((m) => m.audience.kind === 'user' && m.audience.userId === 'u-2').flatMap(models)).toEqual(['evt-b']);
    const rec = admins.flatMap((m) => (m.event as AuditRecordedEvent).records).find((r) => r.requested_model === 'evt-a');
    expect(rec).toMatchObject({ status: 200, cost_usd: 0 });
    expect(rec?.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
