/**
 * time-to-recover: after a fault is healed, how long until the service meets its SLO again.
 *
 * Works on the metrics timeline (buildTimeline over all phases, covering the run up to the end of
 * its last phase), whose buckets hold the requests *intended* in [t, t + bucketWidthMs).
 * - A bucket *holds* the SLO when requests were intended in it, its error rate (fail + info +
 *   dropped over all) is ≤ maxErrorRate, and, when maxP99Ms is given, its p99 latency is ≤ maxP99Ms.
 *   An empty bucket does not hold (no evidence of service).
 * - For each fault-healed event at H, the candidates are the buckets from the one containing H up
 *   to the next fault's actuation (or the run's end). Recovery is at the start t0 of the first run
 *   of `buckets` consecutive holding buckets; recoverMs = max(0, t0 − H) — so 0 when the SLO held
 *   straight through the heal, and otherwise a multiple of the bucket width minus H's offset.
 * - Not recovered: 'unknown' when the run ended too soon to tell (fewer than `buckets` buckets after
 *   the heal, or the last buckets were holding — recovery under way but not yet confirmed); false
 *   when at least `buckets` buckets were observed and the last one did not hold.
 *
 * valid: 'unknown' when no fault was healed (or as above); false when some fault did not recover or
 * recoverMs > maxMs (when given); true otherwise. value: the largest recoverMs.
 */
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import { round3 as r3 } from '../core/round.ts';
import { buildTimeline, type TimelinePoint } from '../metrics/timeline.ts';
import { type Checker, type CheckResult, defineChecker, type RunRecord } from './checker.ts';
import {
  actuatedFaults,
  faultSelected,
  fmtMs,
  fmtPct,
  MAX_EVIDENCE,
  parseOptions,
  runEndMs,
  worst,
  zNum,
  zNumOrNull,
} from './support.ts';

