// The file adapter of the GGUF check: headers bigger than the first read, and unreadable paths.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateGgufFile } from '../../../src/engines/builtin/gguf-file.js';
import { encodeGguf } from '../../fixtures/tiny-model/gguf.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gguf-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('validateGgufFile', () => {
  it('reads on past the first megabyte when the vocabulary makes the header large', async () => {
    // 200k vocabulary entries of ~12 bytes: a 4 MB header, as with real 150k-token models.
    const vocab = Array.from({ length: 200_000 }, (_, i) => `token-${i}`);
    const bytes = encodeGguf(
      [['general.architecture', { type: 'string', value: 'llama' }], ['tokenizer.ggml.tokens', { type: 'string[]', value: vocab }]],
      [{ name: 'w', dims: [8], data: new Uint8Array(32) }],
    );
    expect(bytes.length).toBeGreaterThan(3 * 1024 * 1024);
    const file = path.join(dir, 'big-vocab.gguf');
    await writeFile(file, bytes);
    const info = await validateGgufFile(file);
    expect(info).toMatchObject({ architecture: 'llama', tensorCount: 1, metadataCount: 2 });
    expect(info.dataOffset).toBeGreaterThan(3 * 1024 * 1024);
  });

  it('names the problem for a missing file, a folder and a non-GGUF file', async () => {
    await expect(validateGgufFile(path.join(dir, 'absent.gguf'))).rejects.toThrow(/model file not found: .*absent\.gguf/);
    await expect(validateGgufFile(dir)).rejects.toThrow(/model path is not a file|cannot open model file/);
    const text = path.join(dir, 'config.json');
    await writeFile(text, JSON.stringify({ model_type: 'llama', padding: 'x'.repeat(100) }));
    await expect(validateGgufFile(text)).rejects.toThrow(/invalid GGUF file .*config\.json: not a GGUF file/);
  });
});
