/*
 * Route patterns → matchers. Pure. The rules for each match kind (and why regexes are limited)
 * are described in docs/gateway-config.md, "Routing".
 */

export type MatchKind = 'exact' | 'prefix' | 'regex';

/** Longest model name a regex rule is tried against: bounds the work of any accepted regex. */
export const REGEX_SUBJECT_MAX = 256;
/** Longest accepted pattern (the contract refuses longer ones too). */
export const PATTERN_MAX = 200;
/** Unbounded quantifiers (`*`, `+`, `{n,}`) allowed in one regex: keeps backtracking polynomial and small. */
const MAX_UNBOUNDED_QUANTIFIERS = 3;

export interface Matcher {
  test(model: string): boolean;
  /** Specificity among rules of equal priority: higher is tried first. */
  readonly specificity: number;
}

export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatternError';
  }
}

/** Why a pattern is refused, or null when it is acceptable. */
export function patternProblem(match: MatchKind, pattern: string): string | null {
  try {
    compilePattern(match, pattern);
    return null;
  } catch (err) {
    if (err instanceof PatternError) return err.message;
    throw err;
  }
}

/*
 * Specificity bands: an exact name beats any glob, a glob beats any regex; inside a band a longer
 * literal part is more specific. Bands are far apart so lengths never cross them.
 */
const EXACT_BAND = 3_000_000;
const PREFIX_BAND = 2_000_000;
const REGEX_BAND = 1_000_000;

export function compilePattern(match: MatchKind, pattern: string): Matcher {
  if (pattern.length === 0) throw new PatternError('pattern is empty');
  if (pattern.length > PATTERN_MAX) throw new PatternError(`pattern is longer than ${PATTERN_MAX} characters`);
  switch (match) {
    case 'exact':
      return { test: (model) => model === pattern, specificity: EXACT_BAND + pattern.length };
    case 'prefix':
      return compileGlob(pattern);
    case 'regex':
      return compileRegex(pattern);
  }
}

/** `*` matches any run of characters (slashes included); a pattern without `*` is a plain prefix. */
function compileGlob(pattern: string): Matcher {
  const literal = pattern.replaceAll('*', '').length;
  if (!pattern.includes('*')) return { test: (model) => model.startsWith(pattern), specificity: PREFIX_BAND + literal };
  const parts = pattern.split('*');
  // Match the pieces left to right, the first anchored at the start and the last at the end. Greedy
  // placement of each middle piece at its first occurrence is correct for `*`-only globs and linear.
  const test = (model: string): boolean => {
    const first = parts[0] ?? '';
    const last = parts[parts.length - 1] ?? '';
    if (model.length < first.length + last.length) return false;
    if (!model.startsWith(first) || !model.endsWith(last)) return false;
    let pos = first.length;
    const end = model.length - last.length;
    for (let i = 1; i < parts.length - 1; i++) {
      const piece = parts[i] ?? '';
      const at = model.indexOf(piece, pos);
      if (at < 0 || at + piece.length > end) return false;
      pos = at + piece.length;
    }
    return true;
  };
  return { test, specificity: PREFIX_BAND + literal };
}

function compileRegex(pattern: string): Matcher {
  checkRegexSafety(pattern);
  let re: RegExp;
  try {
    // Anchored: a regex rule matches the whole model name, like the other kinds.
    re = new RegExp(`^(?:${pattern})$`, 'u');
  } catch (err) {
    throw new PatternError(`invalid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  return { test: (model) => model.length <= REGEX_SUBJECT_MAX && re.test(model), specificity: REGEX_BAND + pattern.length };
}

interface GroupState {
  quantified: boolean;
  alternation: boolean;
}

/**
 * Refuses the shapes that make a backtracking engine take exponential time: a quantified group
 * that itself contains a quantifier or an alternation (`(a+)+`, `(a|aa)*`), back-references, and
 * more than a few unbounded quantifiers in a row. A conservative syntactic check, not a proof:
 * the length caps above bound whatever polynomial work remains.
 */
function checkRegexSafety(pattern: string): void {
  const stack: GroupState[] = [{ quantified: false, alternation: false }];
  let unbounded = 0;
  let i = 0;
  // The quantifier (if any) that starts at `at`: its length and whether it is unbounded.
  const quantifierAt = (at: number): { length: number; unbounded: boolean } | null => {
    const c = pattern[at];
    if (c === '*' || c === '+') return { length: 1, unbounded: true };
    if (c === '?') return { length: 1, unbounded: false };
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
      if (m) return { length: m[0].length, unbounded: m[2] !== undefined && m[3] === '' };
    }
    return null;
  };
  const afterAtom = (closedGroup: GroupState | null): void => {
    const q = quantifierAt(i);
    if (!q) return;
    if (closedGroup && (closedGroup.quantified || closedGroup.alternation)) {
      throw new PatternError('nested quantifiers or a quantified alternation (like (a+)+ or (a|b)*) are refused: they can make matching take forever');
    }
    if (q.unbounded) unbounded++;
    const top = stack[stack.length - 1];
    if (top) top.quantified = true;
    i += q.length;
    if (pattern[i] === '?') i++; // lazy modifier
  };
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') throw new PatternError('back-references are refused');
      i += 2;
      afterAtom(null);
    } else if (c === '[') {
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
      afterAtom(null);
    } else if (c === '(') {
      stack.push({ quantified: false, alternation: false });
      i++;
      if (pattern[i] === '?') {
        const look = /^\?(<?[=!])/.exec(pattern.slice(i));
        if (look) throw new PatternError('lookaround assertions are refused');
        const named = /^\?(:|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(pattern.slice(i));
        i += named ? named[0].length : 1;
      }
    } else if (c === ')') {
      const closed = stack.length > 1 ? (stack.pop() as GroupState) : { quantified: false, alternation: false };
      i++;
      const parent = stack[stack.length - 1];
      if (parent) {
        parent.quantified ||= closed.quantified;
        parent.alternation ||= closed.alternation;
      }
      afterAtom(closed);
    } else if (c === '|') {
      const top = stack[stack.length - 1];
      if (top) top.alternation = true;
      i++;
    } else {
      i++;
      afterAtom(null);
    }
    if (unbounded > MAX_UNBOUNDED_QUANTIFIERS) throw new PatternError(`at most ${MAX_UNBOUNDED_QUANTIFIERS} unbounded quantifiers (*, +, {n,}) are allowed`);
  }
}
