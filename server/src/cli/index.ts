#!/usr/bin/env node
// Entry point of the `mlx-manager` command: runs the program, turns CliError into one line + exit code.
// `serve` sets V8 up for a lean start before any other module loads (see lean-start.ts), hence
// the dynamic imports. Other commands are short-lived and keep V8's defaults.
import { leanStart } from './lean-start.js';

if (process.argv.slice(2).includes('serve')) leanStart();
const { CliError, processIo } = await import('./io.js');
const { buildProgram } = await import('./program.js');

buildProgram(processIo)
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    if (err instanceof CliError) {
      processIo.stderr(`mlx-manager: ${err.message}`);
      process.exitCode = err.exitCode;
      return;
    }
    processIo.stderr(`mlx-manager: unexpected error: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  });
