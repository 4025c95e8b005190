import { HubSort } from '@mlx-manager/contract';
import type { Command } from 'commander';
import { totalmem } from 'node:os';
import { createCatalog } from '../hub/catalog.js';
import { deleteRepo } from '../hub/cache-delete.js';
import { createHubContext } from '../hub/context.js';
import { CliError, type CliIo } from './io.js';
import { configFor } from './config.js';
import { authedClient } from './credentials.js';
import { hubFailure, parseRepo, serverIsUp } from './models-common.js';
import { registerModelsPull } from './models-pull.js';
import { formatBytes, formatCount, table } from './models-format.js';

/**
 * `models search|pull|list|rm`: talk to the hub and the Hugging Face cache directly (HF_* env
 * vars, same layout as the server), so they work with or without a running server.
 */

export function registerModels(program: Command, io: CliIo): void {
  const models = program.command('models').description('find, download, list and remove models (Hugging Face cache)');

  models
    .command('search')
    .description('search the hub (MLX models by default)')
    .argument('[query]', 'text to find in the repo id')
    .option('--author <org>', 'only repos of this user or organisation')
    .option('--sort <key>', `one of ${HubSort.options.join(', ')}`, 'downloads')
    .option('--limit <n>', 'results (1–100)', '20')
    .option('--all', 'include repos not tagged mlx', false)
    .option('--json', 'print JSON', false)
    .action(async (query: string | undefined, opts: { author?: string; sort: string; limit: string; all: boolean; json: boolean }) => {
      const sort = HubSort.safeParse(opts.sort);
      if (!sort.success) throw new CliError(`Invalid --sort: use one of ${HubSort.options.join(', ')}`, 2);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CliError('Invalid --limit: an integer from 1 to 100', 2);
      const hub = await createHubContext(io.env);
      try {
        const catalog = createCatalog({ client: hub.client, cacheDir: hub.cacheDir, offline: hub.offline, totalMemoryBytes: totalmem() });
        const res = await catalog.search({ q: query, author: opts.author, sort: sort.data, limit, mlx: !opts.all }).catch(hubFailure);
        if (opts.json) return io.stdout(JSON.stringify(res, null, 2));
        if (res.models.length === 0) return io.stdout('No models found.');
        const rows = [['MODEL', 'SIZE', 'DOWNLOADS', 'LIKES', 'FITS', 'LOCAL']];
        for (const m of res.models) {
          rows.push([m.id, `${m.size_estimated ? '~' : ''}${formatBytes(m.size_bytes)}`, formatCount(m.downloads), formatCount(m.likes), m.fits === null ? '?' : m.fits ? 'yes' : 'no', m.is_downloaded ? 'yes' : '']);
        }
        for (const line of table(rows)) io.stdout(line);
      } finally {
        await hub.close();
      }
    });

  registerModelsPull(models, io);

  models
    .command('list')
    .description('models in the local Hugging Face cache (also ones other tools downloaded)')
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean }) => {
      const hub = await createHubContext(io.env);
      try {
        const catalog = createCatalog({ client: hub.client, cacheDir: hub.cacheDir, offline: hub.offline, totalMemoryBytes: totalmem() });
        const list = await catalog.listLocal();
        if (opts.json) return io.stdout(JSON.stringify({ models: list }, null, 2));
        if (list.length === 0) return io.stdout(`No models in ${hub.cacheDir}.`);
        const rows = [['MODEL', 'SIZE', 'ARCH', 'QUANT', 'CONTEXT']];
        for (const m of list) {
          const c = m.characteristics;
          rows.push([m.id, formatBytes(m.size_bytes), c?.architecture_family ?? '?', c?.quantization_bits ? `${c.quantization_bits}-bit` : '', c?.max_position_embeddings ? String(c.max_position_embeddings) : '']);
        }
        for (const line of table(rows)) io.stdout(line);
      } finally {
        await hub.close();
      }
    });

  models
    .command('rm')
    .description('delete a model from the local cache')
    .argument('<repo>', 'org/name')
    .action(async (repoArg: string) => {
      const repo = parseRepo(repoArg);
      // A running server knows which models its engines use: it refuses (409) while one does.
      const client = await authedClient(io, await configFor(io));
      if (await serverIsUp(client)) {
        await client.request('DELETE', `/api/models/${repo}`);
        io.stdout(`Deleted ${repo}`);
        return;
      }
      const hub = await createHubContext(io.env);
      try {
        if (!(await deleteRepo(hub.cacheDir, repo))) throw new CliError(`${repo} is not in ${hub.cacheDir}`);
        io.stdout(`Deleted ${repo}`);
      } finally {
        await hub.close();
      }
    });
}
