import { z } from 'zod';
import type { LocalModel, Profile, Provider, Server } from '@mlx-manager/contract';

/** `GET /v1/models` as the web app reads it (ids only). */
export const V1ModelList = z.object({ data: z.array(z.object({ id: z.string() })) });

/**
 * Pure: model names to suggest in the route and explain boxes — running engines first, then
 * every routable name, local models, and provider models — without repeats.
 */
export function suggestedNames(input: { servers: readonly Server[]; routable: readonly string[]; local: readonly LocalModel[]; providers: readonly Provider[] }): string[] {
  const running = input.servers.filter((s) => s.state === 'ready' || s.state === 'starting').map((s) => s.profile_name);
  const names = [...running, ...input.routable, ...input.local.map((m) => m.id), ...input.providers.flatMap((p) => p.models)];
  return [...new Set(names.filter(Boolean))];
}

export interface TargetOption {
  key: string;
  label: string;
  group: 'Local profiles' | 'Provider models';
}

/** Pure: what a route target may be — each profile, each provider as-is, each provider model. */
export function targetOptions(profiles: readonly Profile[], providers: readonly Provider[]): TargetOption[] {
  return [
    ...profiles.map((p): TargetOption => ({ key: `profile:${p.id}`, label: `${p.name} (${p.engine})`, group: 'Local profiles' })),
    ...providers.flatMap((p): TargetOption[] => [
      { key: `provider:${p.id}:`, label: `${p.name} — the requested name`, group: 'Provider models' },
      ...p.models.map((m): TargetOption => ({ key: `provider:${p.id}:${m}`, label: `${p.name} — ${m}`, group: 'Provider models' })),
    ]),
  ];
}
