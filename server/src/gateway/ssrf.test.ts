import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBaseUrl, classifyAddress, guardedConnector, refusalFor, type ResolveAll } from './ssrf.js';

const open = { allowPrivate: true };
const closed = { allowPrivate: false };

describe('classifyAddress', () => {
  const cases: [string, string][] = [
    ['8.8.8.8', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.10', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['100.100.100.200', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd00:ec2::254', 'metadata'],
    ['fd12:3456::1', 'private'],
    ['2001:4860:4860::8888', 'public'],
    ['::ffff:169.254.169.254', 'metadata'], // IPv4-mapped
    ['::ffff:a9fe:a9fe', 'metadata'], // the same, in hex
    ['::ffff:127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata'], // NAT64
    ['2002:a9fe:a9fe::1', 'metadata'], // 6to4
    ['ff02::1', 'multicast'],
  ];
  it.each(cases)('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  it('refuses metadata and link-local whatever the setting; loopback and private only when private upstreams are off', () => {
    expect(refusalFor('169.254.169.254', open)).toMatch(/metadata/);
    expect(refusalFor('fe80::1', open)).toMatch(/link-local/);
    expect(refusalFor('127.0.0.1', open)).toBeNull();
    expect(refusalFor('192.168.1.2', open)).toBeNull();
    expect(refusalFor('127.0.0.1', closed)).toMatch(/gateway_allow_private_upstreams/);
    expect(refusalFor('10.0.0.1', closed)).toMatch(/private/);
    expect(refusalFor('1.1.1.1', closed)).toBeNull();
  });
});

/** A resolver from a table: no network. */
function fakeDns(table: Record<string, string[]>): ResolveAll {
  return async (host) => {
    const list = table[host];
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe('checkBaseUrl (at save)', () => {
  const dns = fakeDns({ 'ollama.lan': ['192.168.1.5'], 'api.example.test': ['93.184.216.34', '2606:2800:220:1::1'], 'evil.test': ['93.184.216.34', '169.254.169.254'] });

  it('refuses metadata names before any lookup, and numeric metadata / link-local hosts', async () => {
    expect(await checkBaseUrl('http://metadata.google.internal/v1', open, dns)).toMatchObject({ ok: false, reason: 'ssrf' });
    expect(await checkBaseUrl('http://METADATA.google.internal./v1', open, dns)).toMatchObject({ ok: false, reason: 'ssrf' });
    expect(await checkBaseUrl('http://169.254.169.254/latest', open, dns)).toMatchObject({ ok: false, reason: 'ssrf' });
    expect(await checkBaseUrl('http://[fd00:ec2::254]/', open, dns)).toMatchObject({ ok: false, reason: 'ssrf' });
    expect(await checkBaseUrl('http://[::ffff:169.254.169.254]/', open, dns)).toMatchObject({ ok: false, reason: 'ssrf' });    // Other spellings of the metadata address, normalised by the URL parser before the check.
    for (const url of ['http://2852039166/', 'http://0xa9.0xfe.0xa9.0xfe/', 'http://0251.0376.0251.0376/', 'http://169.254.43518/']) {
      expect(await checkBaseUrl(url, open, dns), url).toMatchObject({ ok: false, reason: 'ssrf' });
    }
  });

  it('refuses a name when any of its addresses is forbidden', async () => {
    const res = await checkBaseUrl('https://evil.test/v1', open, dns);
    expect(res).toEqual({ ok: false, reason: 'ssrf', message: expect.stringMatching(/evil\.test resolves to 169\.254\.169\.254/) });
  });

  it('allows public names, and private ones unless the setting says no', async () => {
    expect(await checkBaseUrl('https://api.example.test/v1', closed, dns)).toEqual({ ok: true, addresses: ['93.184.216.34', '2606:2800:220:1::1'] });
    expect(await checkBaseUrl('http://ollama.lan:11434/v1', open, dns)).toMatchObject({ ok: true });
    expect(await checkBaseUrl('http://ollama.lan:11434/v1', closed, dns)).toMatchObject({ ok: false, reason: 'ssrf' });
    expect(await checkBaseUrl('http://127.0.0.1:11434/v1', closed, dns)).toMatchObject({ ok: false, reason: 'ssrf' });
  });

  it('reports a name that does not resolve as a DNS failure', async () => {
    expect(await checkBaseUrl('https://nowhere.test/v1', open, dns)).toMatchObject({ ok: false, reason: 'dns', message: expect.stringContaining('ENOTFOUND') });
  });
});

describe('guardedConnector (at connect)', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  async function get(url: string, policy: { allowPrivate: boolean }, dns: ResolveAll): Promise<string> {
    const agent = new Agent({ connect: guardedConnector(() => policy, {}, dns) });
    try {
      const res = await request(url, { dispatcher: agent });
      return await res.body.text();
    } finally {
      await agent.close();
    }
  }

  it('connects to an allowed name through the guarded lookup', async () => {
    expect(await get(`http://model.lan:${port}/`, open, fakeDns({ 'model.lan': ['127.0.0.1'] }))).toBe('hello');
  });

  it('refuses a name that now resolves to metadata (DNS rebinding) and a numeric metadata host', async () => {
    await expect(get(`http://model.lan:${port}/`, open, fakeDns({ 'model.lan': ['169.254.169.254'] }))).rejects.toMatchObject({ code: 'ESSRF' });
    await expect(get('http://169.254.169.254/latest/meta-data', open, fakeDns({}))).rejects.toMatchObject({ code: 'ESSRF' });
  });

  it('applies the private setting at connect time, to numeric and named hosts', async () => {
    await expect(get(`http://127.0.0.1:${port}/`, closed, fakeDns({}))).rejects.toMatchObject({ code: 'ESSRF' });
    await expect(get(`http://model.lan:${port}/`, closed, fakeDns({ 'model.lan': ['127.0.0.1'] }))).rejects.toMatchObject({ code: 'ESSRF' });
    expect(await get(`http://127.0.0.1:${port}/`, open, fakeDns({}))).toBe('hello');
  });
});
