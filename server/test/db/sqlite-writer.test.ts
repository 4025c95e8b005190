// The audit log's writer thread on a real SQLite file: rows it writes are read back over the
// main connection, parameters are unpacked in the thread, a bad statement rejects its own write
// only, close() waits for writes asked for, an idle thread stops and comes back with the next
// write, and it yields the CPU to the rest.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteWriter } from '../../src/db/sqlite-writer.js';

let dir: string;
let file: string;
let main: SQLite.Database;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlxm-writer-'));
  file = join(dir, 'test.db');
  main = new SQLite(file);
  main.pragma('journal_mode = WAL');
  main.exec('CREATE TABLE log (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
});

afterEach(async () => {
  main.close();
  await rm(dir, { recursive: true, force: true });
});

const count = () => (main.prepare('SELECT count(*) AS n FROM log').get() as { n: number }).n;

describe('SqliteWriter', () => {
  it('writes multi-row INSERTs that the main connection reads back once each write resolves', async () => {
    const writer = new SqliteWriter(file);
    try {
      await writer.run('INSERT INTO log (text) VALUES (?), (?)', ['a', 'b']);
      await Promise.all(Array.from({ length: 20 }, (_, i) => writer.run('INSERT INTO log (text) VALUES (?)', [`row ${i}`])));
      expect(count()).toBe(22);
      expect(main.prepare('SELECT text FROM log ORDER BY id LIMIT 2').all()).toEqual([{ text: 'a' }, { text: 'b' }]);
    } finally {
      await writer.close();
    }
  });

  it('rejects only the write that failed, with SQLite’s reason', async () => {
    const writer = new SqliteWriter(file);
    try {
      await expect(writer.run('INSERT INTO log (text) VALUES (?)', [null])).rejects.toThrow(/NOT NULL/);
      await expect(writer.run('INSERT INTO nowhere VALUES (1)', [])).rejects.toThrow(/no such table/);
      await writer.run('INSERT INTO log (text) VALUES (?)', ['still writing']);
      expect(count()).toBe(1);
    } finally {
      await writer.close();
    }
  });

  it('close() waits for the writes already asked for, and refuses new ones', async () => {
    const writer = new SqliteWriter(file);
    const writes = Array.from({ length: 50 }, (_, i) => writer.run('INSERT INTO log (text) VALUES (?)', [`w${i}`]));
    await writer.close();
    await Promise.all(writes);
    expect(count()).toBe(50);
    await expect(writer.run('INSERT INTO log (text) VALUES (?)', ['late'])).rejects.toThrow(/closed/);
  });

  it('an idle thread stops, and the next write starts another', async () => {
    const writer = new SqliteWriter(file, { idleMs: 50 });
    try {
      await writer.run('INSERT INTO log (text) VALUES (?)', ['first']);
      await expect.poll(() => (writer as unknown as { thread: unknown }).thread, { timeout: 5000 }).toBeNull();
      await writer.run('INSERT INTO log (text) VALUES (?)', ['second']);
      expect(count()).toBe(2);
    } finally {
      await writer.close();
    }
  });

  it('a thread that crashes is not started again: later writes are refused at once', async () => {
    // A folder is no database file: opening it throws inside the thread.
    const writer = new SqliteWriter(dir);
    try {
      await expect(writer.run('INSERT INTO log (text) VALUES (?)', ['x'])).rejects.toThrow();
      const spawned = vi.spyOn(writer as unknown as { spawn(): unknown }, 'spawn');
      await expect(writer.run('INSERT INTO log (text) VALUES (?)', ['y'])).rejects.toThrow();
      expect(spawned).not.toHaveBeenCalled();
      expect(count()).toBe(0);
    } finally {
      await writer.close();
    }
  });

  it('unpacks what run() is given in the thread, with the function it was built with', async () => {
    // Sent as source text: it may use nothing outside its own body.
    const unpack = (packed: { word: string; times: number }) => [Array.from({ length: packed.times }, () => packed.word).join('-')];
    const writer = new SqliteWriter(file, { unpack });
    try {
      await writer.run('INSERT INTO log (text) VALUES (?)', { word: 'ab', times: 3 });
      expect(main.prepare('SELECT text FROM log').all()).toEqual([{ text: 'ab-ab-ab' }]);
    } finally {
      await writer.close();
    }
  });

  it.runIf(process.platform === 'linux')('runs at the lowest CPU priority (nice 19), the rest of the process keeps its own', async () => {
    /** Nice value of each thread of this process (field 19 of /proc/<pid>/task/<tid>/stat). */
    const nices = () =>
      readdirSync('/proc/self/task').map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
    const before = nices().filter((n) => n === 19).length;
    const writer = new SqliteWriter(file);
    try {
      await writer.run('INSERT INTO log (text) VALUES (?)', ['x']);
      const after = nices();
      expect(after.filter((n) => n === 19).length).toBe(before + 1);
      expect(after.filter((n) => n !== 19).length).toBeGreaterThan(0);
    } finally {
      await writer.close();
    }
  });
});