export const timeToRecoverOptions = z
  .object({
    maxErrorRate: z.number().min(0).max(1).default(0.01),
    maxP99Ms: durationSchema.optional(),
    /** How many consecutive holding buckets make a recovery. */
    buckets: z.number().int().min(1).default(3),
    maxMs: durationSchema.optional(),
    faults: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type TimeToRecoverOptions = z.input<typeof timeToRecoverOptions>;

export interface Recovery {
  fault: string;
  healedAt: number;
  result: 'recovered' | 'not-recovered' | 'too-short';
  recoverMs: number | null;
  /** How many buckets from the heal on were looked at. */
  bucketsObserved: number;
  /** The first buckets from the heal on (at most 20). */
  buckets: { t: number; requests: number; errorRate: number; p99: number; holds: boolean }[];
}

export interface TimeToRecoverAnalysis {
  bucketWidthMs: number;
  slo: { maxErrorRate: number; maxP99Ms?: number; buckets: number };
  faults: Recovery[];
  maxRecoverMs: number | null;
}

export function analyzeTimeToRecover(run: RunRecord, options?: TimeToRecoverOptions): TimeToRecoverAnalysis {
  const opts = parseOptions('time-to-recover', timeToRecoverOptions, options);
  const width = run.metrics.bucketWidthMs;
  const end = runEndMs(run);
  const timeline = buildTimeline(run.metrics, end > 0 ? { span: { fromMs: 0, toMs: end } } : {});
  const holds = (p: TimelinePoint) =>
    p.ok + p.fail + p.info + p.dropped > 0 &&
    p.errorRate <= opts.maxErrorRate &&
    (opts.maxP99Ms === undefined || p.p99 <= opts.maxP99Ms);

  const actuated = actuatedFaults(run.events);
  const faults: Recovery[] = [];
  for (const [i, fault] of actuated.entries()) {
    const H = fault.life.healed;
    if (H === undefined || !faultSelected(fault, opts.faults)) continue;
    const next =
      actuated.slice(i + 1).find((l) => l.life.actuated > H)?.life.actuated ?? Number.POSITIVE_INFINITY;
    const window = timeline.filter((p) => p.t + width > H && p.t < next);
    let streak = 0;
    let recoveredAt: number | undefined;
    for (const [k, p] of window.entries()) {
      streak = holds(p) ? streak + 1 : 0;
      if (streak === opts.buckets) {
        recoveredAt = window[k - opts.buckets + 1]?.t;
        break;
      }
    }
    const tooShort = window.length < opts.buckets || streak > 0;
    faults.push({
      fault: fault.id,
      healedAt: r3(H),
      result: recoveredAt !== undefined ? 'recovered' : tooShort ? 'too-short' : 'not-recovered',
      recoverMs: recoveredAt !== undefined ? r3(Math.max(0, recoveredAt - H)) : null,
      bucketsObserved: window.length,
      buckets: window.slice(0, MAX_EVIDENCE).map((p) => ({
        t: p.t,
        requests: p.ok + p.fail + p.info + p.dropped,
        errorRate: p.errorRate,
        p99: p.p99,
        holds: holds(p),
      })),
    });
  }
  const known = faults.flatMap((f) => (f.recoverMs === null ? [] : [f.recoverMs]));
  return {
    bucketWidthMs: width,
    slo: {
      maxErrorRate: opts.maxErrorRate,
      ...(opts.maxP99Ms !== undefined ? { maxP99Ms: opts.maxP99Ms } : {}),
      buckets: opts.buckets,
    },
    faults,
    maxRecoverMs: known.length ? Math.max(...known) : null,
  };
}

export function timeToRecoverChecker(options?: TimeToRecoverOptions): Checker {
  const opts = parseOptions('time-to-recover', timeToRecoverOptions, options);
  return {
    name: 'time-to-recover',
    check(run: RunRecord): CheckResult {
      const a = analyzeTimeToRecover(run, opts);
      const evidence = { ...a, ...(opts.maxMs !== undefined ? { maxMs: opts.maxMs } : {}) };
      const base = { checker: 'time-to-recover', unit: 'ms' as const, evidence };
      const value = a.maxRecoverMs ?? undefined;
      const withValue = value !== undefined ? { value } : {};
      const slo =
        `error rate ≤ ${fmtPct(opts.maxErrorRate)}` +
        (opts.maxP99Ms !== undefined ? `, p99 ≤ ${fmtMs(opts.maxP99Ms)}` : '') +
        ` for ${opts.buckets} × ${fmtMs(a.bucketWidthMs)}`;
      if (a.faults.length === 0) return { ...base, valid: 'unknown', summary: 'no fault was healed' };
      const failed = a.faults.filter((f) => f.result === 'not-recovered');
      if (failed.length) {
        const f = failed[0];
        return {
          ...base,
          ...withValue,
          valid: false,
          summary: `never recovered (${slo}) in the ${f?.bucketsObserved} buckets after healing ${f?.fault}`,
        };
      }
      const short = a.faults.filter((f) => f.result === 'too-short');
      if (short.length || value === undefined) {
        return {
          ...base,
          ...withValue,
          valid: 'unknown',
          summary: `the run ended before recovery (${slo}) after healing ${short.map((f) => f.fault).join(', ')} could be confirmed`,
        };
      }
      return {
        ...base,
        value,
        valid: opts.maxMs === undefined || value <= opts.maxMs,
        summary: `recovered ${fmtMs(value)} after heal (${slo})${opts.maxMs !== undefined ? `; limit ≤ ${fmtMs(opts.maxMs)}` : ''}`,
      };
    },
  };
}

export const timeToRecover = defineChecker({
  name: 'time-to-recover',
  options: timeToRecoverOptions,
  evidence: z.object({
    bucketWidthMs: zNum,
    maxRecoverMs: zNumOrNull,
    maxMs: zNum.optional(),
    slo: z.object({ maxErrorRate: zNum, maxP99Ms: zNum.optional(), buckets: zNum }),
    faults: z.array(
      z.object({
        fault: z.string(),
        healedAt: zNum,
        result: z.string(),
        recoverMs: zNumOrNull,
        bucketsObserved: zNum,
      }),
    ),
  }),
  value: { unit: 'ms', better: 'lower' },
  analyze: analyzeTimeToRecover,
  metrics: {
    'time-to-recover': {
      unit: 'ms',
      scope: 'run',
      better: 'lower',
      description: 'from heal until the SLO holds for N buckets in a row',
      resolve: ({ faults }) =>
        worst(
          faults.map((x) => x.recoverMs),
          faults.map((x) => x.result === 'not-recovered'),
        ),
    },
  },
  create: timeToRecoverChecker,
});
