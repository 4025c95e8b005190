import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project venv's python (scripts/setup-python.sh creates it); MLXM_TEST_PYTHON overrides. */
export function venvPython(): string {
  const p = process.env.MLXM_TEST_PYTHON ?? fileURLToPath(new URL('../../../.venv/bin/python', import.meta.url));
  if (!existsSync(p)) {
    throw new Error(
      `Python venv not found at ${p}. Create it with \`bash scripts/setup-python.sh\` ` +
        '(or for a quick local run: `python3 -m venv .venv && .venv/bin/pip install huggingface_hub transformers`).',
    );
  }
  return p;
}

/** Run a python snippet without a shell; resolves stdout, rejects with stderr on failure. */
export function runPython(code: string, env: Record<string, string>, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(venvPython(), ['-c', code], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
