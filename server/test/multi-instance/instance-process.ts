// One `mlx-manager serve` process started from source for a test, on loopback port 0, with its own
// data folder; resolves once it prints its listening line.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tempHome } from '../helpers/config.js';

const CLI = fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface InstanceProcess {
  url: string;
  home: string;
  stop(): Promise<void>;
}

export async function startInstance(env: Record<string, string>, startTimeoutMs = 60_000): Promise<InstanceProcess> {
  const tmp = await tempHome();
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX, CLI, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: tmp.home,
      HF_HOME: `${tmp.home}/hf`,
      MLX_MANAGER_HOME: tmp.home,
      MLX_MANAGER_HOST: '127.0.0.1',
      MLX_MANAGER_PORT: '0',
      MLX_MANAGER_LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance did not start in ${startTimeoutMs} ms:\n${output}`)), startTimeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`instance exited with ${code}:\n${output}`));
    });
  }).catch(async (err: unknown) => {
    child.kill('SIGKILL');
    await tmp.remove();
    throw err;
  });
  return {
    url,
    home: tmp.home,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      await tmp.remove();
    },
  };
}
