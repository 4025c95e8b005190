import { DuplicateProfileRequest, UpdateProfileRequest, type Profile, type ProfileList } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { currentUser } from '../http/auth.js';
import { parseBody, parseParams } from '../http/validate.js';
import { IdParams } from './params.js';

/**
 * Server profiles: CRUD and duplicate. Who may change what (owners, admin-only program fields)
 * is decided by the profiles service against the stored profile; the route only says who asks.
 */
export const profilesRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  const user = { preHandler: app.requireUser };

  app.get('/api/profiles', user, async (request): Promise<ProfileList> => ({ profiles: await services.profiles.listFor(currentUser(request)) }));

  app.post('/api/profiles', user, async (request, reply): Promise<Profile> => {
    // The service validates (it needs to know which keys were absent, for parser pre-filling).
    const profile = await services.profiles.create(request.body ?? {}, currentUser(request));
    reply.code(201);
    return profile;
  });

  app.get('/api/profiles/:id', user, async (request): Promise<Profile> => services.profiles.getFor(currentUser(request), parseParams(IdParams, request).id));

  app.patch('/api/profiles/:id', user, async (request): Promise<Profile> => {
    const { id } = parseParams(IdParams, request);
    const patch = parseBody(UpdateProfileRequest, request);
    return services.profiles.update(id, patch, currentUser(request));
  });

  app.delete('/api/profiles/:id', user, async (request, reply) => {
    await services.profiles.remove(parseParams(IdParams, request).id, currentUser(request));
    reply.code(204);
  });

  app.post('/api/profiles/:id/duplicate', user, async (request, reply): Promise<Profile> => {
    const { id } = parseParams(IdParams, request);
    const body = parseBody(DuplicateProfileRequest, request);
    const profile = await services.profiles.duplicate(id, body.name, currentUser(request));
    reply.code(201);
    return profile;
  });
};
