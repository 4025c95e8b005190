import { z } from 'zod';

/** A gateway API key as listed: never the secret itself. */
export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

export const CreateApiKeyRequest = z.object({ name: z.string().trim().min(1).max(100) }).strict();
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

/** Answer of key creation: the only time `key` is ever shown. */
export const CreatedApiKey = z.object({ id: z.string(), name: z.string(), key: z.string(), prefix: z.string() });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const ApiKeyList = z.object({ keys: z.array(ApiKey) });
export type ApiKeyList = z.infer<typeof ApiKeyList>;
