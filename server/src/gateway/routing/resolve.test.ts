import { describe, expect, it } from 'vitest';
import { listRoutableNames } from './names.js';
import { resolve, type RoutingInput, type RoutingRule } from './resolve.js';

const profiles = [
  { id: 'p-qwen', name: 'qwen-local', repoId: 'mlx-community/Qwen3-4B-4bit' },
  { id: 'p-qwen-b', name: 'another-qwen', repoId: 'mlx-community/Qwen3-4B-4bit' },
  { id: 'p-gguf', name: 'tiny', repoId: null },
];
const providers = [
  { id: 'openai', name: 'OpenAI', models: ['gpt-4o', 'gpt-4o-mini', 'o3'] },
  { id: 'anth', name: 'Anthropic', models: ['claude-sonnet-4-5'] },
];

let n = 0;
function rule(match: RoutingRule['match'], pattern: string, targets: RoutingRule['targets'], priority = 0, enabled = true): RoutingRule {
  return { id: `r${++n}-${pattern}`, match, pattern, priority, targets, enabled };
}

const rules: RoutingRule[] = [
  rule('prefix', 'gpt-*', [{ provider_id: 'openai' }]),
  rule('prefix', 'gpt-4o-*', [{ provider_id: 'openai', model: 'gpt-4o-mini' }, { profile_id: 'p-qwen' }]),
  rule('exact', 'fast', [{ profile_id: 'p-gguf' }, { provider_id: 'openai', model: 'gpt-4o-mini' }]),
  rule('regex', 'claude-.*', [{ provider_id: 'anth' }]),
  rule('regex', 'claude-sonnet-.*', [{ provider_id: 'openai', model: 'gpt-4o' }], 5),
  rule('exact', 'qwen-local', [{ provider_id: 'openai', model: 'o3' }], -1), // loses to the profile name
  rule('exact', 'tiny', [{ provider_id: 'openai', model: 'o3' }]), // explicit exact beats the implicit tie
  rule('prefix', 'off-', [{ provider_id: 'openai' }], 100, false),
  rule('exact', 'ghost', [{ profile_id: 'deleted' }, { provider_id: 'gone' }, { provider_id: 'anth', model: 'claude-haiku' }]),
  rule('prefix', '*', [{ provider_id: 'openai', model: 'fallback-model' }], -10),
];
const input: RoutingInput = { rules, profiles, providers };

type Row = [model: string, expected: { via: string; id?: string; targets: string[]; missing?: string[] } | null];
const table: Row[] = [
  ['gpt-4o', { via: 'rule', id: 'gpt-*', targets: ['provider:openai/gpt-4o'] }],
  ['gpt-4o-2024', { via: 'rule', id: 'gpt-4o-*', targets: ['provider:openai/gpt-4o-mini', 'profile:p-qwen'] }],
  ['fast', { via: 'rule', id: 'fast', targets: ['profile:p-gguf', 'provider:openai/gpt-4o-mini'] }],
  ['claude-opus-4', { via: 'rule', id: 'claude-.*', targets: ['provider:anth/claude-opus-4'] }],
  ['claude-sonnet-4-5', { via: 'rule', id: 'claude-sonnet-.*', targets: ['provider:openai/gpt-4o'] }], // priority 5
  ['qwen-local', { via: 'profile_name', targets: ['profile:p-qwen'] }],
  ['tiny', { via: 'rule', id: 'tiny', targets: ['provider:openai/o3'] }],
  ['mlx-community/Qwen3-4B-4bit', { via: 'repo_id', targets: ['profile:p-qwen-b', 'profile:p-qwen'] }], // by profile name
  ['off-1', { via: 'rule', id: '*', targets: ['provider:openai/fallback-model'] }], // disabled rule skipped
  ['ghost', { via: 'rule', id: 'ghost', targets: ['provider:anth/claude-haiku'], missing: ['profile deleted', 'provider gone'] }],
  ['anything-else', { via: 'rule', id: '*', targets: ['provider:openai/fallback-model'] }], // model rewrite
];

