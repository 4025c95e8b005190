// The header check against files written by llama.cpp's own `gguf` Python package, so the type
// sizes, alignment and layout rules in gguf-header.ts are the real ones, not just our reading.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGgufHeader } from '../../../src/engines/builtin/gguf-header.js';

const run = promisify(execFile);
const python = path.resolve(import.meta.dirname, '../../../../.venv/bin/python');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gguf-official-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkGgufHeader on files from the official gguf writer', () => {
  it('accepts every metadata type, a custom alignment and the quantized tensor types, agreeing with the official reader', async () => {
    if (!existsSync(python)) throw new Error(`Python venv missing (${python}): create it with \`bash scripts/setup-python.sh\``);
    const file = path.join(dir, 'official.gguf');
    const { stdout } = await run(python, [path.join(import.meta.dirname, 'write-gguf.py'), file], { timeout: 60_000 });
    const official = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { types: string[]; tensors: number; metadata: number; dataOffset: number };
    expect(official.types).toEqual(expect.arrayContaining(['F32', 'F16', 'BF16', 'Q8_0', 'Q4_0']));

    const bytes = await readFile(file);
    const result = checkGgufHeader(bytes, bytes.length);
    expect(result).toEqual({
      ok: true,
      info: {
        version: 3,
        tensorCount: official.tensors,
        metadataCount: official.metadata,
        architecture: 'llama',
        trainContextLength: 4096,
        hasChatTemplate: true,
        dataOffset: official.dataOffset,
      },
    });

    // The same file cut inside its tensor data must be noticed.
    const cut = official.dataOffset + 100;
    expect(checkGgufHeader(bytes.subarray(0, cut), cut)).toMatchObject({ ok: false, reason: expect.stringContaining('past the end') });
  });
});
