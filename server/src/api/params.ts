import { z } from 'zod';

/** `{id}` path parameter: any short string; an unknown id is the service's 404, not a 400. */
export const IdParams = z.object({ id: z.string().min(1).max(200) });
