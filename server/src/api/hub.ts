import { HubSearchQuery, RepoId, type HubModelDetail, type HubSearchResult, type ModelReadme } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../http/deps.js';
import { parseParams, parseQuery } from '../http/validate.js';
import { hubErrorToAppError } from '../services/downloads.js';

/** `{org}/{name}` path parameters, validated together as one repo id. */
export const RepoParams = z.object({ org: z.string().max(100), name: z.string().max(100) }).transform((p, ctx) => {
  const id = `${p.org}/${p.name}`;
  const parsed = RepoId.safeParse(id);
  if (!parsed.success) {
    ctx.addIssue({ code: 'custom', message: `invalid repo id ${JSON.stringify(id)}`, path: ['repo'] });
    return z.NEVER;
  }
  return parsed.data;
});

/** Hugging Face search and model detail (with characteristics), for the Models page and CLI. */
export const hubRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  const user = { preHandler: app.requireUser };

  app.get('/api/hub/search', user, async (request): Promise<HubSearchResult> => {
    const query = parseQuery(HubSearchQuery, request);
    try {
      return await services.catalog.search(query);
    } catch (err) {
      throw hubErrorToAppError(err);
    }
  });

  // Markdown only: the web app renders it after sanitising; the server never does.
  app.get('/api/hub/models/:org/:name/readme', user, async (request): Promise<ModelReadme> => {
    const repo = parseParams(RepoParams, request);
    try {
      return await services.catalog.readme(repo);
    } catch (err) {
      throw hubErrorToAppError(err);
    }
  });

  app.get('/api/hub/models/:org/:name', user, async (request): Promise<HubModelDetail> => {
    const repo = parseParams(RepoParams, request);
    try {
      return await services.catalog.detail(repo);
    } catch (err) {
      throw hubErrorToAppError(err);
    }
  });
};
