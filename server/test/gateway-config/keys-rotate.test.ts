// `mlx-manager keys rotate` on SQLite and PostgreSQL: every sealed column re-sealed in one
// transaction, the key file replaced after the commit, env-provided keys refused or taken on stdin.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { masterKeyPath, registerKeys } from '../../src/cli/keys.js';
import { CliError, type CliIo } from '../../src/cli/io.js';
import { createDatabase } from '../../src/db/connect.js';
import { createAppContext } from '../../src/main.js';
import { resealAll } from '../../src/services/key-rotation.js';
import { createSecretBox } from '../../src/services/secret-box.js';
import { adminAndUser, bearer } from '../helpers/app.js';
import { tempHome, testConfig } from '../helpers/config.js';
import { databaseTargets, type DatabaseTarget } from '../helpers/databases.js';
import { freePort } from '../engines/helpers.js';

const PROVIDER_KEY = 'sk-rotate-me-0123456789abcdef';
const PROFILE_SECRET = 'hf_profile_secret_value_42';

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function rotate(env: Record<string, string>, args: string[] = [], stdin = ''): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env, stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
  const program = new Command('mlx-manager').exitOverride();
  registerKeys(program, io, { readStdin: async () => stdin });
  try {
    await program.parseAsync(['node', 'mlx-manager', 'keys', 'rotate', ...args]);
    return { code: 0, out, err };
  } catch (e) {
    if (e instanceof CliError) return { code: e.exitCode, out, err: [...err, e.message] };
    throw e;
  }
}

/** A data folder on this dialect with one provider key and one sealed profile secret stored. */
async function seeded(target: DatabaseTarget, masterKey?: string) {
  if (target.unavailable) throw new Error(target.unavailable);
  const tmp = await tempHome();
  const database_url = await target.create();
  const overrides = { ...(database_url ? { database_url } : {}), ...(masterKey ? { master_key: masterKey } : {}) };
  const config = testConfig(tmp.home, overrides);
  const ctx = await createAppContext(config, { logger: false, webRoot: null });
  let providerId = '';
  try {
    const { admin } = await adminAndUser(ctx.app);
    const p = await ctx.app.inject({ method: 'POST', url: '/api/providers', headers: bearer(admin.token), payload: { name: 'p', kind: 'openai', base_url: 'http://127.0.0.1:9/v1', api_key: PROVIDER_KEY } });
    expect(p.statusCode, p.body).toBe(201);
    providerId = p.json<{ id: string }>().id;
    const profile = await ctx.app.inject({ method: 'POST', url: '/api/profiles', headers: bearer(admin.token), payload: { name: 'sealed', engine: 'mlx-lm', model: 'org/model', env: { HF_TOKEN: PROFILE_SECRET } } });
    expect(profile.statusCode, profile.body).toBe(201);
  } finally {
    await ctx.close();
  }
  const env: Record<string, string> = { MLX_MANAGER_HOME: tmp.home, MLX_MANAGER_PORT: String(await freePort()), ...(database_url ? { MLX_MANAGER_DATABASE_URL: database_url } : {}) };
  return { tmp, config, env, providerId, database_url };
}

/** Starts the app with this config and reads the provider key and profile env back in clear. */
async function readBack(config: ReturnType<typeof testConfig>, providerId: string) {
  const ctx = await createAppContext(config, { logger: false, webRoot: null });
  try {
    const conn = await ctx.services.providers.connection(providerId);
    const raw = await ctx.database.db.selectFrom('providers').select('api_key').where('id', '=', providerId).executeTakeFirstOrThrow();
    const profiles = await ctx.services.profiles.list();
    return { apiKey: conn?.apiKey, sealed: raw.api_key ?? '', profileEnv: profiles[0]?.env };
  } finally {
    await ctx.close();
  }
}

