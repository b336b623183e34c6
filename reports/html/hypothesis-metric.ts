/**
 * What a report knows of a hypothesis's metric: its unit and the checker that measures it, as
 * result.json stores them (an experiment's own checker's metric included), else as the built-in
 * metric table has them (results written before they were stored).
 */
import { isKnownMetric, metrics } from '../../harness/checkers/metric-values.ts';
import type { HypothesisResult } from '../../harness/journal/index.ts';
import type { MetricUnit } from './format.ts';

type Named = Pick<HypothesisResult, 'metric' | 'unit' | 'checker'>;

const builtIn = (metric: string) => (isKnownMetric(metric) ? metrics[metric] : undefined);

export function metricUnit(h: Named): MetricUnit | undefined {
  return h.unit ?? builtIn(h.metric)?.unit;
}

/** The checker whose measurement the hypothesis judges; undefined for the per-phase load numbers. */
export function measuringChecker(h: Named): string | undefined {
  return h.checker ?? builtIn(h.metric)?.checker;
}
