import { describe, expect, it } from 'vitest';
import { startFailureCause } from './start-failure.js';

describe('the cause of a failed start', () => {
  it('is null without a failure', () => {
    expect(startFailureCause(null, ['anything'])).toBeNull();
  });

  it('names a missing engine and says how to install it', () => {
    const c = startFailureCause('mlx_lm.server not found in the project venv or on PATH', null);
    expect(c?.cause).toBe('engine not installed');
    expect(c?.hint).toMatch(/setup-python\.sh|pip install mlx-lm/);
    expect(startFailureCause('llama-server not found at /opt/llama-server', null)?.hint).toMatch(/llama\.cpp/);
  });

  it('leads with the cause found in the log, not "exited with code 1"', () => {
    const crashed = 'the engine exited with code 1 while starting';
    expect(startFailureCause(crashed, ['loading…', 'model file not found: /x/y.gguf'])?.cause).toBe('model file not found');
    expect(startFailureCause(crashed, ["FileNotFoundError: [Errno 2] No such file or directory: '/m'"])?.cause).toBe('model file not found');
    expect(startFailureCause(crashed, ['OSError: [Errno 98] Address already in use'])?.cause).toBe('port in use');
    expect(startFailureCause(crashed, ["ModuleNotFoundError: No module named 'torch'"])?.cause).toBe('engine not installed correctly');
    expect(startFailureCause(crashed, ['ggml: Cannot allocate memory'])?.cause).toBe('out of memory');
    expect(startFailureCause(crashed, ['error: unrecognized arguments: --bogus'])?.cause).toBe('engine refused its arguments');
  });

  it('keeps the supervisor message when nothing tells more, and reads its own reasons', () => {
    expect(startFailureCause('the engine exited with code 3 while starting', ['hello'])).toEqual({ cause: 'the engine exited with code 3 while starting', hint: null });
    expect(startFailureCause('port 10240 on 127.0.0.1 is already in use by another program', null)?.cause).toBe('port in use');
    expect(startFailureCause('the model did not answer within 5 s (start timeout)', [])?.cause).toBe('start timed out');
  });
});
