/**
 * What the sections draw from, derived once from a result.json: the run's time origin (load start),
 * its end, the decoded metrics and their timeline, each fault's life from the event log, and the
 * checker results by name. Times stay in run-clock ms; `rel()` makes them relative to load start.
 */

import type { CheckResult, RunResult } from '../../harness/journal/index.ts';
import type { MetricsSnapshot } from '../../harness/metrics/snapshot.ts';
import { snapshotFromJSON } from '../../harness/metrics/snapshot.ts';
import { buildTimeline, type TimelinePoint } from '../../harness/metrics/timeline.ts';

export type RunEvent = RunResult['events'][number];

/** One fault from request to heal (run-clock ms). */
export interface FaultLife {
  fault: string;
  kind: string;
  /** After the first colon of the id: a service ("web-2"), a link ("cdn->lb"), "all", "a+b". */
  target?: string;
  requestedAt?: number;
  actuatedAt?: number;
  verifiedAt?: number;
  unverifiedAt?: number;
  healedAt?: number;
  healFailedAt?: number;
  /** The shaded window: actuation (or request) to heal (or the run's end). */
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
  faults: FaultLife[];
  check(name: string): CheckResult | undefined;
  /** Run-clock ms → ms since load start. */
  rel(at: number): number;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function faultLivesOf(events: readonly RunEvent[], endMs: number): FaultLife[] {
  const sorted = [...events].filter((e) => Number.isFinite(e.at)).sort((a, b) => a.at - b.at);
  const lives: FaultLife[] = [];
  const open = new Map<string, FaultLife>();
  for (const e of sorted) {
    if (!e.kind.startsWith('fault-')) continue;
    const id = ('fault' in e ? str(e.fault) : undefined) ?? '(unnamed)';
    let life = open.get(id);
    if (
      !life ||
      e.kind === 'fault-requested' ||
      (e.kind === 'fault-actuated' && life.actuatedAt !== undefined)
    ) {
      const colon = id.indexOf(':');
      life = {
        fault: id,
        kind: colon < 0 ? id : id.slice(0, colon),
        ...(colon < 0 ? {} : { target: id.slice(colon + 1) }),
        from: e.at,
        to: endMs,
      };
      lives.push(life);
      open.set(id, life);
    }
    switch (e.kind) {
      case 'fault-requested':
        life.requestedAt = e.at;
        break;
      case 'fault-actuated':
        life.actuatedAt = e.at;
        life.from = e.at;
        break;
      case 'fault-verified':
        life.verifiedAt ??= e.at;
        break;
      case 'fault-unverified':
        life.unverifiedAt ??= e.at;
        break;
      case 'fault-healed':
        life.healedAt ??= e.at;
        life.to = e.at;
        open.delete(id);
        break;
      case 'fault-heal-failed':
        life.healFailedAt ??= e.at;
        open.delete(id);
        break;
    }
  }
  // A fault requested but never actuated (inject threw) shades nothing.
  return lives.filter((l) => l.actuatedAt !== undefined || l.healedAt !== undefined);
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
    faults: faultLivesOf(result.events, endMs),
    check: (name) => checks.get(name),
    rel: (at) => at - t0,
  };
}
