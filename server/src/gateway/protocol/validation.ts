// Turning a failed schema check into the 400 the client sees, in its own protocol's envelope.
import type { z } from 'zod';
import type { GatewayFailure } from './errors.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; failure: GatewayFailure };

export function checked<T>(schema: z.ZodType, body: unknown): Checked<T> {
  const result = schema.safeParse(body);
  // The schemas only check: the body goes on as the client sent it, unknown fields included.
  if (result.success) return { ok: true, value: body as T };
  const issue = result.error.issues[0];
  const param = issue !== undefined && issue.path.length > 0 ? issue.path.map(String).join('.') : null;
  const message = issue === undefined ? 'invalid request body' : `${param ?? 'body'}: ${issue.message}`;
  return { ok: false, failure: { status: 400, message, code: 'invalid_request', param, source: 'gateway' } };
}
