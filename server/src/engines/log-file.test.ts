import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RotatingLog, tailLines } from './log-file.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('RotatingLog', () => {
  it('stays bounded: rotates past maxBytes and keeps only `keep` old files', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mlxm-log-'));
    const file = path.join(dir, 'engine.log');
    const log = new RotatingLog(file, { maxBytes: 1000, keep: 2 });
    for (let i = 0; i < 100; i++) log.write(`line ${String(i).padStart(3, '0')} ${'x'.repeat(80)}\n`);
    log.close();
    expect(statSync(file).size).toBeLessThanOrEqual(1000);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    const tail = tailLines(file, 3);
    expect(tail.at(-1)).toMatch(/^line 099 /);
    expect(tail).toHaveLength(3);
  });

  it('tails across the last rotation, follows live writes and marks its own notes', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mlxm-log-'));
    const file = path.join(dir, 'engine.log');
    const log = new RotatingLog(file, { maxBytes: 50, keep: 1 });
    const seen: string[] = [];
    const off = log.follow((t) => seen.push(t));
    log.write('first line of output\n');
    log.write('second line of output\n');
    log.write('third line of output\n'); // rotates: first two move to .1
    off();
    log.close();
    expect(tailLines(file, 3)).toEqual(['first line of output', 'second line of output', 'third line of output']);
    expect(tailLines(file, 2)).toEqual(['second line of output', 'third line of output']);
    expect(seen.join('')).toBe('first line of output\nsecond line of output\nthird line of output\n');
    const notes = new RotatingLog(path.join(dir, 'notes.log'));
    notes.note('stopped');
    notes.close();
    expect(readFileSync(path.join(dir, 'notes.log'), 'utf8')).toMatch(/^\[mlx-manager \S+\] stopped\n$/);
    expect(tailLines(path.join(dir, 'missing.log'), 5)).toEqual([]);
  });
});
