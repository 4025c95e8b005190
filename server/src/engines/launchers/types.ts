// The pure contract of an engine kind: how to find it, how to turn a profile into its command line
// for the installed version, and how to know that *the model answers*. No I/O here; discovery and
// probing live in discover.ts and ../readiness.ts.
import type { EngineKind, ProfileFields } from '@mlx-manager/contract';

/** What the launcher needs of a profile: its fields plus its id (for log/record names). */
export type LaunchProfile = ProfileFields & { id: string };

/** What discovery learnt about the installed engine. */
export interface EngineCaps {
  /** Absolute path of the executable (for the built-in engine: node). */
  executable: string;
  /** Arguments that always come first (the built-in engine's script, a subcommand…). */
  prefixArgs: readonly string[];
  version: string | null;
  /** Flags listed by the installed version's `--help`; null when the help could not be read. */
  flags: ReadonlySet<string> | null;
}

export interface LaunchSpec {
  command: string;
  args: string[];
  /** Added to the manager's environment (profile env wins). */
  env: Record<string, string>;
  /** Profile fields this engine/version cannot honour: shown to the user, never dropped silently. */
  warnings: string[];
}

/**
 * One HTTP check of readiness. All probes of an engine must pass, in order. Refused connections,
 * non-matching statuses (llama-server's 503 while loading) and non-matching bodies mean "not yet".
 */
export interface ReadinessProbe {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Top-level JSON fields the answer must carry with these exact values (e.g. vllm-mlx `model_loaded: true`). */
  expectJson?: Record<string, unknown>;
}

export interface Launcher {
  kind: EngineKind;
  /** Executable names searched in the configured path, the project venv and PATH, in order. */
  executableNames: readonly string[];
  /** Arguments before the profile's (subcommand), also used for the help probe. */
  subcommand: readonly string[];
  /** Python distribution whose version is the engine's (console scripts in a venv), else null. */
  pythonPackage: string | null;
  /** Arguments that print the version (non-Python engines), else null. */
  versionArgs: readonly string[] | null;
  buildArgv(profile: LaunchProfile, caps: EngineCaps): LaunchSpec;
  readiness(profile: LaunchProfile): ReadinessProbe[];
  /**
   * The `model` string this engine expects in requests (and reports in /v1/models). `caps` tells
   * whether the installed version got a renaming flag; null when unknown (adopted engine).
   */
  upstreamModel(profile: LaunchProfile, caps: Pick<EngineCaps, 'flags'> | null): string;
}

/** The profile's served name when `flag` carried it to the engine, else the model string. */
export function nameServedWith(profile: LaunchProfile, caps: Pick<EngineCaps, 'flags'> | null, flag: string): string {
  // The argv builder passes a flag when the version lists it, or when its flags are unknown.
  const accepted = caps === null || caps.flags === null || caps.flags.has(flag);
  return profile.served_model_name && accepted ? profile.served_model_name : profile.model;
}
