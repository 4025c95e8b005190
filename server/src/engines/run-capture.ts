// Runs a short command without a shell and captures its output, bounded in time and size.
import { execFile } from 'node:child_process';

export interface Captured {
  code: number | null;
  stdout: string;
  stderr: string;
  error: string | null;
}

export function runCapture(command: string, args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Captured> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { timeout: options.timeoutMs ?? 20_000, maxBuffer: 4 * 1024 * 1024, env: options.env ?? process.env, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const failure = err as (Error & { code?: unknown }) | null;
        // `code` is the exit status when the command ran, a string such as ENOENT when it could not.
        const code = !failure ? 0 : typeof failure.code === 'number' ? failure.code : null;
        resolve({ code, stdout: String(stdout), stderr: String(stderr), error: failure && code === null ? failure.message : null });
      },
    );
  });
}
