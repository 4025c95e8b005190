import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinEngineCommand } from './entry.js';

describe('builtinEngineCommand', () => {
  it('runs main.ts through tsx from source', () => {
    expect(builtinEngineCommand('file:///app/server/src/engines/builtin/entry.ts', '/usr/bin/node')).toEqual({
      command: '/usr/bin/node',
      args: ['--import', 'tsx', '/app/server/src/engines/builtin/main.ts'],
    });
  });

  it('runs the compiled main.js from a build', () => {
    expect(builtinEngineCommand('file:///app/server/dist/engines/builtin/entry.js', '/usr/bin/node')).toEqual({
      command: '/usr/bin/node',
      args: ['/app/server/dist/engines/builtin/main.js'],
    });
  });

  it('points at the real entry of this checkout', () => {
    const { args } = builtinEngineCommand();
    expect(existsSync(args.at(-1)!)).toBe(true);
  });
});
