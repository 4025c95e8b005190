// A custom command: the profile's `command` argv with `{model}`, `{host}` and `{port}` filled in
// (each placeholder replaced inside one argument, never split or shell-expanded). Readiness is
// a 200 on the profile's health path.
import { ENGINE_CAPABILITIES, ENGINE_SETTINGS, settingIsSet } from '@mlx-manager/contract';
import { safeModel } from './argv-builder.js';
import type { Launcher } from './types.js';

/** Fills the placeholders of one argument. Pure. */
export function fillPlaceholders(arg: string, values: { model: string; host: string; port: number }): string {
  return arg.replaceAll('{model}', values.model).replaceAll('{host}', values.host).replaceAll('{port}', String(values.port));
}

export const customLauncher: Launcher = {
  kind: 'custom',
  executableNames: [],
  subcommand: [],
  pythonPackage: null,
  versionArgs: null,
  buildArgv(p, caps) {
    const values = { model: safeModel(p.model), host: p.host, port: p.port };
    const args = [...caps.prefixArgs, ...p.command.slice(1), ...p.extra_args].map((a) => fillPlaceholders(a, values));
    const warnings: string[] = [];
    if (!p.command.some((a) => a.includes('{port}'))) warnings.push('command has no {port} placeholder: the engine must listen on the profile port by itself');
    for (const field of ENGINE_SETTINGS) {
      if (!ENGINE_CAPABILITIES.custom.settings.has(field) && settingIsSet(p[field])) warnings.push(`${field} is not passed to a custom command: put it in the command`);
    }
    return { command: caps.executable, args, env: { ...p.env }, warnings };
  },
  readiness: (p) => [{ method: 'GET', path: p.health_path }],
  // Whatever the command serves is unknown to us: the model string the command line was given.
  upstreamModel: (p) => p.model,
};
