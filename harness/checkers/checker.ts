/**
 * Checkers judge a finished run from its record (samples, events, metrics) and say valid true /
 * false / 'unknown' with their evidence; they never touch the system. One checker per file.
 */
import type { MetricsSnapshot } from '../metrics/snapshot.ts';
import type { RunEvent } from '../samples/event-log.ts';
import type { Sample } from '../samples/sample.ts';

export interface PhaseWindow {
  name: string;
  /** Run-clock ms. */
  startMs: number;
  endMs: number;
}

export interface RunRecord {
  experiment: string;
  phases: readonly PhaseWindow[];
  samples: readonly Sample[];
  events: readonly RunEvent[];
  metrics: MetricsSnapshot;
}

export interface CheckResult {
  checker: string;
  /** true: the property held; false: it was violated; 'unknown': the run cannot tell (say why). */
  valid: boolean | 'unknown';
  /** The headline number (ms, count or ratio), when there is one. */
  value?: number;
  unit?: 'ms' | 'count' | 'ratio';
  /** One line for people. */
  summary: string;
  /** What a report shows: per-phase numbers, timelines, offending samples (bounded in size). */
  evidence: Record<string, unknown>;
}

export interface Checker {
  readonly name: string;
  check(run: RunRecord): CheckResult;
}
