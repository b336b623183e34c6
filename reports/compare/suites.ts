/**
 * Two whole suites (e.g. last night's runs/ and tonight's): runs grouped by experiment + variant,
 * each group compared with compareResults; groups on one side only are listed, not compared.
 */
import { usageError } from '../../harness/core/errors.ts';
import type { RunResult } from '../../harness/journal/index.ts';
import { type CompareOptions, compareResults, HINT, keyOf } from './compare.ts';
import type { SuiteComparison } from './types.ts';

function groupByKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** With one experiment/variant per side this is compareResults, refusals included. */
export function compareSuites(
  baseline: readonly RunResult[],
  candidate: readonly RunResult[],
  options: CompareOptions = {},
): SuiteComparison {
  const indexed = (runs: readonly RunResult[], side: 'baseline' | 'candidate') =>
    runs.map((result, i) => ({ result, source: options.sources?.[side]?.[i] }));
  const b = groupByKey(indexed(baseline, 'baseline'), (x) => keyOf(x.result));
  const c = groupByKey(indexed(candidate, 'candidate'), (x) => keyOf(x.result));
  const common = [...b.keys()].filter((k) => c.has(k));
  if (common.length === 0) refuseDisjoint(baseline, candidate, b, c);
  const comparisons = common.map((key) => {
    const bs = b.get(key) ?? [];
    const cs = c.get(key) ?? [];
    return compareResults(
      bs.map((x) => x.result),
      cs.map((x) => x.result),
      {
        ...(options.labels ? { labels: options.labels } : {}),
        ...(options.allowDifferentDurations ? { allowDifferentDurations: true } : {}),
        sources: {
          baseline: bs.map((x, i) => x.source ?? `baseline ${key} run ${i + 1}`),
          candidate: cs.map((x, i) => x.source ?? `candidate ${key} run ${i + 1}`),
        },
      },
    );
  });
  return {
    comparisons,
    onlyInBaseline: [...b.keys()].filter((k) => !c.has(k)),
    onlyInCandidate: [...c.keys()].filter((k) => !b.has(k)),
    regressed: comparisons.some((x) => x.regressed),
  };
}

/** No experiment/variant on both sides: say what differs, as compareResults would. */
function refuseDisjoint(
  baseline: readonly RunResult[],
  candidate: readonly RunResult[],
  b: Map<string, unknown[]>,
  c: Map<string, unknown[]>,
): never {
  if (b.size <= 1 && c.size <= 1) {
    compareResults(baseline, candidate); // empty side, other experiment or other variant: it throws
  }
  const names = (runs: readonly RunResult[]) => new Set(runs.map((r) => r.experiment.name));
  const candidateNames = names(candidate);
  const shared = [...names(baseline)].some((n) => candidateNames.has(n));
  throw usageError(
    shared ? 'compare.variant' : 'compare.experiment',
    `cannot compare different ${shared ? 'variants' : 'experiments'}: the baseline has ${[...b.keys()].join(', ')}; the candidate has ${[...c.keys()].join(', ')}`,
    HINT,
  );
}
