// Child process of the gateway benchmark: the cheapest proxy Node can be, as a ceiling for ours.
// A bare node:http server that reads the request body, sends it to one upstream origin through
// an undici Pool (keep-alive, like our gateway) and pipes the answer back: no auth, routing,
// parsing or audit. What it costs is what any Node proxy on this machine pays at least.
// argv[2]: upstream origin. Prints one JSON line `{"url": …}` when listening; SIGTERM closes it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const pool = new Pool(process.argv[2]!, { connections: 1024, keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });

const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    const body = Buffer.concat(parts);
    pool
      .request({ method: 'POST', path: req.url ?? '/', headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '', 'content-length': String(body.length) }, body })
      .then((up) => {
        res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type'] ?? 'application/json') });
        up.body.on('data', (c: Buffer) => res.write(c));
        up.body.on('end', () => res.end());
        up.body.on('error', () => res.destroy());
      })
      .catch(() => {
        res.writeHead(502).end();
      });
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.close().then(() => process.exit(0));
});
