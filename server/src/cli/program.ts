import { Command } from 'commander';
import { appVersion } from '../config/version.js';
import type { CliIo } from './io.js';
import { registerKeys } from './keys.js';
import { registerLogin } from './login.js';
import { registerModels } from './models.js';
import { registerProfiles } from './profiles.js';
import { registerProviders } from './providers.js';
import { registerRoutes } from './routes.js';
import { registerService } from './service.js';
import { registerStatus } from './status.js';
import { registerServe } from './serve.js';
import { registerUser } from './user.js';

/** The `mlx-manager` program. One `register…` line per command file; other areas add theirs. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('mlx-manager')
    .description('Discover, download, configure and run local LLMs behind one OpenAI/Anthropic-compatible gateway')
    .version(appVersion(), '-V, --version', 'print the version')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s.replace(/\n$/, '')), writeErr: (s) => io.stderr(s.replace(/\n$/, '')) });
  registerServe(program, io);
  registerUser(program, io);
  registerLogin(program, io);
  registerModels(program, io);
  registerStatus(program, io);
  registerProfiles(program, io);
  registerService(program, io);
  registerProviders(program, io);
  registerRoutes(program, io);
  registerKeys(program, io);
  return program;
}
