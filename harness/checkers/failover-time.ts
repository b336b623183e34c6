/**
 * failover-time: how long after each fault took effect users kept getting failures.
 *
 * Definitions (times in ms on the run clock; a *failure* is a sample that is fail, info or dropped):
 * - For each fault-actuated event at A, the candidates are the samples still in flight at A or
 *   later (doneAt ≥ A) and intended before the next fault actuated after this one's heal (faults
 *   injected together, or while it lasts, share its window), optionally only the `requests` named.
 * - The *failure window* grows from E = A: walking the candidates in intended order, each failure
 *   intended no later than E + settleMs joins the window and moves E to max(E, its intendedAt).
 *   The window ends when settleMs pass (by intended time) without a failure; later failures are not
 *   attributed to this outage.
 * - failoverMs = max(0, E − A): from actuation to the intended time of the last failure of the
 *   window (0 when no failure). Measured by intended time, like the timeline's error rate: a request
 *   that timed out 5 s later still marks the moment the system was failing new requests.
 *   `lastFailureDoneMs` (its doneAt − A) is when the last user saw an error.
 * - *Settled*: some candidate succeeded in (E, E + settleMs] and load went on at least until
 *   E + settleMs. A window that is not settled (failures until the run's end, or the next fault)
 *   means failover did not complete within the run.
 *
 * valid: 'unknown' if no (selected) fault was actuated, or no load ran after it; false if a window
 * did not settle, or failoverMs > maxMs (when given); true otherwise. value: the largest failoverMs.
 */
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import { round3 as r3 } from '../core/round.ts';
import type { Sample } from '../samples/sample.ts';
import { type Checker, type CheckResult, defineChecker, type RunRecord } from './checker.ts';
import {
  actuatedFaults,
  byIntended,
  faultSelected,
  fmtMs,
  isDropped,
  isFailure,
  parseOptions,
  sampleView,
  worst,
  zNum,
  zNumOrNull,
} from './support.ts';

