// Shared helpers of the engine suites: profiles with defaults, free ports, temp folders, and a
// look at the process table (to count engines and prove none survives).
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ProfileFields, type CreateProfileRequest } from '@mlx-manager/contract';
import type { LaunchProfile } from '../../src/engines/launchers/types.js';

let counter = 0;

/** Every profile field a launcher can turn into a flag, set (argv contract and flag-drift suites). */
export const EVERY_FLAG_FIELD = {
  host: '127.0.0.1',
  port: 10240,
  context_length: 4096,
  max_concurrency: 2,
  queue_timeout_seconds: 120,
  queue_size: 50,
  threads: 4,
  served_model_name: 'tiny',
  tool_call_parser: 'qwen3',
  reasoning_parser: 'qwen3',
  message_converter: 'qwen3_coder',
  enable_auto_tool_choice: true,
  trust_remote_code: true,
  chat_template_file: '/tmp/template.jinja',
} satisfies Partial<CreateProfileRequest>;

export function makeProfile(fields: Partial<CreateProfileRequest> & Pick<CreateProfileRequest, 'engine' | 'port'>): LaunchProfile {
  counter++;
  const parsed = ProfileFields.parse({ name: `p${counter}`, model: `org/model-${process.pid}-${counter}`, ...fields });
  return { ...parsed, id: `profile-${process.pid}-${counter}` };
}

export { freePort } from '../helpers/free-port.js';

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `mlxm-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Pids of live (non-zombie) processes whose command line contains `marker`. Linux only. */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (cmd.includes(marker) && state !== 'Z') found.push(Number(name));
    } catch {
      continue; // ended while we looked
    }
  }
  return found;
}

/** Waits (bounded) until `check` holds; returns whether it did. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
