/**
 * Hypotheses as people write them: "<metric> <op> <value>[unit] [during <phase>]", e.g.
 * "p99 < 250ms during fault", "error-rate < 1% during recovery", "sessions-lost == 0".
 */
import type { MetricDefinition } from '../checkers/metric-values.ts';
import { parseDuration } from '../core/duration.ts';

export const comparisons = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Comparison = (typeof comparisons)[number];

export interface Hypothesis {
  text: string;
  metric: string;
  op: Comparison;
  /** In the metric's unit: ms for times, a ratio 0..1 for rates, a count otherwise. */
  threshold: number;
  /** Phase the metric is taken over; undefined = the metric's own scope (e.g. failover-time). */
  phase?: string;
}

const PATTERN =
  /^\s*([a-z][a-z0-9-]*)\s*(<=|>=|==|!=|<|>)\s*([0-9.]+)\s*(ms|s|m|%)?\s*(?:during\s+([a-z][a-z0-9-]*))?\s*$/;

/** Parses one hypothesis; returns a problem description instead when it cannot. */
export function parseHypothesis(text: string): Hypothesis | string {
  const m = PATTERN.exec(text);
  if (!m) return `"${text}" is not "<metric> <op> <value>[ms|s|m|%] [during <phase>]"`;
  const [, metric, op, number, unit, phase] = m as unknown as [
    string,
    string,
    Comparison,
    string,
    string?,
    string?,
  ];
  let threshold = Number(number);
  if (Number.isNaN(threshold)) return `"${text}": ${number} is not a number`;
  if (unit === '%') threshold /= 100;
  else if (unit) threshold = parseDuration(`${number}${unit}`);
  return { text, metric, op, threshold, ...(phase ? { phase } : {}) };
}

const TIME_UNITS = ['ms', 's', 'm'];

/**
 * What is wrong with how a parsed hypothesis writes its threshold for a metric measured in `unit`, or
 * undefined. A bare "p99 < 300" would silently mean ms and "error-rate < 5" a ratio of 5, so times
 * and rates must say their unit, and counts must not carry one.
 */
export function thresholdUnitProblem(text: string, unit: MetricDefinition['unit']): string | undefined {
  const [, metric, , number, written] = PATTERN.exec(text) ?? [];
  const n = Number(number);
  switch (unit) {
    case 'ms':
      if (written && TIME_UNITS.includes(written)) return undefined;
      return `"${text}": ${metric} is a time: write the unit, e.g. ${n}ms`;
    case 'ratio':
      if (written === '%') return undefined;
      return `"${text}": ${metric} is a rate: write it in %, e.g. ${n <= 1 ? +(n * 100).toPrecision(6) : n}%`;
    default:
      if (!written) return undefined;
      return `"${text}": ${metric} is a ${unit === 'count' ? 'count' : 'rate per second'}: write the number alone, e.g. ${n}`;
  }
}

export function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}
