import { CreateDownloadRequest, type Download, type DownloadList } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { currentUser } from '../http/auth.js';
import { parseBody, parseParams } from '../http/validate.js';
import { IdParams } from './params.js';

/** Start (or join), list and cancel downloads; progress arrives on `GET /api/events`. */
export const downloadsRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  const user = { preHandler: app.requireUser };

  app.post('/api/downloads', user, async (request, reply): Promise<Download> => {
    const body = parseBody(CreateDownloadRequest, request);
    const { download, created } = await services.downloads.start(body, currentUser(request).id);
    // 200 when the repo was already downloading: the caller joins that download.
    reply.code(created ? 201 : 200);
    return download;
  });

  app.get('/api/downloads', user, async (): Promise<DownloadList> => ({ downloads: await services.downloads.list() }));

  app.get('/api/downloads/:id', user, async (request): Promise<Download> => services.downloads.get(parseParams(IdParams, request).id));

  app.delete('/api/downloads/:id', user, async (request): Promise<Download> => services.downloads.cancel(parseParams(IdParams, request).id, currentUser(request)));
};