export const failoverTimeOptions = z
  .object({
    /** Quiet time (no failure) that ends a failure window; ms or a duration like "2s". */
    settleMs: durationSchema.default(2000),
    /** Longest acceptable failover, ms or a duration. */
    maxMs: durationSchema.optional(),
    /** Only these request names (default: all). */
    requests: z.array(z.string().min(1)).optional(),
    /** Only faults with these ids or kinds (default: all). */
    faults: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type FailoverTimeOptions = z.input<typeof failoverTimeOptions>;

export interface FailoverWindow {
  fault: string;
  actuatedAt: number;
  healedAt?: number;
  /** null when no load ran after the actuation (cannot tell). */
  failoverMs: number | null;
  settled: boolean;
  /** Failures in the window, and all candidate requests intended from A to the window's end. */
  failures: number;
  requests: number;
  /** intendedAt − A of the first failure, doneAt − A of the last one (null without failures). */
  firstFailureMs: number | null;
  lastFailureDoneMs: number | null;
  /** Failures by error code or HTTP status (e.g. "ECONNREFUSED", "503", "DROPPED"). */
  byCause: Record<string, number>;
  /** The first 10 and last 10 failures of the window. */
  samples: Record<string, unknown>[];
}

export interface FailoverTimeAnalysis {
  settleMs: number;
  faults: FailoverWindow[];
  /** The largest failoverMs (null when none is known). */
  maxFailoverMs: number | null;
}

function causeOf(s: Sample): string {
  if (isDropped(s)) return 'DROPPED';
  return s.error ?? (s.status !== undefined ? String(s.status) : s.outcome);
}

export function analyzeFailoverTime(run: RunRecord, options?: FailoverTimeOptions): FailoverTimeAnalysis {
  const opts = parseOptions('failover-time', failoverTimeOptions, options);
  const wanted = opts.requests ? new Set(opts.requests) : undefined;
  const sorted = byIntended(run.samples).filter((s) => !wanted || wanted.has(s.request));
  const actuated = actuatedFaults(run.events);
  const faults: FailoverWindow[] = [];
  for (const fault of actuated) {
    if (!faultSelected(fault, opts.faults)) continue;
    const A = fault.life.actuated;
    // Faults injected together (or while this one lasts) share its window; a later one ends it.
    const after = fault.life.healed ?? Number.POSITIVE_INFINITY;
    const horizon = actuated.find((l) => l.life.actuated > after)?.life.actuated ?? Number.POSITIVE_INFINITY;
    const candidates = sorted.filter((s) => s.doneAt >= A && s.intendedAt < horizon);
    let end = A;
    const failures: Sample[] = [];
    for (const s of candidates) {
      if (s.intendedAt > end + opts.settleMs) break;
      if (!isFailure(s)) continue;
      failures.push(s);
      end = Math.max(end, s.intendedAt);
    }
    const later = candidates.filter((s) => s.intendedAt > end);
    const settled =
      later.some((s) => s.intendedAt <= end + opts.settleMs && !isFailure(s)) &&
      later.some((s) => s.intendedAt >= end + opts.settleMs);
    const byCause: Record<string, number> = {};
    for (const f of failures) byCause[causeOf(f)] = (byCause[causeOf(f)] ?? 0) + 1;
    const first = failures[0];
    const last = failures.reduce<Sample | undefined>(
      (l, f) => (!l || f.doneAt > l.doneAt ? f : l),
      undefined,
    );
    const shown = failures.length <= 20 ? failures : [...failures.slice(0, 10), ...failures.slice(-10)];
    faults.push({
      fault: fault.id,
      actuatedAt: r3(A),
      ...(fault.life.healed !== undefined ? { healedAt: r3(fault.life.healed) } : {}),
      failoverMs: candidates.length ? r3(Math.max(0, end - A)) : null,
      settled: candidates.length > 0 && settled,
      failures: failures.length,
      requests: candidates.filter((s) => s.intendedAt <= end).length,
      firstFailureMs: first ? r3(first.intendedAt - A) : null,
      lastFailureDoneMs: last ? r3(last.doneAt - A) : null,
      byCause,
      samples: shown.map(sampleView),
    });
  }
  const known = faults.flatMap((f) => (f.failoverMs === null ? [] : [f.failoverMs]));
  return { settleMs: opts.settleMs, faults, maxFailoverMs: known.length ? Math.max(...known) : null };
}

export function failoverTimeChecker(options?: FailoverTimeOptions): Checker {
  const opts = parseOptions('failover-time', failoverTimeOptions, options);
  return {
    name: 'failover-time',
    check(run: RunRecord): CheckResult {
      const a = analyzeFailoverTime(run, opts);
      const evidence = { ...a, ...(opts.maxMs !== undefined ? { maxMs: opts.maxMs } : {}) };
      const base = { checker: 'failover-time', unit: 'ms' as const, evidence };
      if (a.faults.length === 0) return { ...base, valid: 'unknown', summary: 'no fault was actuated' };
      const value = a.maxFailoverMs ?? undefined;
      const unsettled = a.faults.filter((f) => f.failoverMs !== null && !f.settled);
      if (unsettled.length) {
        return {
          ...base,
          valid: false,
          ...(value !== undefined ? { value } : {}),
          summary: `failures did not stop for ${fmtMs(a.settleMs)} after ${unsettled.map((f) => f.fault).join(', ')} before the run ended (or the next fault)`,
        };
      }
      if (value === undefined) {
        return { ...base, valid: 'unknown', summary: 'no load ran after the fault was actuated' };
      }
      const worst = a.faults.find((f) => f.failoverMs === value);
      const valid = a.faults.some((f) => f.failoverMs === null)
        ? 'unknown'
        : opts.maxMs === undefined || value <= opts.maxMs;
      return {
        ...base,
        valid,
        value,
        summary:
          `failover ${fmtMs(value)} after ${worst?.fault}${opts.maxMs !== undefined ? ` (limit ≤ ${fmtMs(opts.maxMs)})` : ''}` +
          `, ${worst?.failures ?? 0} failed requests in the window`,
      };
    },
  };
}

export const failoverTime = defineChecker({
  name: 'failover-time',
  options: failoverTimeOptions,
  evidence: z.object({
    settleMs: zNum,
    maxFailoverMs: zNumOrNull,
    maxMs: zNum.optional(),
    faults: z.array(
      z.object({
        fault: z.string(),
        actuatedAt: zNum,
        healedAt: zNum.optional(),
        failoverMs: zNumOrNull,
        settled: z.boolean(),
        failures: zNum,
        requests: zNum,
        firstFailureMs: zNumOrNull,
        lastFailureDoneMs: zNumOrNull,
        byCause: z.record(z.string(), zNum),
      }),
    ),
  }),
  value: { unit: 'ms', better: 'lower' },
  analyze: analyzeFailoverTime,
  metrics: {
    'failover-time': {
      unit: 'ms',
      scope: 'run',
      better: 'lower',
      description: 'from fault actuation to the last failure of its window (see failover-time.ts)',
      resolve: ({ faults }) =>
        worst(
          faults.map((x) => x.failoverMs),
          faults.map((x) => x.failoverMs !== null && !x.settled),
        ),
    },
  },
  create: failoverTimeChecker,
});
