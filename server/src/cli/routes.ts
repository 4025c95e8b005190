import type { ExplainResult, ProfileList, ProviderList, Route, RouteList, RouteTarget } from '@mlx-manager/contract';
import type { Command } from 'commander';
import { configFor } from './config.js';
import { authedClient } from './credentials.js';
import { CliError, type CliIo } from './io.js';
import { table } from './models-format.js';
import type { ServerClient } from './server-client.js';

/**
 * `routes list|add|rm|explain`, through the running server. Targets are written
 * `profile:<name|id>` or `provider:<name|id>[:<model>]` (the model may itself contain colons).
 */

async function parseTargets(client: ServerClient, specs: readonly string[]): Promise<RouteTarget[]> {
  const needsProfiles = specs.some((s) => s.startsWith('profile:'));
  const needsProviders = specs.some((s) => s.startsWith('provider:'));
  const profiles = needsProfiles ? (await client.request<ProfileList>('GET', '/api/profiles')).profiles : [];
  const providers = needsProviders ? (await client.request<ProviderList>('GET', '/api/providers')).providers : [];
  return specs.map((spec): RouteTarget => {
    if (spec.startsWith('profile:')) {
      const ref = spec.slice('profile:'.length);
      const p = profiles.find((x) => x.id === ref) ?? profiles.find((x) => x.name === ref);
      if (!p) throw new CliError(`No profile "${ref}" (see \`mlx-manager profiles list\`)`);
      return { profile_id: p.id };
    }
    if (spec.startsWith('provider:')) {
      const rest = spec.slice('provider:'.length);
      const cut = rest.indexOf(':');
      const ref = cut < 0 ? rest : rest.slice(0, cut);
      const model = cut < 0 ? undefined : rest.slice(cut + 1);
      const p = providers.find((x) => x.id === ref) ?? providers.find((x) => x.name === ref);
      if (!p) throw new CliError(`No provider "${ref}" (see \`mlx-manager providers list\`)`);
      return model ? { provider_id: p.id, model } : { provider_id: p.id };
    }
    throw new CliError(`Target "${spec}" must be profile:<name> or provider:<name>[:<model>]`);
  });
}

function describeTarget(t: RouteTarget): string {
  return 'profile_id' in t ? `profile:${t.profile_id}` : `provider:${t.provider_id}${t.model ? `:${t.model}` : ''}`;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRoutes(program: Command, io: CliIo): void {
  const routes = program.command('routes').description('gateway routing rules: which model names go where');
  const client = async () => authedClient(io, await configFor(io));

  routes
    .command('list')
    .description('every rule, in the order they are tried')
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean }) => {
      const { routes: list } = await (await client()).request<RouteList>('GET', '/api/routes');
      if (opts.json) return io.stdout(JSON.stringify({ routes: list }, null, 2));
      if (list.length === 0) return io.stdout('No routes: profile names and the repos they serve still route to their profile.');
      const sorted = [...list].sort((a, b) => b.priority - a.priority);
      const rows = [['ID', 'MATCH', 'PATTERN', 'PRIORITY', 'ENABLED', 'TARGETS']];
      for (const r of sorted) rows.push([r.id, r.match, r.pattern, String(r.priority), r.enabled ? 'yes' : 'no', r.targets.map(describeTarget).join(' → ')]);
      for (const line of table(rows)) io.stdout(line);
    });

  routes
    .command('add')
    .description('add a rule (admin); the first --to is primary, the next ones fallbacks in order')
    .argument('<pattern>', 'model name, glob (gpt-*) or regex, per --match')
    .option('--match <kind>', 'exact | prefix | regex', 'exact')
    .requiredOption('--to <target>', 'profile:<name> or provider:<name>[:<model>] (repeatable)', collect, [])
    .option('--priority <n>', 'higher is tried first', '0')
    .option('--disabled', 'add it switched off', false)
    .option('--json', 'print JSON', false)
    .action(async (pattern: string, opts: { match: string; to: string[]; priority: string; disabled: boolean; json: boolean }) => {
      if (opts.to.length === 0) throw new CliError('Give at least one target with --to profile:<name> or --to provider:<name>[:<model>]');
      const priority = Number(opts.priority);
      if (!Number.isInteger(priority)) throw new CliError('--priority must be an integer');
      const c = await client();
      const targets = await parseTargets(c, opts.to);
      const created = await c.request<Route>('POST', '/api/routes', { match: opts.match, pattern, priority, targets, enabled: !opts.disabled });
      if (opts.json) return io.stdout(JSON.stringify(created, null, 2));
      io.stdout(`Added route ${created.id}: ${created.match} ${created.pattern} → ${created.targets.map(describeTarget).join(' → ')}`);
    });

  routes
    .command('rm')
    .description('remove a rule (admin)')
    .argument('<id>', 'route id (see `routes list`)')
    .action(async (id: string) => {
      await (await client()).request('DELETE', `/api/routes/${encodeURIComponent(id)}`);
      io.stdout(`Removed route ${id}.`);
    });

  routes
    .command('explain')
    .description('where a request for this model name would go, without sending one')
    .argument('<model>', 'the model name a client would send')
    .option('--json', 'print JSON', false)
    .action(async (model: string, opts: { json: boolean }) => {
      const result = await (await client()).request<ExplainResult>('POST', '/api/routes/explain', { model });
      if (opts.json) return io.stdout(JSON.stringify(result, null, 2));
      if (!result.matched) throw new CliError(`No route for "${model}": a request for it gets 404.`);
      const m = result.matched;
      io.stdout(m.kind === 'rule' ? `${model}: rule ${m.rule.id} (${m.rule.match} ${m.rule.pattern}, priority ${m.rule.priority})` : `${model}: the ${m.via === 'profile_name' ? 'profile named so' : 'profile serving this repo'} (no rule)`);
      result.targets.forEach((t, i) => {
        const label = i === 0 ? 'primary ' : `fallback ${i}`;
        io.stdout(`  ${label}  ${t.kind === 'profile' ? `profile ${t.profile_name ?? t.profile_id}` : `provider ${t.provider_name ?? t.provider_id}, model ${t.model}`}`);
      });
      for (const missing of result.missing) io.stdout(`  skipped   ${missing} (no longer exists)`);
    });
}
