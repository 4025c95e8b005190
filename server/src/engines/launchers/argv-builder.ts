// Collects an engine's argv while checking each flag against what the installed version accepts.
// A profile field whose flag the version lacks becomes a warning instead of a rejected command line
// (Click and argparse exit 2 on unknown options) or a silently ignored setting.
import { ENGINE_CAPABILITIES, ENGINE_SETTINGS, modelProblem, settingIsSet, type EngineKind, type EngineSetting } from '@mlx-manager/contract';
import type { EngineCaps, LaunchProfile, LaunchSpec } from './types.js';

/**
 * The last guard before a model string reaches a command line: every write already refused an
 * unsafe one, but a row from before that rule, or a caller that skipped the service, must still
 * not put shell or flag syntax into an engine's argv (least of all a custom command template).
 */
export function safeModel(model: string): string {
  const problem = modelProblem(model);
  if (problem) throw new Error(`refusing to build a command line: model ${problem}`);
  return model;
}

export class ArgvBuilder {
  private readonly args: string[] = [];
  private readonly warnings: string[] = [];

  constructor(
    private readonly engineLabel: string,
    private readonly caps: EngineCaps,
  ) {
    this.args.push(...caps.prefixArgs);
    if (caps.flags === null) this.warnings.push(`could not read the flags of ${engineLabel}; passing every configured flag`);
  }

  private accepts(flag: string): boolean {
    return this.caps.flags === null || this.caps.flags.has(flag);
  }

  private versionLabel(): string {
    return this.caps.version ? `${this.engineLabel} ${this.caps.version}` : this.engineLabel;
  }

  /** Always-needed arguments (model, host, port): passed even if the help did not list them. */
  required(...args: string[]): this {
    this.args.push(...args);
    return this;
  }

  /** `--flag value` when value is set; warns (naming the field) when the version lacks the flag. */
  option(field: string, flag: string, value: string | number | null | undefined): this {
    if (value === null || value === undefined || value === '') return this;
    if (this.accepts(flag)) this.args.push(flag, String(value));
    else this.unsupported(field, flag);
    return this;
  }

  /** A boolean switch, passed when `on`. */
  toggle(field: string, flag: string, on: boolean): this {
    if (!on) return this;
    if (this.accepts(flag)) this.args.push(flag);
    else this.unsupported(field, flag);
    return this;
  }

  /** A switch the manager wants when available, silently skipped otherwise (no profile field behind it). */
  optionalToggle(flag: string): this {
    if (this.caps.flags?.has(flag)) this.args.push(flag);
    return this;
  }

  /** A profile field this engine has no flag for at all. */
  unsupportedWhen(field: string, set: boolean, why: string): this {
    if (set) this.warnings.push(`${field} is not supported by ${this.engineLabel}: ${why}`);
    return this;
  }

  /**
   * Warns for every set profile setting this engine cannot honour, per the shared capability
   * table (contract/engine-capabilities.ts), with the engine-specific reason when there is one.
   */
  unsupportedSettings(kind: EngineKind, p: LaunchProfile, reasons: Partial<Record<EngineSetting | 'model_type', string>> = {}): this {
    const caps = ENGINE_CAPABILITIES[kind];
    for (const field of ENGINE_SETTINGS) {
      if (!caps.settings.has(field)) this.unsupportedWhen(field, settingIsSet(p[field]), reasons[field] ?? 'it has no flag for it');
    }
    return this.unsupportedWhen('model_type', !caps.modelTypes.has(p.model_type), reasons.model_type ?? `it does not serve ${p.model_type} models`);
  }

  private unsupported(field: string, flag: string): void {
    this.warnings.push(`${field} is not supported by ${this.versionLabel()} (no ${flag} flag); not passed`);
  }

  build(profile: LaunchProfile, env: Record<string, string> = {}): LaunchSpec {
    safeModel(profile.model);
    return {
      command: this.caps.executable,
      args: [...this.args, ...profile.extra_args],
      env: { ...env, ...profile.env },
      warnings: [...this.warnings],
    };
  }
}

/** Flags mentioned in a `--help` text (argparse, Click, llama.cpp styles). Pure. */
export function parseHelpFlags(help: string): Set<string> {
  const flags = new Set<string>();
  for (const match of help.matchAll(/(?<![\w-])(--?[A-Za-z][\w-]*)/g)) flags.add(match[1] as string);
  return flags;
}
