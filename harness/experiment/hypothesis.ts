/**
 * Hypotheses as people write them: "<metric> <op> <value>[unit] [during <phase>]", e.g.
 * "p99 < 250ms during fault", "error-rate < 1% during recovery", "sessions-lost == 0".
 */
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
