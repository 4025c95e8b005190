import { describe, expect, it } from 'vitest';
import { compilePattern, patternProblem, REGEX_SUBJECT_MAX } from './patterns.js';

describe('glob (prefix) patterns', () => {
  const cases: [pattern: string, model: string, matches: boolean][] = [
    ['gpt-', 'gpt-4o', true], // plain prefix
    ['gpt-', 'xgpt-4o', false],
    ['gpt-*', 'gpt-4o-mini', true],
    ['gpt-*', 'gpt', false],
    ['*-instruct', 'llama-3-instruct', true],
    ['*-instruct', 'llama-3-instruct-v2', false],
    ['openrouter/*', 'openrouter/meta/llama', true], // * crosses slashes
    ['a*b*c', 'abc', true],
    ['a*b*c', 'a-b-b-c', true],
    ['a*b*c', 'acb', false],
    ['ab*ba', 'aba', false], // the two literal ends may not overlap
    ['*', 'anything', true],
    ['qwen.*', 'qwen.x', true], // regex metacharacters are literal in a glob
    ['qwen.*', 'qwenXx', false],
  ];
  it.each(cases)('%s ~ %s → %s', (pattern, model, matches) => {
    expect(compilePattern('prefix', pattern).test(model)).toBe(matches);
  });
});

describe('regex patterns', () => {
  it('match the whole name, unicode-aware', () => {
    const m = compilePattern('regex', 'claude-(opus|sonnet)-4.*');
    expect(m.test('claude-opus-4-1')).toBe(true);
    expect(m.test('xclaude-opus-4')).toBe(false);
    expect(compilePattern('regex', 'a|b').test('ab')).toBe(false); // anchoring wraps the alternation
  });

  it('never try names longer than the cap', () => {
    expect(compilePattern('regex', 'a.*').test('a'.repeat(REGEX_SUBJECT_MAX))).toBe(true);
    expect(compilePattern('regex', 'a.*').test('a'.repeat(REGEX_SUBJECT_MAX + 1))).toBe(false);
  });

  const refused: [pattern: string, reason: RegExp][] = [
    ['(a+)+$', /nested quantifiers/],
    ['(a*)*', /nested quantifiers/],
    ['(a|aa)+', /quantified alternation/],
    ['((ab)+c)*', /nested quantifiers/],
    ['(?:x+){2,}', /nested quantifiers/],
    ['(a)\\1', /back-references/],
    ['(?<n>a)\\k<n>', /back-references/],
    ['(?=a)a', /lookaround/],
    ['a.*b.*c.*d.*', /at most 3 unbounded/],
    ['([a-z', /invalid regular expression/],
    ['a{2', /invalid regular expression/], // the u flag refuses a lone brace
    ['x'.repeat(201), /longer than 200/],
  ];
  it.each(refused)('refuses %s', (pattern, reason) => {
    expect(patternProblem('regex', pattern)).toMatch(reason);
  });

  const accepted = ['gpt-4o(-mini)?', '(?:llama|qwen)-[0-9]+b', '[()+*]+x', 'a\\(b+\\)+', '(ab){2,3}', '.*-instruct', '(?<fam>qwen)[0-9]'];
  it.each(accepted)('accepts %s', (pattern) => {
    expect(patternProblem('regex', pattern)).toBeNull();
  });

  it('bounded by design: a refused catastrophic pattern never runs, an accepted worst case stays small', () => {
    const m = compilePattern('regex', '.*a.*b.*c');
    // 256 characters of near-misses: polynomial at worst (3 unbounded quantifiers over 256 chars).
    expect(m.test('a'.repeat(120) + 'b'.repeat(120))).toBe(false);
  });
});

describe('exact patterns and specificity', () => {
  it('exact compares the whole name', () => {
    expect(compilePattern('exact', 'gpt-4o').test('gpt-4o')).toBe(true);
    expect(compilePattern('exact', 'gpt-4o').test('gpt-4o-mini')).toBe(false);
  });

  it('ranks exact over any glob over any regex, longer literal first inside a kind', () => {
    const exact = compilePattern('exact', 'a').specificity;
    const longGlob = compilePattern('prefix', 'gpt-4o-*').specificity;
    const shortGlob = compilePattern('prefix', 'gpt-*').specificity;
    const regex = compilePattern('regex', 'g'.repeat(150)).specificity;
    expect(exact).toBeGreaterThan(longGlob);
    expect(longGlob).toBeGreaterThan(shortGlob);
    expect(shortGlob).toBeGreaterThan(regex);
  });

  it('refuses an empty pattern', () => {
    expect(patternProblem('exact', '')).toMatch(/empty/);
  });
});
