// Raw HTTP over a socket, for tests that look at what fetch hides: the status line's protocol
// version, framing headers, bodies that end when the connection closes.
import net from 'node:net';

/** Sends `request` as is and returns everything the server wrote until it closed (bounded). */
export function rawExchange(port: number, request: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (out += d));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no close within ${timeoutMs} ms; got ${out}`)));
  });
}

/** A POST with Content-Length, or (withLength false) with a chunked body and no Content-Length. */
export function rawPost(path: string, body: string, withLength = true): string {
  const size = Buffer.byteLength(body);
  return withLength
    ? `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n${body}`
    : `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${size.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
}

export interface RawAnswer {
  statusLine: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
}

export function parseRaw(response: string): RawAnswer {
  const end = response.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = response.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { statusLine, headers, body: response.slice(end + 4) };
}
