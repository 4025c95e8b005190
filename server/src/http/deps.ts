import type { Config } from '../config/schema.js';
import type { Services } from '../services/index.js';

/**
 * What every route module receives as its plugin options. Its own module so route modules and
 * app.ts (which imports them) do not import each other.
 */
export interface AppDeps {
  config: Config;
  services: Services;
  version: string;
  /** Folder of the built web app; null serves no web app (tests of the API alone). */
  webRoot: string | null;
  /** false silences request logs (tests); otherwise pino at config.log_level. */
  logger?: boolean;
  /** Where logs go (default stderr); tests capture them to prove secrets stay out. */
  logStream?: NodeJS.WritableStream;
}

/** Never let credentials reach the logs, whatever a future serializer includes. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.api_key',
  '*.access_token',
  '*.key',
  // A failed engine start answers with the engine's last lines (the user needs them), but those
  // may hold secrets the engine printed: the log keeps only the error's message and reason.
  'err.details.log_excerpt',
];
