import { describe, expect, it } from 'vitest';
import { parseBuiltinArgs } from './args.js';

const base = ['--model', '/m/x.gguf', '--host', '127.0.0.1', '--port', '8081'];

describe('parseBuiltinArgs', () => {
  it('reads the launcher command line', () => {
    const r = parseBuiltinArgs([...base, '--ctx-size', '8192', '--threads', '3', '--parallel', '2', '--alias', 'qwen']);
    expect(r).toEqual({
      ok: true,
      options: { model: '/m/x.gguf', host: '127.0.0.1', port: 8081, ctxSize: 8192, threads: 3, parallel: 2, alias: 'qwen' },
    });
  });

  it('defaults optional flags and treats 0 as "from the model"', () => {
    const r = parseBuiltinArgs([...base, '--ctx-size', '0', '--threads', '0']);
    expect(r.ok && r.options).toMatchObject({ ctxSize: undefined, threads: undefined, parallel: 1, alias: undefined });
  });

  it('accepts --port 0 (the OS picks)', () => {
    const r = parseBuiltinArgs(['--model', 'a.gguf', '--port', '0']);
    expect(r.ok && r.options).toMatchObject({ port: 0, host: '127.0.0.1' });
  });

  it.each([
    [['--host', 'h', '--port', '1'], '--model is required'],
    [['--model', 'a.gguf'], '--port is required'],
    [[...base, '--parallel', '0'], '--parallel must be between 1 and 64'],
    [[...base, '--threads', '-2'], '--threads'],
    [['--model', 'a', '--port', '70000'], '--port must be between 0 and 65535'],
    [['--model', 'a', '--port', '12ab'], '--port must be a whole number'],
    [[...base, '--ctx-size', '1.5'], '--ctx-size must be a whole number'],
    [[...base, '--alias', ' '], '--alias must not be empty'],
    [[...base, '--api-key', 'x'], "Unknown option '--api-key'"],
    [[...base, 'extra'], 'positional'],
  ])('refuses %j', (argv, message) => {
    const r = parseBuiltinArgs(argv);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain(message);
  });
});
