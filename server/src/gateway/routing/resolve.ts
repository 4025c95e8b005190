import { compilePattern, type MatchKind, type Matcher } from './patterns.js';

/*
 * Model name → ordered targets. Pure: the caller passes the rules, profiles and providers it
 * read; nothing here does I/O. How names are matched is described in docs/gateway-config.md, "Routing".
 */

export type RuleTarget = { profile_id: string } | { provider_id: string; model?: string | undefined };

export interface RoutingRule {
  id: string;
  match: MatchKind;
  pattern: string;
  priority: number;
  targets: readonly RuleTarget[];
  enabled: boolean;
}

export interface RoutingProfile {
  id: string;
  name: string;
  /** The Hugging Face repo the profile serves (its model, or the repo of a cache path); null for other paths. */
  repoId: string | null;
}

export interface RoutingProvider {
  id: string;
  name: string;
  /** Models the admin declared or imported (listed by GET /v1/models). */
  models: readonly string[];
}

export interface RoutingInput {
  /** Every rule, in a stable order (creation order breaks the last ties). */
  rules: readonly RoutingRule[];
  profiles: readonly RoutingProfile[];
  /**
   * Repos downloaded on this machine. When given, a repo id routes implicitly only if it is one
   * of them; when omitted, any repo id a profile serves does.
   */
  localRepoIds?: ReadonlySet<string> | readonly string[];
  /** When given, rule targets naming an unknown provider are skipped (and listed as missing). */
  providers?: readonly RoutingProvider[];
}

export type ResolvedTarget =
  | { kind: 'profile'; profileId: string; upstreamModel?: string }
  | { kind: 'provider'; providerId: string; model: string };

export type Resolution =
  | { via: 'rule'; rule: RoutingRule; targets: ResolvedTarget[]; missing: string[] }
  | { via: 'implicit'; by: 'profile_name' | 'repo_id'; profileId: string; targets: ResolvedTarget[]; missing: string[] };

/** Implicit routes rank like exact rules of this priority (an explicit exact rule wins a tie). */
const IMPLICIT_PRIORITY = 0;

interface CompiledRule {
  rule: RoutingRule;
  matcher: Matcher;
  order: number;
}

// Compiled once per rules array: callers keep the array they pass while the rules do not change.
const compiledCache = new WeakMap<readonly RoutingRule[], CompiledRule[]>();

/** Enabled rules with their matchers, tried first by priority, then specificity, then input order. */
export function compileRules(rules: readonly RoutingRule[]): CompiledRule[] {
  const cached = compiledCache.get(rules);
  if (cached) return cached;
  const compiled = rules
    .map((rule, order) => ({ rule, order }))
    .filter(({ rule }) => rule.enabled)
    .map(({ rule, order }) => ({ rule, order, matcher: compilePattern(rule.match, rule.pattern) }))
    .sort((a, b) => b.rule.priority - a.rule.priority || b.matcher.specificity - a.matcher.specificity || a.order - b.order);
  compiledCache.set(rules, compiled);
  return compiled;
}

function isExactRank(c: CompiledRule): boolean {
  return c.rule.match === 'exact';
}

function implicitMatch(model: string, input: RoutingInput): Extract<Resolution, { via: 'implicit' }> | null {
  const byName = input.profiles.find((p) => p.name === model);
  if (byName) return { via: 'implicit', by: 'profile_name', profileId: byName.id, targets: [{ kind: 'profile', profileId: byName.id }], missing: [] };
  const local = input.localRepoIds === undefined ? null : new Set(input.localRepoIds);
  if (local && !local.has(model)) return null;
  // Every profile serving this repo, by name: the first is primary, the others fallbacks.
  const serving = input.profiles.filter((p) => p.repoId === model).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const first = serving[0];
  if (!first) return null;
  return { via: 'implicit', by: 'repo_id', profileId: first.id, targets: serving.map((p) => ({ kind: 'profile', profileId: p.id })), missing: [] };
}

function ruleTargets(model: string, rule: RoutingRule, input: RoutingInput): { targets: ResolvedTarget[]; missing: string[] } {
  const profileIds = new Set(input.profiles.map((p) => p.id));
  const providerIds = input.providers ? new Set(input.providers.map((p) => p.id)) : null;
  const targets: ResolvedTarget[] = [];
  const missing: string[] = [];
  for (const t of rule.targets) {
    if ('profile_id' in t) {
      if (profileIds.has(t.profile_id)) targets.push({ kind: 'profile', profileId: t.profile_id });
      else missing.push(`profile ${t.profile_id}`);
    } else if (providerIds && !providerIds.has(t.provider_id)) {
      missing.push(`provider ${t.provider_id}`);
    } else {
      targets.push({ kind: 'provider', providerId: t.provider_id, model: t.model ?? model });
    }
  }
  return { targets, missing };
}

/**
 * The rule (or implicit profile match) for a model name and its ordered targets, or null when
 * nothing matches. Rules go by priority (higher first), then specificity (exact, then globs with
 * the longest literal part, then regexes), then input order. A profile name or a repo id a
 * profile serves acts as an exact rule of priority 0 that loses ties to an explicit exact rule.
 */
export function resolve(model: string, input: RoutingInput): Resolution | null {
  const compiled = compileRules(input.rules);
  let implicitChecked = false;
  for (const c of compiled) {
    // The implicit match slots in before the first rule it outranks.
    if (!implicitChecked && (c.rule.priority < IMPLICIT_PRIORITY || (c.rule.priority === IMPLICIT_PRIORITY && !isExactRank(c)))) {
      implicitChecked = true;
      const implicit = implicitMatch(model, input);
      if (implicit) return implicit;
    }
    if (c.matcher.test(model)) return { via: 'rule', rule: c.rule, ...ruleTargets(model, c.rule, input) };
  }
  return implicitChecked ? null : implicitMatch(model, input);
}
