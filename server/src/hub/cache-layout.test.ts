import { describe, expect, it } from 'vitest';
import { blobLinkTarget, isSafeRelativePath, isValidRepoId, parseRepoFolderName, repoFolderName, repoPaths } from './cache-layout.js';

describe('cache layout', () => {
  it('names repo folders like huggingface_hub and parses them back', () => {
    expect(repoFolderName('mlx-community/Qwen3-4B-4bit')).toBe('models--mlx-community--Qwen3-4B-4bit');
    expect(parseRepoFolderName('models--mlx-community--Qwen3-4B-4bit')).toBe('mlx-community/Qwen3-4B-4bit');
    // Only the first `--` separates org and name (the original replaced all of them).
    expect(parseRepoFolderName('models--org--name--with--dashes')).toBe('org/name--with--dashes');
    expect(parseRepoFolderName('models--gpt2')).toBe('gpt2');
    expect(parseRepoFolderName('datasets--org--x')).toBeUndefined();
    expect(parseRepoFolderName('models--')).toBeUndefined();
  });
  it('validates repo ids', () => {
    expect(isValidRepoId('org/name.v1_x-y')).toBe(true);
    for (const bad of ['', '../x', 'a/b/c', 'a--b/c', 'a/b..c', '-a/b', 'a/b.', 'a b/c', '/a']) expect(isValidRepoId(bad), bad).toBe(false);
  });
  it('accepts only contained relative paths', () => {
    for (const ok of ['a', 'a/b.json', '.gitattributes', 'x/.hidden']) expect(isSafeRelativePath(ok), ok).toBe(true);
    for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', './a', 'a/.', 'a\\b', 'C:x', 'a\0b']) expect(isSafeRelativePath(bad), bad).toBe(false);
  });
  it('builds relative blob links and refuses unsafe names', () => {
    expect(blobLinkTarget('config.json', 'ab'.repeat(20))).toBe(`../../blobs/${'ab'.repeat(20)}`);
    expect(blobLinkTarget('a/b/c.txt', 'e')).toBe('../../../../blobs/e');
    const p = repoPaths('/c', 'org/m');
    expect(p.blob('a'.repeat(64))).toBe(`/c/models--org--m/blobs/${'a'.repeat(64)}`);
    expect(() => p.blob('../../x')).toThrow(/unsafe blob/);
    expect(() => p.snapshot('main')).toThrow(/unsafe commit/);
    expect(() => p.ref('../x')).toThrow(/unsafe revision/);
    expect(p.ref('refs/pr/1')).toBe('/c/models--org--m/refs/refs/pr/1');
  });
});
