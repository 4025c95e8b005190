// Is a TCP port free to listen on? Checked right before spawning, so a start on a port held by
// anything else (another engine, a launchd copy, an unrelated program) fails with a clear reason
// instead of an engine that dies on bind or, worse, a probe that talks to the wrong server.
import net from 'node:net';

export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
