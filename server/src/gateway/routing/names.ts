import { resolve, type RoutingInput } from './resolve.js';

export interface RoutableName {
  name: string;
  /** Where the name comes from; a name found in several places keeps the first of this order. */
  source: 'profile' | 'repo' | 'rule' | 'provider';
}

/**
 * Every model name a client can ask for (GET /v1/models): profile names, repo ids a profile
 * serves, exact rule names and providers' declared models. A candidate is listed only if it
 * actually resolves, so a provider model no rule routes to is not advertised. Sorted by name.
 */
export function listRoutableNames(input: RoutingInput): RoutableName[] {
  const candidates: RoutableName[] = [
    ...input.profiles.map((p) => ({ name: p.name, source: 'profile' as const })),
    ...input.profiles.flatMap((p) => (p.repoId ? [{ name: p.repoId, source: 'repo' as const }] : [])),
    ...input.rules.filter((r) => r.enabled && r.match === 'exact').map((r) => ({ name: r.pattern, source: 'rule' as const })),
    ...(input.providers ?? []).flatMap((p) => p.models.map((name) => ({ name, source: 'provider' as const }))),
  ];
  const seen = new Map<string, RoutableName>();
  for (const c of candidates) {
    if (seen.has(c.name)) continue;
    const found = resolve(c.name, input);
    if (found && found.targets.length > 0) seen.set(c.name, c);
  }
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