function summary(model: string, inp: RoutingInput) {
  const r = resolve(model, inp);
  if (!r) return null;
  const targets = r.targets.map((t) => (t.kind === 'profile' ? `profile:${t.profileId}` : `provider:${t.providerId}/${t.model}`));
  const base = r.via === 'rule' ? { via: 'rule', id: r.rule.pattern, targets } : { via: r.by, targets };
  return r.missing.length > 0 ? { ...base, missing: r.missing } : base;
}

describe('resolve', () => {
  it.each(table)('%s', (model, expected) => {
    expect(summary(model, input)).toEqual(expected);
  });

  it('answers null when nothing matches', () => {
    expect(resolve('nope', { rules: [], profiles })).toBeNull();
    expect(resolve('nope', { rules: rules.slice(0, 3), profiles })).toBeNull();
  });

  it('routes profile names and served repo ids without any rule', () => {
    expect(summary('tiny', { rules: [], profiles })).toEqual({ via: 'profile_name', targets: ['profile:p-gguf'] });
    expect(summary('mlx-community/Qwen3-4B-4bit', { rules: [], profiles })?.via).toBe('repo_id');
  });

  it('limits implicit repo ids to local repos when the caller says which are local', () => {
    expect(resolve('mlx-community/Qwen3-4B-4bit', { rules: [], profiles, localRepoIds: [] })).toBeNull();
    expect(resolve('mlx-community/Qwen3-4B-4bit', { rules: [], profiles, localRepoIds: new Set(['mlx-community/Qwen3-4B-4bit']) })?.via).toBe('implicit');
    // profile names do not depend on what is downloaded
    expect(resolve('tiny', { rules: [], profiles, localRepoIds: [] })?.via).toBe('implicit');
  });

  it('a higher-priority glob outranks a profile name; equal priority keeps the implicit route', () => {
    const catchAll = rule('prefix', '*', [{ provider_id: 'openai' }], 1);
    expect(summary('tiny', { rules: [catchAll], profiles })).toEqual({ via: 'rule', id: '*', targets: ['provider:openai/tiny'] });
    const sameLevel = rule('prefix', '*', [{ provider_id: 'openai' }], 0);
    expect(summary('tiny', { rules: [sameLevel], profiles })?.via).toBe('profile_name');
  });

  it('breaks equal priority and specificity by input order', () => {
    const a = rule('regex', 'm.*', [{ provider_id: 'openai', model: 'first' }]);
    const b = rule('regex', 'm.+', [{ provider_id: 'openai', model: 'second' }]);
    expect(summary('model', { rules: [a, b], profiles: [] })?.targets).toEqual(['provider:openai/first']);
    expect(summary('model', { rules: [b, a], profiles: [] })?.targets).toEqual(['provider:openai/second']);
  });

  it('keeps provider targets when the caller does not pass providers (it cannot tell them missing)', () => {
    expect(summary('ghost', { rules, profiles })?.targets).toEqual(['provider:gone/ghost', 'provider:anth/claude-haiku']);
  });
});

describe('listRoutableNames', () => {
  it('lists profile names, served repos, exact rules and routed provider models, once each, sorted', () => {
    const names = listRoutableNames(input).map((n) => `${n.source}:${n.name}`);
    expect(names).toEqual([
      'profile:another-qwen',
      'provider:claude-sonnet-4-5',
      'rule:fast',
      'rule:ghost',
      'provider:gpt-4o',
      'provider:gpt-4o-mini',
      'repo:mlx-community/Qwen3-4B-4bit',
      'provider:o3',
      'profile:qwen-local',
      'profile:tiny',
    ]);
  });

  it('leaves out provider models no rule routes and rules whose targets are all gone', () => {
    const onlyGhost = [rule('exact', 'ghost', [{ profile_id: 'deleted' }])];
    expect(listRoutableNames({ rules: onlyGhost, profiles: [], providers })).toEqual([]);
  });
});
