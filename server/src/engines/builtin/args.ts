// Command line of the built-in engine. The supervisor's launcher builds exactly this argv, so the
// flag names imitate llama-server's (`--model --host --port --ctx-size --threads --parallel
// --alias`). Parsing is pure: argv in, options or a message for stderr out.
import { parseArgs } from 'node:util';

export interface BuiltinOptions {
  /** Path of the GGUF file to serve. */
  model: string;
  host: string;
  /** 0 lets the OS pick a free port; the chosen one is printed on stdout. */
  port: number;
  /** Total context across slots, as with llama-server; undefined = derived from the model. */
  ctxSize: number | undefined;
  /** Undefined = derived from the CPU count (see threads.ts). */
  threads: number | undefined;
  /** Number of requests served at once, one llama.cpp context each. */
  parallel: number;
  /** Model id reported by `/v1/models` and accepted in requests. */
  alias: string | undefined;
}

export type ParsedArgs = { ok: true; options: BuiltinOptions } | { ok: false; message: string };

export const USAGE =
  'usage: main.js --model <file.gguf> --host <host> --port <port> [--ctx-size N] [--threads N] ' +
  '[--parallel N] [--alias NAME]';

const MAX_PARALLEL = 64;
const MAX_THREADS = 1024;
const MAX_CTX = 16 * 1024 * 1024;

function integer(name: string, raw: string | undefined, min: number, max: number): number | string | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim())) return `--${name} must be a whole number, got "${raw}"`;
  const value = Number(raw.trim());
  if (value < min || value > max) return `--${name} must be between ${min} and ${max}, got ${value}`;
  return value;
}

export function parseBuiltinArgs(argv: readonly string[]): ParsedArgs {
  const parsed = parse(argv);
  // Every refusal ends with the usage line, so a wrong launcher argv explains itself.
  return parsed.ok || parsed.message.endsWith(USAGE) ? parsed : { ok: false, message: `${parsed.message}\n${USAGE}` };
}

function parse(argv: readonly string[]): ParsedArgs {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        model: { type: 'string', short: 'm' },
        host: { type: 'string' },
        port: { type: 'string' },
        'ctx-size': { type: 'string', short: 'c' },
        threads: { type: 'string', short: 't' },
        parallel: { type: 'string', short: 'n' },
        alias: { type: 'string', short: 'a' },
      },
    }));
  } catch (err) {
    return { ok: false, message: `${(err as Error).message}\n${USAGE}` };
  }
  const model = values.model?.trim();
  if (!model) return { ok: false, message: `--model is required\n${USAGE}` };
  if (values.port === undefined) return { ok: false, message: `--port is required\n${USAGE}` };
  const host = values.host?.trim() || '127.0.0.1';

  const port = integer('port', values.port, 0, 65535);
  const ctxSize = integer('ctx-size', values['ctx-size'], 0, MAX_CTX);
  const threads = integer('threads', values.threads, 0, MAX_THREADS);
  const parallel = integer('parallel', values.parallel, 1, MAX_PARALLEL);
  for (const v of [port, ctxSize, threads, parallel]) {
    if (typeof v === 'string') return { ok: false, message: v };
  }
  const alias = values.alias?.trim();
  if (values.alias !== undefined && !alias) return { ok: false, message: '--alias must not be empty' };
  return {
    ok: true,
    options: {
      model,
      host,
      port: port as number,
      // 0 means "from the model", as llama-server's `-c 0`.
      ctxSize: ctxSize === 0 ? undefined : (ctxSize as number | undefined),
      threads: threads === 0 ? undefined : (threads as number | undefined),
      parallel: (parallel as number | undefined) ?? 1,
      alias: alias || undefined,
    },
  };
}
