import { describe, expect, it } from 'vitest';
import { builtinEngineVersion } from './discover.js';

describe('built-in engine version [issue 9]', () => {
  it("names the inference library's version, never Node's", async () => {
    const version = await builtinEngineVersion();
    expect(version).toMatch(/^built-in \(node-llama-cpp \d+\.\d+\.\d+.*\)$/);
    expect(version).not.toContain(process.version);
  });
});
