// How to start the built-in engine from wherever this code runs: the compiled
// `dist/engines/builtin/main.js` in a build, or `main.ts` through tsx when running from source
// (tests, `tsx` dev runs). Launchers append the engine flags to `args`.
import { fileURLToPath } from 'node:url';

export interface EngineCommand {
  command: string;
  args: string[];
}

export function builtinEngineCommand(moduleUrl: string = import.meta.url, nodePath: string = process.execPath): EngineCommand {
  const fromSource = moduleUrl.endsWith('.ts');
  const main = fileURLToPath(new URL(fromSource ? './main.ts' : './main.js', moduleUrl));
  return { command: nodePath, args: fromSource ? ['--import', 'tsx', main] : [main] };
}
