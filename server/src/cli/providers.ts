import type { Provider, ProviderList, ProviderTestResult } from '@mlx-manager/contract';
import type { Command } from 'commander';
import { configFor } from './config.js';
import { authedClient } from './credentials.js';
import { CliError, type CliIo } from './io.js';
import { table } from './models-format.js';
import type { ServerClient } from './server-client.js';
import { readStdinText } from './stdin.js';

/**
 * `providers list|add|rm|test`, through the running server (admin session). The API key is never
 * taken on the command line (other users can read it there): `--api-key-stdin` or `--api-key-env`.
 */

/** A provider by id or exact name. */
export async function findProvider(client: ServerClient, ref: string): Promise<Provider> {
  const { providers } = await client.request<ProviderList>('GET', '/api/providers');
  const found = providers.find((p) => p.id === ref) ?? providers.find((p) => p.name === ref);
  if (!found) throw new CliError(`No provider "${ref}" (see \`mlx-manager providers list\`)`);
  return found;
}

export interface ProvidersOptions {
  readStdin?: () => Promise<string>;
}

interface AddOptions {
  kind: string;
  baseUrl: string;
  apiKeyStdin: boolean;
  apiKeyEnv?: string;
  model: string[];
  json: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerProviders(program: Command, io: CliIo, options: ProvidersOptions = {}): void {
  const providers = program.command('providers').description('gateway providers: OpenAI, Anthropic and OpenAI-compatible servers (admin)');
  const client = async () => authedClient(io, await configFor(io));

  providers
    .command('list')
    .description('every provider (keys are never shown, only a hint)')
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean }) => {
      const { providers: list } = await (await client()).request<ProviderList>('GET', '/api/providers');
      if (opts.json) return io.stdout(JSON.stringify({ providers: list }, null, 2));
      if (list.length === 0) return io.stdout('No providers yet: add one with `mlx-manager providers add`.');
      const rows = [['NAME', 'KIND', 'BASE URL', 'KEY', 'MODELS']];
      for (const p of list) rows.push([p.name, p.kind, p.base_url, p.api_key_hint ?? '(none)', String(p.models.length)]);
      for (const line of table(rows)) io.stdout(line);
    });

  providers
    .command('add')
    .description('add a provider (its base URL is checked against SSRF rules)')
    .argument('<name>', 'a unique name')
    .requiredOption('--kind <kind>', 'openai | anthropic | openai-compatible')
    .requiredOption('--base-url <url>', 'e.g. http://127.0.0.1:11434/v1 (OpenAI-style: with /v1; Anthropic: the origin)')
    .option('--api-key-stdin', 'read the API key from standard input', false)
    .option('--api-key-env <VAR>', 'read the API key from this environment variable')
    .option('--model <name>', 'a model the provider serves (repeatable)', collect, [])
    .option('--json', 'print JSON', false)
    .action(async (name: string, opts: AddOptions) => {
      let apiKey: string | undefined;
      if (opts.apiKeyStdin) apiKey = (await (options.readStdin ?? readStdinText)()).trim();
      else if (opts.apiKeyEnv) {
        apiKey = io.env[opts.apiKeyEnv]?.trim();
        if (!apiKey) throw new CliError(`Environment variable ${opts.apiKeyEnv} is empty or not set`);
      }
      const body = { name, kind: opts.kind, base_url: opts.baseUrl, models: opts.model, ...(apiKey ? { api_key: apiKey } : {}) };
      const created = await (await client()).request<Provider>('POST', '/api/providers', body);
      if (opts.json) return io.stdout(JSON.stringify(created, null, 2));
      io.stdout(`Added provider ${created.name} (${created.kind}, ${created.base_url}${created.api_key_hint ? `, key ${created.api_key_hint}` : ''}).`);
    });

  providers
    .command('rm')
    .description('remove a provider (refused while a route uses it)')
    .argument('<provider>', 'name or id')
    .action(async (ref: string) => {
      const c = await client();
      const p = await findProvider(c, ref);
      await c.request('DELETE', `/api/providers/${encodeURIComponent(p.id)}`);
      io.stdout(`Removed provider ${p.name}.`);
    });

  providers
    .command('test')
    .description("list the provider's models, or say why it cannot be reached")
    .argument('<provider>', 'name or id')
    .option('--import', "save the models it lists as the provider's models (listed by GET /v1/models once a route sends them there)", false)
    .option('--json', 'print JSON', false)
    .action(async (ref: string, opts: { json: boolean; import: boolean }) => {
      const c = await client();
      const p = await findProvider(c, ref);
      const result = await c.request<ProviderTestResult>('POST', `/api/providers/${encodeURIComponent(p.id)}/test`);
      if (result.ok && opts.import) await c.request<Provider>('PATCH', `/api/providers/${encodeURIComponent(p.id)}`, { models: result.models });
      if (opts.json) io.stdout(JSON.stringify(result, null, 2));
      else if (result.ok) {
        io.stdout(`${p.name} answered in ${result.duration_ms} ms with ${result.models.length} model${result.models.length === 1 ? '' : 's'}:`);
        for (const m of result.models) io.stdout(`  ${m}`);
        if (opts.import) io.stdout(`Saved them as ${p.name}'s models.`);
      }
      if (!result.ok) throw new CliError(`${p.name} failed (${result.reason}${result.status ? ` ${result.status}` : ''}): ${result.message}`);
    });
}
