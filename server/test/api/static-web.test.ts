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