for (const target of databaseTargets()) {
  describe.skipIf(target.skipped)(`keys rotate on ${target.name}`, () => {
    it('re-seals every secret under a generated key and replaces the 0600 key file', async () => {
      const s = await seeded(target);
      try {
        const oldKey = (await readFile(masterKeyPath(s.tmp.home), 'utf8')).trim();
        const before = await readBack(s.config, s.providerId);
        expect(createSecretBox(oldKey).isSealedByThisKey(before.sealed)).toBe(true);

        const run = await rotate(s.env);
        expect(run.code, run.err.join('\n')).toBe(0);
        expect(run.out.join('\n')).toMatch(/Re-encrypted 2 stored secrets \(profiles\.secrets: 1, providers\.api_key: 1, settings\.value: 0\)/);

        const newKey = (await readFile(masterKeyPath(s.tmp.home), 'utf8')).trim();
        expect(newKey).not.toBe(oldKey);
        expect((await stat(masterKeyPath(s.tmp.home))).mode & 0o777).toBe(0o600);
        await expect(stat(`${masterKeyPath(s.tmp.home)}.next`)).rejects.toMatchObject({ code: 'ENOENT' });

        const after = await readBack(s.config, s.providerId);
        expect(after.apiKey).toBe(PROVIDER_KEY);
        expect(after.profileEnv).toEqual({ HF_TOKEN: PROFILE_SECRET });
        expect(createSecretBox(newKey).isSealedByThisKey(after.sealed)).toBe(true);
      } finally {
        await s.tmp.remove();
      }
    }, 60_000);

    it('refuses an environment-provided key unless the new one comes on stdin; then re-seals for the new env key', async () => {
      const envKey = 'e'.repeat(40);
      const s = await seeded(target, envKey);
      try {
        const env = { ...s.env, MLX_MANAGER_MASTER_KEY: envKey };
        const refused = await rotate(env);
        expect(refused.code).toBe(1);
        expect(refused.err.join('\n')).toMatch(/comes from MLX_MANAGER_MASTER_KEY.*--new-key-stdin/);

        const short = await rotate(env, ['--new-key-stdin'], 'too-short\n');
        expect(short.err.join('\n')).toMatch(/at least 32 characters/);

        const newKey = 'n'.repeat(48);
        const run = await rotate(env, ['--new-key-stdin'], `${newKey}\n`);
        expect(run.code, run.err.join('\n')).toBe(0);
        expect(run.out.join('\n')).toMatch(/set MLX_MANAGER_MASTER_KEY/);
        const after = await readBack(testConfig(s.tmp.home, { ...(s.database_url ? { database_url: s.database_url } : {}), master_key: newKey }), s.providerId);
        expect(after.apiKey).toBe(PROVIDER_KEY);
        expect(after.profileEnv).toEqual({ HF_TOKEN: PROFILE_SECRET });
      } finally {
        await s.tmp.remove();
      }
    }, 60_000);

    it('changes nothing when a stored secret does not open with the current key', async () => {
      const s = await seeded(target);
      try {
        const keyFile = masterKeyPath(s.tmp.home);
        const original = await readFile(keyFile, 'utf8');
        // Someone replaced the key file: the stored secrets were sealed under another key.
        await writeFile(keyFile, 'w'.repeat(64) + '\n');
        const run = await rotate(s.env);
        expect(run.code).toBe(1);
        expect(run.err.join('\n')).toMatch(/Nothing was changed/);
        expect(await readFile(keyFile, 'utf8')).toBe('w'.repeat(64) + '\n');
        await writeFile(keyFile, original);
        expect((await readBack(s.config, s.providerId)).apiKey).toBe(PROVIDER_KEY);
      } finally {
        await s.tmp.remove();
      }
    }, 60_000);

    it('finishes a rotation interrupted between its commit and the key file rename', async () => {
      const s = await seeded(target);
      try {
        const keyFile = masterKeyPath(s.tmp.home);
        const oldKey = (await readFile(keyFile, 'utf8')).trim();
        const nextKey = 'x'.repeat(64);
        // The state a crash after the commit leaves: data under the new key, which is only in .next.
        const database = createDatabase(s.config);
        try {
          await resealAll(database.db, createSecretBox(oldKey), createSecretBox(nextKey));
        } finally {
          await database.destroy();
        }
        await writeFile(`${keyFile}.next`, `${nextKey}\n`, { mode: 0o600 });
        const run = await rotate(s.env);
        expect(run.code).toBe(1);
        expect(run.err.join('\n')).toMatch(/interrupted rotation/);
        expect((await readFile(keyFile, 'utf8')).trim()).toBe(nextKey);
        expect((await readBack(s.config, s.providerId)).apiKey).toBe(PROVIDER_KEY);
        // and a normal rotation works again from there
        expect((await rotate(s.env)).code).toBe(0);
        expect((await readBack(s.config, s.providerId)).apiKey).toBe(PROVIDER_KEY);
      } finally {
        await s.tmp.remove();
      }
    }, 60_000);

    it('refuses while the server answers on its port', async () => {
      const s = await seeded(target);
      const ctx = await createAppContext(s.config, { logger: false, webRoot: null });
      try {
        await ctx.app.listen({ host: '127.0.0.1', port: Number(s.env.MLX_MANAGER_PORT) });
        const run = await rotate(s.env);
        expect(run.code).toBe(1);
        expect(run.err.join('\n')).toMatch(/is running: stop it/);
      } finally {
        await ctx.close();
        await s.tmp.remove();
      }
    }, 60_000);
  });
}
