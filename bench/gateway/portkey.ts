// Portkey's open-source gateway (@portkey-ai/gateway, a dev dependency) as the benchmark's peer:
// started as a child with its own CLI, told per request where the OpenAI-compatible upstream is.
import { join } from 'node:path';
import { freePort, startChild, waitForPort, type Child } from './processes.js';

export interface PortkeyServer {
  child: Child;
  url: string;
  /** Headers that send a request through Portkey to an OpenAI-style upstream. */
  headersFor(upstreamBaseURL: string, key: string): Record<string, string>;
  stop(): Promise<void>;
}

export async function startPortkey(root: string): Promise<PortkeyServer> {
  const port = await freePort();
  const entry = join(root, 'node_modules/@portkey-ai/gateway/build/start-server.js');
  const shim = join(root, 'bench/gateway/portkey-fetch-shim.mjs');
  const child = startChild(process.execPath, ['--import', shim, entry, `--port=${port}`, '--headless'], { PATH: process.env.PATH ?? '' });
  try {
    await waitForPort(port, 30_000);
  } catch (err) {
    await child.stop();
    throw new Error(`${(err as Error).message}\n${child.log()}`);
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    headersFor: (baseURL, key) => ({ authorization: `Bearer ${key}`, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': baseURL }),
    stop: () => child.stop(),
  };
}
