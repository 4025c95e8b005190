import { ChatListQuery, CreateChatRequest, UpdateChatRequest, type Chat, type ChatList } from '@mlx-manager/contract';
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { currentUser } from '../http/auth.js';
import { parseBody, parseParams, parseQuery } from '../http/validate.js';
import { IdParams } from './params.js';

/** The chat playground's history: a user's own chats only. */
export const chatsRoutes: FastifyPluginAsync<AppDeps> = async (app, { services }) => {
  const user = { preHandler: app.requireUser };

  app.get('/api/chats', user, async (request): Promise<ChatList> => {
    const { q } = parseQuery(ChatListQuery, request);
    return { chats: await services.chats.list(currentUser(request).id, q) };
  });

  app.post('/api/chats', user, async (request, reply): Promise<Chat> => {
    const input = parseBody(CreateChatRequest, request);
    const chat = await services.chats.create(currentUser(request).id, input);
    reply.code(201);
    return chat;
  });

  app.get('/api/chats/:id', user, async (request): Promise<Chat> => {
    const { id } = parseParams(IdParams, request);
    return services.chats.get(currentUser(request).id, id);
  });

  app.patch('/api/chats/:id', user, async (request): Promise<Chat> => {
    const { id } = parseParams(IdParams, request);
    return services.chats.update(currentUser(request).id, id, parseBody(UpdateChatRequest, request));
  });

  app.delete('/api/chats/:id', user, async (request, reply) => {
    const { id } = parseParams(IdParams, request);
    await services.chats.remove(currentUser(request).id, id);
    return reply.code(204).send();
  });
};
