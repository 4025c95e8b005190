export { resolve, compileRules } from './resolve.js';
export type { Resolution, ResolvedTarget, RoutingInput, RoutingProfile, RoutingProvider, RoutingRule, RuleTarget } from './resolve.js';
export { listRoutableNames, type RoutableName } from './names.js';
export { compilePattern, patternProblem, PatternError, REGEX_SUBJECT_MAX, type MatchKind, type Matcher } from './patterns.js';
