import { describe, expect, it } from 'vitest';
import { ggufQuantization, isLoadableGguf, modelFileProblem, pickModelFile } from './model-files.js';
import { CreateProfileRequest } from './profiles.js';

describe('model files of GGUF profiles', () => {
  it('accepts files inside the snapshot, refuses anything that could leave it or be misread', () => {
    for (const ok of ['model-Q4_K_M.gguf', 'Q4_K_M/model-00001-of-00002.gguf', 'a b.GGUF']) expect(modelFileProblem(ok)).toBeNull();
    const bad = ['../x.gguf', 'a/../../x.gguf', '/etc/x.gguf', 'C:/x.gguf', 'a//b.gguf', './x.gguf', 'a\\..\\x.gguf', 'x.bin', '-x.gguf', 'x;rm.gguf', "x'.gguf", 'x\n.gguf', '', 'a'.repeat(1030) + '.gguf'];
    for (const file of bad) expect(modelFileProblem(file), file).not.toBeNull();
  });

  it('is validated in profile requests (hostile names are a field error)', () => {
    const base = { name: 'x', engine: 'builtin', model: 'org/m' };
    expect(CreateProfileRequest.safeParse({ ...base, model_file: 'm-Q8_0.gguf' }).success).toBe(true);
    const bad = CreateProfileRequest.safeParse({ ...base, model_file: '../x.gguf' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['model_file']);
  });

  it('reads the quantization from the file name', () => {
    expect(ggufQuantization('Qwen3-0.6B-Q4_K_M.gguf')).toBe('Q4_K_M');
    expect(ggufQuantization('llama-3.2-1b-instruct-q8_0.gguf')).toBe('Q8_0');
    expect(ggufQuantization('model.IQ2_XS.gguf')).toBe('IQ2_XS');
    expect(ggufQuantization('tiny-model-F32.gguf')).toBe('F32');
    expect(ggufQuantization('big-BF16-00001-of-00003.gguf')).toBe('BF16');
    expect(ggufQuantization('model.gguf')).toBeNull();
  });

  it('offers first parts and no projectors; picks the only loadable file, else none', () => {
    expect(isLoadableGguf('big-00001-of-00003.gguf')).toBe(true);
    expect(isLoadableGguf('big-00002-of-00003.gguf')).toBe(false);
    expect(isLoadableGguf('mmproj-model-f16.gguf')).toBe(false);
    expect(isLoadableGguf('README.md')).toBe(false);
    expect(pickModelFile(['README.md', 'm-Q4_K_M.gguf', 'mmproj-f16.gguf'])).toBe('m-Q4_K_M.gguf');
    expect(pickModelFile(['a-Q4_K_M.gguf', 'a-Q8_0.gguf'])).toBeNull();
    expect(pickModelFile(['config.json'])).toBeNull();
  });
});
