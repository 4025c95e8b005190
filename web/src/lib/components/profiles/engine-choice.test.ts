import { describe, expect, it } from 'vitest';
import type { EngineInfo, LocalModel, LocalModelFile } from '@mlx-manager/contract';
import { chosenModelFile, defaultEngine, engineLabel, engineStatus, isDownloaded, modelFileOptions, needsModelFile } from './engine-choice.js';

const info = (engine: string, found: boolean, version: string | null = null): EngineInfo => ({
  engine,
  found,
  executable: null,
  version,
  reason: found ? null : 'it requires torchvision (torch) on Linux',
  install_hint: found ? null : 'run `bash scripts/setup-python.sh`',
});
const linux = [info('builtin', true, 'built-in (node-llama-cpp 3.1.0)'), info('mlx-lm', true, '0.32.2'), info('mlx-openai-server', false), info('vllm-mlx', false), info('llama-server', false)];
const bare = [info('builtin', true), info('mlx-lm', false), info('mlx-openai-server', false), info('vllm-mlx', false), info('llama-server', false)];

describe('engine choice', () => {
  it('defaults to an engine this machine has', () => {
    expect(defaultEngine('org/x-GGUF', linux)).toBe('builtin');
    expect(defaultEngine('mlx-community/Qwen3-4bit', linux)).toBe('mlx-lm');
    expect(defaultEngine('mlx-community/Qwen3-4bit', [info('mlx-openai-server', true, '1.7.0')])).toBe('mlx-openai-server');
    expect(defaultEngine('', bare)).toBe('builtin');
    // Nothing for MLX installed: mlx-lm, whose failed start then says how to install it.
    expect(defaultEngine('mlx-community/Qwen3-4bit', bare)).toBe('mlx-lm');
  });

  it('labels engines with their version, or as not installed with why and how', () => {
    expect(engineLabel('mlx-lm', engineStatus('mlx-lm', linux))).toBe('mlx-lm · 0.32.2');
    expect(engineLabel('mlx-openai-server', engineStatus('mlx-openai-server', linux))).toBe('mlx-openai-server — not installed');
    expect(engineStatus('mlx-openai-server', linux)).toMatchObject({ installed: false, reason: /torchvision/, installHint: /setup-python/ });
    expect(engineStatus('mlx-lm', undefined).installed).toBeUndefined();
    expect(engineStatus('custom', bare).installed).toBe(true);
  });

  it('knows when a repo is downloaded and when a GGUF file must be picked', () => {
    const local = [{ id: 'org/a-GGUF' }] as LocalModel[];
    expect(isDownloaded('org/a-GGUF', local, true)).toBe(true);
    expect(isDownloaded('org/b-GGUF', local, true)).toBe(false);
    expect(isDownloaded('org/b-GGUF', local, false)).toBeUndefined();
    expect(isDownloaded('/models/x.gguf', local, true)).toBeUndefined();
    expect(needsModelFile('builtin', 'org/a-GGUF')).toBe(true);
    expect(needsModelFile('llama-server', '/m/x.gguf')).toBe(false);
    expect(needsModelFile('mlx-lm', 'org/a')).toBe(false);
  });

  it('offers loadable files with quantization and size, and picks the only one', () => {
    const files: LocalModelFile[] = [
      { path: 'README.md', size_bytes: 10, loadable_gguf: false, quantization: null },
      { path: 'a-Q4_K_M.gguf', size_bytes: 1_500_000_000, loadable_gguf: true, quantization: 'Q4_K_M' },
      { path: 'mmproj-f16.gguf', size_bytes: 5, loadable_gguf: false, quantization: 'F16' },
    ];
    expect(modelFileOptions(files)).toEqual([{ value: 'a-Q4_K_M.gguf', label: expect.stringMatching(/^Q4_K_M · 1\.\d GB — a-Q4_K_M\.gguf$/) as unknown as string }]);
    expect(chosenModelFile('', files)).toBe('a-Q4_K_M.gguf');
    expect(chosenModelFile('gone.gguf', files)).toBe('a-Q4_K_M.gguf');
    const two = [...files, { path: 'a-Q8_0.gguf', size_bytes: 3, loadable_gguf: true, quantization: 'Q8_0' }];
    expect(chosenModelFile('', two)).toBe('');
    expect(chosenModelFile('a-Q8_0.gguf', two)).toBe('a-Q8_0.gguf');
  });
});
