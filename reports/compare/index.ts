/** Comparing runs: the public API of reports/compare (named exports only). */
export { type CompareOptions, compareResults, keyOf } from './compare.ts';
export { comparisonToHtml } from './html.ts';
export { type LoadedResult, loadResults, resultFiles } from './inputs.ts';
export { CHECKER_DIRECTIONS, UNJUDGED_PHASES } from './metrics.ts';
export { judgeMetric, noiseModel, RULE, spreadOf } from './regression.ts';
export { compareSuites } from './suites.ts';
export type * from './types.ts';
