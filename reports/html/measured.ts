/**
 * A hypothesis's numbers in its metric's unit (104 ms, 97 %, 5.49 s), as the report and the console's
 * end-of-run summary both show them.
 */
import type { HypothesisResult } from '../../harness/journal/index.ts';
import { inUnit } from './format.ts';
import { metricUnit } from './hypothesis-metric.ts';

/**
 * JSON has no Infinity: a value judged true or false but stored as null was infinite — the thing
 * never happened within the run (failures never stopped, never detected).
 */
export function neverHappened(h: HypothesisResult): boolean {
  return h.value === null && h.holds !== 'unknown';
}

/** The measured value: "104 ms", "0.5 %", "never", or "n/a" when it could not be measured. */
export function measuredValue(h: HypothesisResult): string {
  return neverHappened(h) ? 'never' : inUnit(h.value, metricUnit(h));
}

/** The threshold in the same unit: "250 ms". */
export function thresholdValue(h: HypothesisResult): string {
  return inUnit(h.threshold, metricUnit(h));
}
