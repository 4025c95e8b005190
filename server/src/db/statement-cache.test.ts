import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  it('hands back the same statement for the same SQL, and a fresh one once evicted', () => {
    const sqlite = new SQLite(':memory:');
    const db = withStatementCache(sqlite, 2);
    try {
      const a = db.prepare('SELECT 1 AS v');
      expect(db.prepare('SELECT 1 AS v')).toBe(a);
      db.prepare('SELECT 2 AS v');
      db.prepare('SELECT 1 AS v'); // touched: now the newest
      db.prepare('SELECT 3 AS v'); // evicts SELECT 2, the least recently used
      expect(db.prepare('SELECT 1 AS v')).toBe(a);
      expect(db.prepare('SELECT 1 AS v').all([])).toEqual([{ v: 1 }]);
    } finally {
      db.close();
    }
    expect(sqlite.open).toBe(false);
  });

  it('never hands out a statement still iterating', () => {
    const sqlite = new SQLite(':memory:');
    const db = withStatementCache(sqlite);
    try {
      const sql = 'SELECT value FROM json_each(?)';
      const first = db.prepare(sql);
      const rows = first.iterate(['[1,2,3]']);
      expect(rows.next().value).toEqual({ value: 1 });
      const second = db.prepare(sql);
      expect(second).not.toBe(first);
      expect(second.all(['[4]'])).toEqual([{ value: 4 }]);
      expect([...rows]).toEqual([{ value: 2 }, { value: 3 }]);
    } finally {
      db.close();
    }
  });

  it('runs writes again with new parameters after a schema change', () => {
    const db = withStatementCache(new SQLite(':memory:'));
    try {
      db.prepare('CREATE TABLE t (x INTEGER)').run([]);
      const insert = 'INSERT INTO t (x) VALUES (?)';
      db.prepare(insert).run([1]);
      db.prepare('ALTER TABLE t ADD COLUMN y TEXT').run([]);
      db.prepare(insert).run([2]);
      expect(db.prepare('SELECT x, y FROM t ORDER BY x').all([])).toEqual([{ x: 1, y: null }, { x: 2, y: null }]);
    } finally {
      db.close();
    }
  });
});
