import { createHash, type Hash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Hashes a file while it is being downloaded: told how far the file is complete from its start,
 * it reads those bytes back from disk (still in the page cache) and hashes them in the
 * background, a slice at a time. When the last byte lands only the tail is left to hash, instead
 * of reading the whole file once more after the download — on a large model that was a pause of
 * a second or more with the event loop busy. What is hashed is what is on disk, as before.
 */

export type HashKind = 'sha256' | 'git-sha1';

/** Read and hash at most this much per step, so other work on the event loop keeps its turn. */
const SLICE = 1024 * 1024;

export function newHash(kind: HashKind, size: number): Hash {
  const h = createHash(kind === 'sha256' ? 'sha256' : 'sha1');
  // A git blob id is the sha1 of a header plus the contents.
  if (kind === 'git-sha1') h.update(`blob ${size}\0`);
  return h;
}

export class FileHasher {
  private readonly hash: Hash;
  private hashed = 0;
  private target = 0;
  private running: Promise<void> | undefined;
  private failure: unknown;
  private fh: FileHandle | undefined;
  private readonly buf = Buffer.allocUnsafe(SLICE);

  constructor(
    private readonly path: string,
    kind: HashKind,
    private readonly size: number,
  ) {
    this.hash = newHash(kind, size);
  }

  /** Bytes `[0, upTo)` are final on disk: hash them when a slice is ready. */
  advance(upTo: number): void {
    this.target = Math.max(this.target, Math.min(upTo, this.size));
    if (this.running || this.failure !== undefined || this.target - this.hashed < SLICE) return;
    this.running = this.pump()
      .catch((err: unknown) => {
        this.failure = err;
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  /** The hex digest of the whole file, once every byte is on disk. */
  async digest(): Promise<string> {
    await this.running;
    if (this.failure !== undefined) throw this.failure;
    this.target = this.size;
    try {
      await this.pump();
    } finally {
      await this.close();
    }
    return this.hash.digest('hex');
  }

  /** Release the file handle (after a failure, when no digest will be asked for). */
  async close(): Promise<void> {
    await this.running;
    const fh = this.fh;
    this.fh = undefined;
    await fh?.close();
  }

  private async pump(): Promise<void> {
    // O_NOFOLLOW: never hash through a link planted in place of the partial file.
    this.fh ??= await open(this.path, constants.O_RDONLY | constants.O_NOFOLLOW);
    while (this.hashed < this.target) {
      const want = Math.min(SLICE, this.target - this.hashed);
      const { bytesRead } = await this.fh.read(this.buf, 0, want, this.hashed);
      if (bytesRead === 0) throw new Error(`${this.path}: shorter than ${this.target} bytes`);
      this.hash.update(this.buf.subarray(0, bytesRead));
      this.hashed += bytesRead;
    }
  }
}
