import { DuplicateProfileRequest, UpdateProfileRequest, type Profile, type ProfileList } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { currentUser } from '../http/auth.js';
import { parseBody, parseParams } from '../http/validate.js';
import { AppError } from '../services/errors.js';
import { IdParams } from './params.js';

/** Fields that make the manager run a program of the writer's choosing. */
const PROGRAM_FIELDS = ['executable', 'command', 'env', 'extra_args'] as const;

/**
 * Only admins may choose what program runs (a custom command, an executable path, extra
 * arguments or environment): for any other user these would be code execution on the machine.
 */
function requireAdminForProgramFields(isAdmin: boolean, input: unknown): void {
  if (isAdmin || typeof input !== 'object' || input === null) return;
  const body = input as Record<string, unknown>;
  const set: string[] = PROGRAM_FIELDS.filter((k) => {
    const v = body[k];
    if (v === undefined || v === null) return false;
    if (Array.isArray(v)) return v.length > 0;
    return typeof v !== 'object' || Object.keys(v).length > 0;
  });
  if (body.engine === 'custom') set.unshift('a custom engine');
  if (set.length > 0) throw new AppError('forbidden', `Only an admin may set ${set.join(', ')}`);
}

/** Server profiles: CRUD and duplicate (SPEC §4, §11). */
export const profilesRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  const user = { preHandler: app.requireUser };

  app.get('/api/profiles', user, async (): Promise<ProfileList> => ({ profiles: await services.profiles.list() }));

  app.post('/api/profiles', user, async (request, reply): Promise<Profile> => {
    requireAdminForProgramFields(currentUser(request).isAdmin, request.body);
    // The service validates (it needs to know which keys were absent, for parser pre-filling).
    const profile = await services.profiles.create(request.body ?? {});
    reply.code(201);
    return profile;
  });

  app.get('/api/profiles/:id', user, async (request): Promise<Profile> => services.profiles.get(parseParams(IdParams, request).id));

  app.patch('/api/profiles/:id', user, async (request): Promise<Profile> => {
    const { id } = parseParams(IdParams, request);
    const patch = parseBody(UpdateProfileRequest, request);
    requireAdminForProgramFields(currentUser(request).isAdmin, patch);
    return services.profiles.update(id, patch);
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
