import { z } from 'zod';

/*
 * Every setting of the server, with its default. A key `foo_bar` is read from the env var
 * `MLX_MANAGER_FOO_BAR` or from `foo_bar` in `$MLX_MANAGER_HOME/config.json` (env wins).
 * Env values are strings, so numbers and booleans are coerced here. Other areas add their
 * keys to this object (one line each).
 */

/** Accepts true/false/1/0/yes/no (any case) from env strings, and real booleans from JSON. */
export const envBoolean = z.union([
  z.boolean(),
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((s) => ['true', 'false', '1', '0', 'yes', 'no'].includes(s), 'must be true or false')
    .transform((s) => s === 'true' || s === '1' || s === 'yes'),
]);

const port = z.coerce.number().int('must be an integer').min(0).max(65535);

const databaseUrl = z
  .string()
  .trim()
  .min(1)
  .refine(
    (s) => /^(postgres|postgresql):\/\//.test(s) || s.startsWith('sqlite:') || s.startsWith('/'),
    'must be postgres://…, sqlite:PATH or an absolute file path',
  );

export const ConfigSchema = z
  .object({
    /** Data folder: database, secrets, logs. Resolved before the file is read, see load.ts. */
    home: z.string().min(1),
    host: z.string().trim().min(1).default('127.0.0.1'),
    port: port.default(8080),
    /** Unset → SQLite file `mlx-manager.db` in `home`. */
    database_url: databaseUrl.optional(),
    /** Unset → generated on first start and persisted 0600 in `home/secrets/jwt.key`. */
    jwt_secret: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Encrypts provider API keys at rest; unset → generated like the JWT secret. */
    master_key: z.string().min(32, 'must be at least 32 characters').optional(),
    default_port_start: port.refine((p) => p > 0, 'must be above 0').default(10240),
    /** Folder searched for engine executables before PATH; unset → the project's `.venv/bin`. */
    engines_bin: z.string().trim().min(1).optional(),
    /** On boot, adopt live engines a crashed manager left (true) instead of stopping them (false). */
    adopt_orphans: envBoolean.default(false),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `auto`: readable lines on a terminal, JSON otherwise; `json` always for log collectors. */
    log_format: z.enum(['auto', 'pretty', 'json']).default('auto'),
    /** Maximum request body for the management API and the gateway, in bytes. */
    body_limit_bytes: z.coerce.number().int().min(1024).default(1024 * 1024),
    /** Maximum request body on `/v1` (long conversations and images: Anthropic's own limit is 32 MB). */
    gateway_body_limit_bytes: z.coerce.number().int().min(1024).default(32 * 1024 * 1024),
    /**
     * Behind a reverse proxy: trust its X-Forwarded-For/-Proto (client address for throttling,
     * https for Secure cookies). Off by default: anyone could otherwise claim any address.
     */
    trust_proxy: envBoolean.default(false),
    /** A request must arrive whole (headers and body) within this time, else 408. */
    request_timeout_ms: z.coerce.number().int().min(100).max(600_000).default(30_000),
  })
  .strict();

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
