import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLineFormatter, createPrettyLogStream } from './log-pretty.js';

const formatLine = (json: string, opts: { color: boolean }) => createLineFormatter(opts)(json);

const at = Date.UTC(2026, 10, 30, 11, 4, 9);

describe('readable terminal logs', () => {
  it('joins the incoming and completed lines into one: method, path, status, time', () => {
    const format = createLineFormatter({ color: false });
    expect(format(JSON.stringify({ level: 30, time: at, reqId: 'req-1', msg: 'incoming request', req: { method: 'GET', url: '/api/nope' } }))).toBeNull();
    expect(format(JSON.stringify({ level: 30, time: at, reqId: 'req-2', msg: 'incoming request', req: { method: 'POST', url: '/v1/messages' } }))).toBeNull();
    const done = format(JSON.stringify({ level: 30, time: at, reqId: 'req-1', res: { statusCode: 404 }, responseTime: 3.4, msg: 'request completed' }));
    expect(done).toMatch(/^\d\d:\d\d:\d\d INFO {2}GET \/api\/nope → 404 in 3 ms$/);
    expect(format(JSON.stringify({ level: 30, time: at, reqId: 'req-2', res: { statusCode: 200 }, responseTime: 80, msg: 'request completed' }))).toContain('POST /v1/messages → 200 in 80 ms');
    expect(format(JSON.stringify({ level: 30, time: at, msg: 'Server listening at http://127.0.0.1:8080' }))).toBeNull();
  });

  it('says of a request whose client left that it was left, with its method and path', () => {
    const format = createLineFormatter({ color: false });
    expect(format(JSON.stringify({ level: 30, time: at, reqId: 'v1-1', msg: 'incoming request', req: { method: 'POST', url: '/v1/chat/completions' } }))).toBeNull();
    expect(format(JSON.stringify({ level: 30, time: at, reqId: 'v1-1', responseTime: 99.6, msg: 'request aborted by the client' }))).toMatch(
      /^\d\d:\d\d:\d\d INFO {2}POST \/v1\/chat\/completions → left by the client after 100 ms$/,
    );
  });

  it('keeps scalar fields and the error message, hides pino bookkeeping', () => {
    const line = formatLine(JSON.stringify({ level: 50, time: at, pid: 1, hostname: 'h', profile: 'qwen small', port: 10240, err: { type: 'Error', message: 'model file not found', stack: 'x' }, msg: 'engine failed' }), { color: false });
    expect(line).toContain('ERROR engine failed');
    expect(line).toContain('profile="qwen small" port=10240 error="model file not found"');
    expect(line).not.toContain('pid=');
    expect(line).not.toContain('stack');
  });

  it('colours only when asked, and passes non-JSON through', () => {
    const rec = JSON.stringify({ level: 40, time: at, msg: 'slow' });
    expect(formatLine(rec, { color: true })).toContain('\u001b[33mWARN');
    expect(formatLine(rec, { color: false })).not.toContain('\u001b[');
    expect(formatLine('plain text', { color: false })).toBe('plain text');
  });

  it('reassembles lines split across writes', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const stream = createPrettyLogStream(out, { color: false });
    const rec = JSON.stringify({ level: 30, time: at, msg: 'listening' }) + '\n';
    stream.write(rec.slice(0, 10));
    stream.write(rec.slice(10) + rec);
    await new Promise<void>((r) => stream.end(r));
    expect(chunks.join('').trim().split('\n')).toHaveLength(2);
    expect(chunks[0]).toContain('INFO  listening');
  });
});
