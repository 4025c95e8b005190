/**
 * Pure: the model picker's groups. `/v1/models` lists every routable name; a name that is a
 * profile (or the repo a profile serves) is local — running now, or started on demand when a
 * message is sent — and any other name goes to a provider (cloud or another server).
 */
import type { Profile, Server, ServerState } from '@mlx-manager/contract';

export type ModelGroupKind = 'running' | 'on-demand' | 'remote';

export interface ModelChoice {
  name: string;
  kind: ModelGroupKind;
  profileId: string | null;
  /** The engine's state for a local model. */
  state: ServerState | null;
  engine: string | null;
  multimodal: boolean;
  systemPrompt: string;
}

export interface ModelGroup {
  kind: ModelGroupKind;
  label: string;
  models: ModelChoice[];
}

const LABELS: Record<ModelGroupKind, string> = {
  running: 'Running',
  'on-demand': 'Starts on demand',
  remote: 'Providers and routes',
};

/** Pure: the profile a routable name refers to (its name, or the repo id it serves). */
export function profileForName(name: string, profiles: readonly Profile[]): Profile | undefined {
  return profiles.find((p) => p.name === name) ?? profiles.find((p) => p.model === name);
}

export function modelChoice(name: string, profiles: readonly Profile[], servers: readonly Server[]): ModelChoice {
  const profile = profileForName(name, profiles);
  if (!profile) return { name, kind: 'remote', profileId: null, state: null, engine: null, multimodal: true, systemPrompt: '' };
  const state = servers.find((s) => s.profile_id === profile.id)?.state ?? 'stopped';
  return {
    name,
    kind: state === 'ready' ? 'running' : 'on-demand',
    profileId: profile.id,
    state,
    engine: profile.engine,
    multimodal: profile.model_type === 'multimodal',
    systemPrompt: profile.system_prompt ?? '',
  };
}

/** Pure: routable names grouped running → on demand → remote, each sorted by name. */
export function groupModels(names: readonly string[], profiles: readonly Profile[], servers: readonly Server[]): ModelGroup[] {
  const choices = names.map((n) => modelChoice(n, profiles, servers));
  return (['running', 'on-demand', 'remote'] as const)
    .map((kind) => ({ kind, label: LABELS[kind], models: choices.filter((c) => c.kind === kind).sort((a, b) => a.name.localeCompare(b.name)) }))
    .filter((g) => g.models.length > 0);
}
