import { DuplicateProfileRequest, UpdateProfileRequest, type Profile, type ProfileList } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/app.js';
import { parseBody, parseParams } from '../http/validate.js';
import { IdParams } from './params.js';

/** Server profiles: CRUD and duplicate (SPEC §4, §11). */
export const profilesRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  const user = { preHandler: app.requireUser };

  app.get('/api/profiles', user, async (): Promise<ProfileList> => ({ profiles: await services.profiles.list() }));

  app.post('/api/profiles', user, async (request, reply): Promise<Profile> => {
    // The service validates (it needs to know which keys were absent, for parser pre-filling).
    const profile = await services.profiles.create(request.body ?? {});
    reply.code(201);
    return profile;
  });

  app.get('/api/profiles/:id', user, async (request): Promise<Profile> => services.profiles.get(parseParams(IdParams, request).id));

  app.patch('/api/profiles/:id', user, async (request): Promise<Profile> => {
    const { id } = parseParams(IdParams, request);
    return services.profiles.update(id, parseBody(UpdateProfileRequest, request));
  });

  app.delete('/api/profiles/:id', user, async (request, reply) => {
    await services.profiles.remove(parseParams(IdParams, request).id);
    reply.code(204);
  });

  app.post('/api/profiles/:id/duplicate', user, async (request, reply): Promise<Profile> => {
    const { id } = parseParams(IdParams, request);
    const body = parseBody(DuplicateProfileRequest, request);
    const profile = await services.profiles.duplicate(id, body.name);
    reply.code(201);
    return profile;
  });
};
