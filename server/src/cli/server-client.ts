import type { Config } from '../config/schema.js';
import { CliError } from './io.js';

/** Where a running server answers: a wildcard bind address is reached over loopback. */
export function serverUrl(config: Pick<Config, 'host' | 'port'>): string {
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

export function notRunningMessage(url: string): string {
  return `MLX Manager is not running at ${url} — start it with \`npm start\` or \`mlx-manager serve\``;
}

export interface ServerClient {
  readonly baseUrl: string;
  /** JSON request; a non-2xx answer throws CliError with the server's message, never a bare status. */
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
}

/** A small client later CLI commands (status, models, profiles) use against a running server. */
export function createServerClient(config: Pick<Config, 'host' | 'port'>, token?: string): ServerClient {
  const baseUrl = serverUrl(config);
  return {
    baseUrl,
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let res: Response;
      try {
        res = await fetch(baseUrl + path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
      } catch (err) {
        const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
        if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') throw new CliError(notRunningMessage(baseUrl));
        throw new CliError(`Could not reach MLX Manager at ${baseUrl}: ${(err as Error).message}`);
      }
      const text = await res.text();
      const parsed: unknown = text ? safeJson(text) : undefined;
      if (!res.ok) {
        const message = (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? (text || res.statusText);
        const hint = res.status === 401 ? ' — log in with `mlx-manager login --email …` or set MLX_MANAGER_TOKEN' : '';
        throw new CliError(`Server answered ${res.status}: ${message}${hint}`);
      }
      return parsed as T;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // a non-JSON body is still shown to the user as text
  }
}
