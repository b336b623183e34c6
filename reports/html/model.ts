/**
 * What the sections draw from, derived once from a result.json: the run's time origin (load start),
 * its end, the decoded metrics and their timeline, the window of each fault (from the records the
 * result stores), and the checker results by name. Times stay in run-clock ms; `rel()` makes them
 * relative to load start.
 */

import type { CheckResult, FaultRecord, RunResult } from '../../harness/journal/index.ts';
import type { MetricsSnapshot } from '../../harness/metrics/snapshot.ts';
import { snapshotFromJSON } from '../../harness/metrics/snapshot.ts';
import { buildTimeline, type TimelinePoint } from '../../harness/metrics/timeline.ts';

/** A fault as the charts shade it: its record and the window it lasted (run-clock ms). */
export interface FaultWindow extends FaultRecord {
  /** Actuation (or the fault's first event) to heal (or the run's end). */
  from: number;
  to: number;
}

export interface ReportModel {
  result: RunResult;
  /** Run-clock ms of load start (the first phase's start). */
  t0: number;
  /** Run-clock ms the time axis ends: the last phase's end (see runEnd). */
  endMs: number;
  /** Load was due after the last phase: where it stopped inside the last bucket is unknown. */
  overran: boolean;
  metrics: MetricsSnapshot;
  timeline: TimelinePoint[];
  faults: FaultWindow[];
  check(name: string): CheckResult | undefined;
  /** Run-clock ms → ms since load start. */
  rel(at: number): number;
}

/** The faults that took effect or were healed; a fault requested but never actuated (inject threw) shades nothing. */
export function faultWindows(faults: readonly FaultRecord[], endMs: number): FaultWindow[] {
  return faults
    .filter((f) => f.life.actuated !== undefined || f.life.healed !== undefined)
    .map((f) => ({
      ...f,
      from: f.life.actuated ?? Math.min(...Object.values(f.life)),
      to: f.life.healed ?? endMs,
    }));
}

/**
 * Where the run's time axis ends: the end of the last phase, when the load stopped. The bucket it
 * falls in is only partly inside the run and ends with it (it is not stretched to a whole bucket:
 * a rate over the whole bucket would draw the last fraction of a second as a throughput collapse).
 * Load due after the last phase (results from before load started with the phases, or without
 * phases) extends it to the end of the last bucket that load was due in, so no data falls off the
 * charts; where in that bucket the load stopped is then unknown (`overran`).
 */
function runEnd(result: RunResult, metrics: MetricsSnapshot): { endMs: number; overran: boolean } {
  const end = Math.max(0, ...result.phases.map((p) => p.endMs));
  let dueEnd = 0;
  for (const p of metrics.phases) {
    for (const b of p.buckets) {
      const due = b.counters.ok + b.counters.fail + b.counters.info + b.counters.dropped;
      if (due > 0 && b.startMs >= end) dueEnd = Math.max(dueEnd, b.startMs + metrics.bucketWidthMs);
    }
  }
  return { endMs: Math.max(end, dueEnd), overran: dueEnd > end };
}

/** Decodes the metrics (a usage error if they are not faultline metrics) and derives the rest. */
export function buildModel(result: RunResult): ReportModel {
  const metrics = snapshotFromJSON(result.metrics);
  const t0 = result.phases[0]?.startMs ?? 0;
  const { endMs, overran } = runEnd(result, metrics);
  // The span is the load's: the first and last buckets count (and draw) only their part inside it.
  const timeline = buildTimeline(metrics, endMs > t0 ? { span: { fromMs: t0, toMs: endMs } } : {});
  const checks = new Map(result.checks.map((c) => [c.checker, c]));
  return {
    result,
    t0,
    endMs,
    overran,
    metrics,
    timeline,
    faults: faultWindows(result.faults, endMs),
    check: (name) => checks.get(name),
    rel: (at) => at - t0,
  };
}
