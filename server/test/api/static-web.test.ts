import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { tempHome, type TempHome } from '../helpers/config.js';

describe('static web app', () => {
  let root: TempHome;
  let build: string;
  let t: TestApp;
  beforeAll(async () => {
    root = await tempHome();
    build = join(root.home, 'build');
    await mkdir(join(build, '_app', 'immutable'), { recursive: true });
    await writeFile(join(build, 'index.html'), '<!doctype html><title>MLX Manager</title>');
    await writeFile(join(build, '_app', 'immutable', 'app.js'), 'console.log(1)');
    await mkdir(join(build, 'docs'), { recursive: true });
    await writeFile(join(build, 'docs', 'index.html'), '<title>docs</title>');
    await writeFile(join(build, '.env'), 'SECRET=1');
    // a file beside the build folder that no URL may reach
    await writeFile(join(root.home, 'outside-secret.txt'), 'secret');
    t = await createTestApp({}, build);
  });
  afterAll(async () => {
    await t.dispose();
    await root.remove();
  });

  it('serves files and falls back to index.html for client routes', async () => {
    const asset = await t.app.inject({ method: 'GET', url: '/_app/immutable/app.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toContain('immutable');
    for (const url of ['/', '/login', '/users', '/deep/client/route?x=1']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>MLX Manager</title>');
    }
  });

  it('answers HEAD and conditional GETs, and a folder named without its slash as its index', async () => {
    const head = await t.app.inject({ method: 'HEAD', url: '/_app/immutable/app.js' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe('14');
    expect(head.body).toBe('');
    const first = await t.app.inject({ method: 'GET', url: '/_app/immutable/app.js' });
    const again = await t.app.inject({ method: 'GET', url: '/_app/immutable/app.js', headers: { 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const folder = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(folder.statusCode).toBe(200);
    expect(folder.body).toBe('<title>docs</title>');
    expect(folder.headers['cache-control']).toBe('no-cache');
  });

  it('never serves dotfiles: they get the SPA shell like any unknown path', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/.env' });
    expect(res.body).not.toContain('SECRET');
    expect(res.body).toContain('<title>MLX Manager</title>');
  });

  it('never serves files outside the build folder', async () => {
    for (const url of ['/../outside-secret.txt', '/%2e%2e/outside-secret.txt', '/..%2Foutside-secret.txt', '/_app/../../outside-secret.txt']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.body, url).not.toBe('secret');
    }
  });

  it('API paths are never answered by the SPA fallback', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/unknown' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('without a build, / answers a short JSON note', async () => {
    const bare = await createTestApp({}, join(root.home, 'missing'));
    try {
      const res = await bare.app.inject({ method: 'GET', url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ name: 'MLX Manager', note: expect.stringContaining('not built') });
    } finally {
      await bare.dispose();
    }
  });
});
