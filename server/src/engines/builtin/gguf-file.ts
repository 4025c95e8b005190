// Reads as much of a GGUF file as its header needs (vocabularies make headers several MB) and
// runs the pure checker on it.
import { open } from 'node:fs/promises';
import { checkGgufHeader, type GgufHeaderInfo } from './gguf-header.js';

const FIRST_READ = 1024 * 1024;
const MAX_HEADER_READ = 1024 * 1024 * 1024;

export class GgufFileError extends Error {}

export async function validateGgufFile(path: string): Promise<GgufHeaderInfo> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new GgufFileError(code === 'ENOENT' ? `model file not found: ${path}` : `cannot open model file ${path}: ${code ?? String(err)}`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new GgufFileError(`model path is not a file: ${path}`);
    let want = Math.min(stat.size, FIRST_READ);
    for (;;) {
      const buffer = Buffer.alloc(want);
      const { bytesRead } = await handle.read(buffer, 0, want, 0);
      const result = checkGgufHeader(buffer.subarray(0, bytesRead), stat.size);
      if (result.ok === true) return result.info;
      if (result.ok === false) throw new GgufFileError(`invalid GGUF file ${path}: ${result.reason}`);
      if (want >= MAX_HEADER_READ || bytesRead < want) {
        throw new GgufFileError(`invalid GGUF file ${path}: the header is larger than ${MAX_HEADER_READ} bytes`);
      }
      want = Math.min(stat.size, MAX_HEADER_READ, Math.max(result.bytes, want * 4));
    }
  } finally {
    await handle.close();
  }
}
