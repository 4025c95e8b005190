import { createRequire } from 'node:module';
import type * as Fs from 'node:fs';
import type * as Os from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** Runs one write statement somewhere else than the caller's thread. */
export interface SqlWriter<Parameters = readonly unknown[]> {
  run(sql: string, parameters: Parameters): Promise<void>;
  /** Waits for the writes asked for, then stops. */
  close(): Promise<void>;
}

export interface SqliteWriterOptions<Parameters> {
  /**
   * Makes the statement's parameters out of what `run` was given, in the thread (so work such as
   * formatting rows is not done on the caller's thread). Its source text is what reaches the
   * thread: it may use nothing outside its own body. Default: `run` is given the parameters.
   */
  unpack?: (packed: Parameters) => unknown[];
  /** The thread stops after this long without a write (ms). */
  idleMs?: number;
}

/**
 * The writer thread's whole program. Its source is handed to the Worker as text (an eval
 * worker: no file to find, whether the server runs compiled or from its TypeScript source), so
 * it uses nothing from this module, only the `require` it is called with and its workerData.
 */
function writerThread(require: NodeJS.Require, unpack: ((packed: unknown) => unknown[]) | null): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof WorkerThreads;
  const { driver, file } = workerData as { driver: string; file: string };
  const Database = require(driver) as typeof BetterSqlite3;
  // The lowest CPU priority for this thread, so the requests' own work always goes first and the
  // inserts take the idle time between them: on a machine with few cores, a writer thread at the
  // same priority delayed the requests as much as the inserts on the event loop had. On Linux a
  // thread's id takes a nice value of its own; elsewhere the thread keeps the process's priority.
  try {
    const { readlinkSync } = require('node:fs') as typeof Fs;
    const { setPriority } = require('node:os') as typeof Os;
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // no /proc/thread-self: not Linux
  }
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  // This connection's commits skip the fsync that FULL makes (WAL stays consistent; a power cut
  // may lose the last batches of a log, never corrupt it). The main connection keeps FULL.
  db.pragma('synchronous = NORMAL');
  const statements = new Map<string, BetterSqlite3.Statement>();
  parentPort?.on('message', (message: { id: number; sql: string; parameters: unknown }) => {
    try {
      let statement = statements.get(message.sql);
      if (!statement) {
        statement = db.prepare(message.sql);
        statements.set(message.sql, statement);
      }
      statement.run(unpack ? unpack(message.parameters) : (message.parameters as unknown[]));
      parentPort.postMessage({ id: message.id });
    } catch (err) {
      parentPort.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
}

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

/** One writer thread and the writes sent to it that it has not answered yet. */
interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Writes to an SQLite file from a thread of its own, over a second connection, so the caller's
 * event loop never waits on the insert or its commit. Made for the gateway's audit log, written on
 * every `/v1` request (docs/gateway-data-plane.md). The thread starts at the first write and stops
 * after `idleMs` without one: an idle server holds no second V8 heap.
 */
export class SqliteWriter<Parameters = readonly unknown[]> implements SqlWriter<Parameters> {
  private thread: Thread | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Why the thread crashed, if it did: it is not started again (each start would fail the same way). */
  private failure: Error | null = null;
  private readonly driver = createRequire(import.meta.url).resolve('better-sqlite3');
  private readonly source: string;
  private readonly idleMs: number;

  constructor(
    private readonly file: string,
    options: SqliteWriterOptions<Parameters> = {},
  ) {
    this.idleMs = options.idleMs ?? 30_000;
    this.source = `(${writerThread.toString()})(require, ${options.unpack ? `(${options.unpack.toString()})` : 'null'});`;
  }

  run(sql: string, parameters: Parameters): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the SQLite writer is closed'));
    if (this.failure) return Promise.reject(this.failure);
    clearTimeout(this.idleTimer);
    const thread = (this.thread ??= this.spawn());
    const id = ++this.nextId;
    const written = new Promise<void>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, sql, parameters });
    });
    this.inFlight.add(written);
    const forget = () => this.inFlight.delete(written);
    written.then(forget, forget);
    return written;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    await Promise.allSettled([...this.inFlight]);
    await this.stop();
  }

  private spawn(): Thread {
    const worker = new Worker(this.source, { eval: true, workerData: { driver: this.driver, file: this.file } });
    const thread: Thread = { worker, pending: new Map() };
    // Never what keeps the process alive: close() waits for the writes that matter.
    worker.unref();
    worker.on('message', (message: { id: number; error?: string }) => {
      const waiting = thread.pending.get(message.id);
      thread.pending.delete(message.id);
      if (message.error === undefined) waiting?.resolve();
      else waiting?.reject(new Error(message.error));
      if (thread.pending.size === 0 && this.thread === thread && !this.closed) {
        clearTimeout(this.idleTimer);
        this.idleTimer = setTimeout(() => void this.stop(), this.idleMs);
        this.idleTimer.unref();
      }
    });
    const failAll = (err: Error) => {
      if (this.thread === thread) this.thread = null;
      for (const waiting of thread.pending.values()) waiting.reject(err);
      thread.pending.clear();
    };
    // An uncaught error in the thread (the driver or the file could not be opened, say) would
    // recur at every start: the writer stays down and its callers write on their own connection.
    worker.on('error', (err) => {
      this.failure = err;
      failAll(err);
    });
    worker.on('exit', () => failAll(new Error('the SQLite writer thread stopped')));
    return thread;
  }

  /** Ends the thread when nothing waits on it (a write that came in meanwhile keeps it). */
  private async stop(): Promise<void> {
    const thread = this.thread;
    if (!thread || thread.pending.size > 0) return;
    this.thread = null;
    await thread.worker.terminate();
  }
}
