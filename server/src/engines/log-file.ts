// A per-profile engine log: appended as the engine writes, rotated when it grows past a bound
// (current → .1 → … → .N, oldest dropped), so a chatty engine can never fill the disk. Writes
// are synchronous on purpose: each is a small chunk, and a crash must never lose the lines that
// explain it (they are read right after the exit).
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface LogFileOptions {
  maxBytes: number;
  keep: number;
}

export const DEFAULT_LOG_OPTIONS: LogFileOptions = { maxBytes: 5 * 1024 * 1024, keep: 3 };

export class RotatingLog {
  private fd: number | null = null;
  private size = 0;
  private readonly listeners = new Set<(text: string) => void>();

  constructor(
    readonly file: string,
    private readonly options: LogFileOptions = DEFAULT_LOG_OPTIONS,
  ) {}

  private ensureOpen(): number {
    if (this.fd === null) {
      mkdirSync(path.dirname(this.file), { recursive: true });
      this.fd = openSync(this.file, 'a', 0o600);
      this.size = fstatSync(this.fd).size;
    }
    return this.fd;
  }

  write(chunk: string | Buffer): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.size + buf.length > this.options.maxBytes && this.size > 0) this.rotate();
    const fd = this.ensureOpen();
    writeSync(fd, buf);
    this.size += buf.length;
    const text = buf.toString('utf8');
    for (const l of this.listeners) l(text);
  }

  /** A line written by the manager itself (start, exit), marked so it stands out from engine output. */
  note(message: string): void {
    this.write(`[mlx-manager ${new Date().toISOString()}] ${message}\n`);
  }

  /** Live text as it is written (the log stream of the API). Returns the unsubscribe. */
  follow(listener: (text: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private rotate(): void {
    this.close();
    // Oldest out first, then shift: .N-1 → .N … .1 → .2, current → .1.
    if (this.options.keep > 0) rmSync(`${this.file}.${this.options.keep}`, { force: true });
    for (let i = this.options.keep - 1; i >= 1; i--) {
      const from = `${this.file}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.file}.${i + 1}`);
    }
    if (this.options.keep > 0 && existsSync(this.file)) renameSync(this.file, `${this.file}.1`);
    else rmSync(this.file, { force: true });
    this.size = 0;
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

/** The last `count` lines of a log (current file, then the previous rotation if needed). */
export function tailLines(file: string, count: number): string[] {
  const lines: string[] = [];
  for (const f of [file, `${file}.1`]) {
    if (!existsSync(f)) continue;
    const text = readFileSync(f, 'utf8');
    const fileLines = text.split('\n');
    if (fileLines.at(-1) === '') fileLines.pop();
    lines.unshift(...fileLines);
    if (lines.length >= count) break;
  }
  return lines.slice(-count);
}
