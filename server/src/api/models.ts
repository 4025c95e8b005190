import type { LocalModel, LocalModelFiles, LocalModelList } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { parseParams } from '../http/validate.js';
import { AppError } from '../services/errors.js';
import { RepoParams } from './hub.js';

/** Local models: what the Hugging Face cache holds (ours and other tools' downloads). */
export const localModelsRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  const user = { preHandler: app.requireUser };

  app.get('/api/models', user, async (): Promise<LocalModelList> => ({ models: await services.catalog.listLocal() }));

  app.get('/api/models/:org/:name', user, async (request): Promise<LocalModel> => {
    const repo = parseParams(RepoParams, request);
    const model = await services.catalog.findLocal(repo);
    if (!model) throw new AppError('not_found', `${repo} is not in the local cache`);
    return model;
  });

  // What a GGUF profile may pick from: the files of the snapshot refs/main points at.
  app.get('/api/models/:org/:name/files', user, async (request): Promise<LocalModelFiles> => {
    const repo = parseParams(RepoParams, request);
    const files = await services.catalog.localFiles(repo);
    if (!files) throw new AppError('not_found', `${repo} is not in the local cache`);
    return files;
  });

  // The Hugging Face cache is shared by every profile and every tool on the machine: admins only.
  app.delete('/api/models/:org/:name', { preHandler: app.requireAdmin }, async (request, reply) => {
    const repo = parseParams(RepoParams, request);
    const outcome = await services.catalog.deleteLocal(repo);
    if (outcome === 'missing') throw new AppError('not_found', `${repo} is not in the local cache`);
    if (outcome === 'in_use') throw new AppError('conflict', `${repo} is used by a running server: stop it first`);
    if (outcome === 'downloading') throw new AppError('conflict', `${repo} is being downloaded: cancel the download first`);
    return reply.code(204).send();
  });
};
