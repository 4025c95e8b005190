import { describe, expect, it } from 'vitest';
import type { HubTreeEntry } from './client.js';
import { globToRegExp, planDownload } from './download-plan.js';

const sha = (c: string): string => c.repeat(64);
const tree: HubTreeEntry[] = [
  { type: 'directory', path: 'sub', size: 0, oid: '0'.repeat(40) },
  { type: 'file', path: 'config.json', size: 10, oid: 'a'.repeat(40) },
  { type: 'file', path: 'model-Q4_K_M.gguf', size: 1000, oid: 'b'.repeat(40), lfs: { oid: sha('c'), size: 1000 } },
  { type: 'file', path: 'model-Q8_0.gguf', size: 2000, oid: 'd'.repeat(40), lfs: { oid: sha('e'), size: 2000 } },
  { type: 'file', path: 'sub/x.txt', size: 1, oid: 'f'.repeat(40) },
];

describe('planDownload', () => {
  it('plans every file with etag = lfs sha256 or git oid', () => {
    const plan = planDownload(tree);
    expect(plan.totalBytes).toBe(3011);
    expect(plan.files.find((f) => f.path === 'model-Q8_0.gguf')).toEqual({ path: 'model-Q8_0.gguf', size: 2000, etag: sha('e'), sha256: sha('e') });
    expect(plan.files.find((f) => f.path === 'config.json')?.sha256).toBeUndefined();
  });
  it('selects by file name or fnmatch glob', () => {
    expect(planDownload(tree, ['model-Q4_K_M.gguf']).files.map((f) => f.path)).toEqual(['model-Q4_K_M.gguf']);
    expect(planDownload(tree, ['*.json', 'sub/']).files.map((f) => f.path)).toEqual(['config.json', 'sub/x.txt']);
    expect(globToRegExp('*Q[48]_*').test('model-Q8_0.gguf')).toBe(true);
    expect(globToRegExp('model?.txt').test('model.txt')).toBe(false);
  });
  it('refuses hostile trees', () => {
    expect(() => planDownload([...tree, { type: 'file', path: '../x', size: 1, oid: 'a'.repeat(40) }], ['config.json'])).toThrow(/unsafe file path/);
    expect(() => planDownload([{ type: 'file', path: 'x', size: 1, oid: '../../etc' }])).toThrow(/unsafe blob id/);
    expect(() => planDownload([{ type: 'file', path: 'x', size: -1, oid: 'a'.repeat(40) }])).toThrow(/invalid size/);
    expect(() => planDownload([...tree, { type: 'file', path: 'CONFIG.json', size: 1, oid: 'a'.repeat(40) }])).toThrow(/twice/);
    expect(() => planDownload([{ type: 'file', path: 'a', size: 1, oid: 'a'.repeat(40) }, { type: 'file', path: 'a/b', size: 1, oid: 'a'.repeat(40) }])).toThrow(/below a file/);
  });
});
