import type { Profile, ProfileList, Server, ServerList } from '@mlx-manager/contract';
import type { Command } from 'commander';
import { createDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { createEventBus } from '../services/event-bus.js';
import { createProfilesService } from '../services/profiles.js';
import { createSecretBox } from '../services/secret-box.js';
import { loadOrCreateSecret } from '../services/secrets.js';
import { configFor } from './config.js';
import { authedClient } from './credentials.js';
import { CliError, type CliIo } from './io.js';
import { table } from './models-format.js';
import { notRunningMessage, type ServerClient } from './server-client.js';

/**
 * `profiles list|start|stop`. Start and stop go through the running server (it owns the engines);
 * list falls back to the data folder when no server runs, so it works either way.
 */

async function isNotRunning(client: ServerClient): Promise<boolean> {
  try {
    await client.request('GET', '/health');
    return false;
  } catch (err) {
    if (err instanceof CliError && err.message === notRunningMessage(client.baseUrl)) return true;
    throw err;
  }
}

/** A profile by id or exact name. */
async function resolveProfile(client: ServerClient, ref: string): Promise<Profile> {
  const { profiles } = await client.request<ProfileList>('GET', '/api/profiles');
  const found = profiles.find((p) => p.id === ref) ?? profiles.find((p) => p.name === ref);
  if (!found) throw new CliError(`No profile "${ref}" (see \`mlx-manager profiles list\`)`);
  return found;
}

export function registerProfiles(program: Command, io: CliIo): void {
  const profiles = program.command('profiles').description('server profiles: list them, start and stop their engines');

  profiles
    .command('list')
    .description('every profile with its engine state')
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean }) => {
      const config = await configFor(io);
      const client = await authedClient(io, config);
      let list: Profile[];
      let servers: Server[] | null = null;
      if (await isNotRunning(client)) {
        // No server: read the profiles from the data folder (engine states are unknown).
        const database = createDatabase(config);
        try {
          await migrateToLatest(database.db);
          // Env values and extra arguments are sealed under the data folder's master key.
          const secrets = createSecretBox(await loadOrCreateSecret(config.home, 'master.key', config.master_key));
          list = await createProfilesService({ db: database.db, events: createEventBus(), secrets, defaultPortStart: config.default_port_start }).list();
        } finally {
          await database.destroy();
        }
      } else {
        list = (await client.request<ProfileList>('GET', '/api/profiles')).profiles;
        servers = (await client.request<ServerList>('GET', '/api/servers')).servers;
      }
      if (opts.json) return io.stdout(JSON.stringify({ profiles: list, servers }, null, 2));
      if (list.length === 0) return io.stdout('No profiles yet: create one in the web app (Profiles) or with POST /api/profiles.');
      const rows = [['NAME', 'ENGINE', 'MODEL', 'PORT', 'STATE']];
      for (const p of list) rows.push([p.name, p.engine, p.model, String(p.port), servers?.find((s) => s.profile_id === p.id)?.state ?? '(server not running)']);
      for (const line of table(rows)) io.stdout(line);
    });

  profiles
    .command('start')
    .description('start the engine of a profile and wait until the model answers')
    .argument('<profile>', 'profile name or id')
    .action(async (ref: string) => {
      const config = await configFor(io);
      const client = await authedClient(io, config);
      const profile = await resolveProfile(client, ref);
      io.stdout(`Starting ${profile.name} (${profile.engine}, ${profile.model})…`);
      // A failed start throws CliError with the server's reason (crash, timeout, port in use…).
      const server = await client.request<Server>('POST', `/api/servers/${encodeURIComponent(profile.id)}/start?wait=true`);
      for (const w of server.warnings) io.stderr(`warning: ${w}`);
      io.stdout(`${profile.name} is ready on http://${server.host}:${server.port} (pid ${server.pid})`);
    });

  profiles
    .command('stop')
    .description('stop the engine of a profile')
    .argument('<profile>', 'profile name or id')
    .option('--force', 'kill at once (no grace period)', false)
    .action(async (ref: string, opts: { force: boolean }) => {
      const config = await configFor(io);
      const client = await authedClient(io, config);
      const profile = await resolveProfile(client, ref);
      await client.request<Server>('POST', `/api/servers/${encodeURIComponent(profile.id)}/stop${opts.force ? '?force=true' : ''}`);
      io.stdout(`${profile.name} stopped.`);
    });
}
