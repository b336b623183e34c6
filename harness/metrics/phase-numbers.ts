/**
 * The load numbers of each phase (and `overall`, all phases merged) from a metrics snapshot: latency
 * percentiles in ms, request counts, error rate, and throughput/goodput over the phase window. The
 * slo checker, hypotheses and the reports all take them from here, so they never disagree.
 */
import { round3 } from '../core/round.ts';
import { errorRateOf, mergeCounters, totalOf } from './counters.ts';
import type { LatencyHistogram } from './histogram.ts';
import { mergeHistograms, summarize } from './histogram.ts';
import type { MetricsSnapshot, PhaseMetrics } from './snapshot.ts';

export interface PhaseNumbers {
  requests: number;
  ok: number;
  fail: number;
  info: number;
  dropped: number;
  errorRate: number;
  /** Requests/s completed over the phase window, and the ok ones; null without a duration. */
  throughput: number | null;
  goodput: number | null;
  durationMs: number | null;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  /** Latencies recorded at a bound of the histogram range (normally 0: see metrics/histogram.ts). */
  clamped: number;
}

/** What per-phase numbers need of a run: its phase windows (run-clock ms) and metrics. */
export interface PhaseRun {
  phases: readonly { name: string; startMs: number; endMs: number }[];
  metrics: MetricsSnapshot;
}

/** The length of the phase's window in ms, if the run has that phase. */
export function phaseDurationMs(run: Pick<PhaseRun, 'phases'>, phase: string): number | undefined {
  const w = run.phases.find((p) => p.name === phase);
  return w ? w.endMs - w.startMs : undefined;
}

function numbers(
  latency: LatencyHistogram,
  counters: PhaseMetrics<LatencyHistogram>['counters'],
  completed: number,
  completedOk: number,
  durationMs: number | null,
  clamped: number,
): PhaseNumbers {
  const l = summarize(latency);
  const perSec = (n: number) => (durationMs ? round3(n / (durationMs / 1000)) : null);
  return {
    requests: totalOf(counters),
    ok: counters.ok,
    fail: counters.fail,
    info: counters.info,
    dropped: counters.dropped,
    errorRate: errorRateOf(counters),
    throughput: perSec(completed),
    goodput: perSec(completedOk),
    durationMs,
    p50: l.p50,
    p90: l.p90,
    p99: l.p99,
    p999: l.p999,
    max: l.max,
    mean: round3(l.mean),
    clamped,
  };
}

function sum(
  list: readonly PhaseMetrics<LatencyHistogram>[],
  f: (b: PhaseMetrics<LatencyHistogram>['buckets'][number]) => number,
) {
  return list.reduce((n, p) => n + p.buckets.reduce((m, b) => m + f(b), 0), 0);
}

function durationOf(run: PhaseRun, p: PhaseMetrics<LatencyHistogram>): number | null {
  const fromWindow = phaseDurationMs(run, p.phase);
  if (fromWindow) return fromWindow;
  const first = p.buckets[0];
  const last = p.buckets.at(-1);
  return first && last ? (last.index - first.index + 1) * run.metrics.bucketWidthMs : null;
}

export function phaseNumbers(run: PhaseRun): {
  phases: Record<string, PhaseNumbers>;
  overall: PhaseNumbers | null;
} {
  const phases: Record<string, PhaseNumbers> = {};
  const all = run.metrics.phases;
  for (const p of all) {
    const clamped = p.clamped.latency.low + p.clamped.latency.high;
    phases[p.phase] = numbers(
      p.latency,
      p.counters,
      sum([p], (b) => b.completed),
      sum([p], (b) => b.completedOk),
      durationOf(run, p),
      clamped,
    );
  }
  if (all.length === 0) return { phases, overall: null };
  const durations = all.map((p) => durationOf(run, p));
  const total = durations.every((d) => d !== null)
    ? durations.reduce<number>((a, d) => a + (d ?? 0), 0)
    : null;
  const overall = numbers(
    mergeHistograms(all.map((p) => p.latency)),
    mergeCounters(all.map((p) => p.counters)),
    sum(all, (b) => b.completed),
    sum(all, (b) => b.completedOk),
    total,
    all.reduce((n, p) => n + p.clamped.latency.low + p.clamped.latency.high, 0),
  );
  return { phases, overall };
}
