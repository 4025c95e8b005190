import { Writable } from 'node:stream';

/*
 * Turns pino's JSON lines into lines a person reads on a terminal:
 *
 *   11:04:09 INFO  GET /api/models → 200 in 12 ms
 *   11:04:10 WARN  engine qwen failed: model file not found
 *
 * Request logging: Fastify writes an "incoming request" line (method, URL) and a "request
 * completed" line (status, time) per request; they are joined into one line by request id, shown
 * at completion. Fastify's own "Server listening at" is dropped: the CLI prints the address. Other lines show their message and a few scalar fields as key=value. Secrets never
 * reach this stream in the first place: pino's redaction runs before it.
 * JSON stays available (`log_format: json`) for log collectors.
 */

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: 'TRACE', color: '90' },
  20: { name: 'DEBUG', color: '90' },
  30: { name: 'INFO ', color: '36' },
  40: { name: 'WARN ', color: '33' },
  50: { name: 'ERROR', color: '31' },
  60: { name: 'FATAL', color: '35' },
};
/** Fields pino or Fastify add to every line, or that formatLine renders itself. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'req', 'res', 'responseTime', 'err', 'v']);

export interface PrettyOptions {
  color: boolean;
}

/** The gateway's direct entry says this of a request whose client left before the answer. */
const ABORTED = 'request aborted by the client';

/** Requests still in flight that the formatter remembers; beyond this the oldest are forgotten. */
const MAX_OPEN_REQUESTS = 10_000;

/** A formatter of JSON log lines: each → one readable line, or null to leave it out. */
export function createLineFormatter(opts: PrettyOptions): (json: string) => string | null {
  const open = new Map<string, { method?: string; url?: string }>();
  return (json) => {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(json) as Record<string, unknown>;
    } catch {
      return json; // not pino's: pass it through untouched
    }
    const reqId = typeof rec.reqId === 'string' ? rec.reqId : undefined;
    if (rec.msg === 'incoming request') {
      if (reqId) {
        if (open.size >= MAX_OPEN_REQUESTS) open.delete(open.keys().next().value as string);
        open.set(reqId, (rec.req ?? {}) as { method?: string; url?: string });
      }
      return null;
    }
    if (typeof rec.msg === 'string' && rec.msg.startsWith('Server listening at')) return null;
    if ((rec.msg === 'request completed' || rec.msg === ABORTED) && reqId && !rec.req) {
      rec.req = open.get(reqId);
      open.delete(reqId);
    }
    return formatRecord(rec, opts);
  };
}

function formatRecord(rec: Record<string, unknown>, opts: PrettyOptions): string {
  const level = LEVELS[Number(rec.level)] ?? { name: 'LOG  ', color: '0' };
  const time = typeof rec.time === 'number' ? new Date(rec.time).toTimeString().slice(0, 8) : '';
  const paint = (code: string, text: string) => (opts.color ? `\u001b[${code}m${text}\u001b[0m` : text);

  let message = typeof rec.msg === 'string' ? rec.msg : '';
  const req = rec.req as { method?: string; url?: string } | undefined;
  const res = rec.res as { statusCode?: number } | undefined;
  if (rec.msg === ABORTED && req) {
    const ms = typeof rec.responseTime === 'number' ? ` after ${Math.round(rec.responseTime)} ms` : '';
    message = `${req.method ?? ''} ${req.url ?? ''} → ${paint('33', 'left')} by the client${ms}`;
  }
  if (rec.msg === 'request completed' && res) {
    const method = req?.method ?? '';
    const url = req?.url ?? '';
    const ms = typeof rec.responseTime === 'number' ? `${Math.round(rec.responseTime)} ms` : '';
    const status = res.statusCode ?? 0;
    message = `${method} ${url} → ${paint(status >= 500 ? '31' : status >= 400 ? '33' : '32', String(status))} in ${ms}`;
  }
  const extras = Object.entries(rec)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== undefined && v !== null && typeof v !== 'object')
    .map(([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v)}`);
  const err = rec.err as { message?: string; type?: string } | undefined;
  if (err?.message) extras.push(`error=${JSON.stringify(err.message)}`);
  return `${paint('90', time)} ${paint(level.color, level.name)} ${message}${extras.length ? '  ' + paint('90', extras.join(' ')) : ''}`;
}

/** A stream for pino that writes readable lines to `out`. */
export function createPrettyLogStream(out: NodeJS.WritableStream, opts: PrettyOptions): Writable {
  let pending = '';
  const format = createLineFormatter(opts);
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      pending += chunk.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.trim() === '') continue;
        const text = format(line);
        if (text !== null) out.write(text + '\n');
      }
      done();
    },
  });
}
