#!/usr/bin/env node
// Entry point of the `mlx-manager` command: runs the program, turns CliError into one line + exit code.
import { CliError, processIo } from './io.js';
import { buildProgram } from './program.js';

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
