/**
 * Named metrics for hypotheses ("p99 < 250ms during fault", "failover-time < 3s"): each resolves to
 * a number through the checkers' own analyses, so a hypothesis and a checker never disagree.
 *
 * Conventions:
 * - Units: ms for times, a ratio 0..1 for rates and ratios, requests/s for throughput, counts
 *   otherwise (see `metrics` below for each).
 * - Phase-scoped metrics take the named phase, or the whole run when none is given. Run-scoped
 *   metrics (failover-time, time-to-detect, time-to-recover, rewarm-time, hit-ratio-dip,
 *   db-read-surge) ignore the phase.
 * - undefined = the run cannot tell (no data of that kind, no fault, run ended too soon, unknown
 *   metric name). Infinity = the checker established that it never happened within the run
 *   (failures never stopped, the LB never marked the server DOWN, the SLO or the cache hit ratio
 *   never came back), so "failover-time < 3s" fails rather than being unknown.
 * - Checker options (e.g. time-to-recover's SLO) come from `checkerOptions`, keyed by checker
 *   name, as the experiment configured them (see optionsFromSpecs); defaults otherwise.
 *
 * Analyses are memoized per record object and options: judge a record only once it is complete.
 */

import { type PhaseNumbers, phaseNumbers } from '../metrics/phase-numbers.ts';
import { analyzeCacheEffect, type CacheEffectAnalysis } from './cache-effect.ts';
import type { RunRecord } from './checker.ts';
import { analyzeFailoverTime, type FailoverTimeAnalysis } from './failover-time.ts';
import type { CheckerSpec } from './registry.ts';
import { analyzeSessionsLost, type SessionsLostAnalysis } from './sessions-lost.ts';
import { analyzeStaleReads, type StaleReadsAnalysis } from './stale-reads.ts';
import { analyzeTimeToDetect, type TimeToDetectAnalysis } from './time-to-detect.ts';
import { analyzeTimeToRecover, type TimeToRecoverAnalysis } from './time-to-recover.ts';

export type CheckerOptionsByName = Readonly<Record<string, Record<string, unknown> | undefined>>;

interface Ctx {
  run: RunRecord;
  phase: string | undefined;
  get<T>(checker: string, analyze: (run: RunRecord, options?: never) => T): T;
}

type Resolver = (ctx: Ctx) => number | null | undefined;

export interface MetricDefinition {
  unit: 'ms' | 'ratio' | 'count' | 'per-second';
  scope: 'phase' | 'run';
  description: string;
  /**
   * The checker that measures it (the number comes from its analysis): a hypothesis on the metric
   * judges what that checker measured. None for the per-phase load numbers every run has.
   */
  checker?: string;
  resolve: Resolver;
}

const numbersOf = (c: Ctx): PhaseNumbers | null | undefined => {
  const n = c.get('slo', (run) => phaseNumbers(run));
  return c.phase === undefined ? n.overall : n.phases[c.phase];
};
const latency =
  (key: 'p50' | 'p90' | 'p99' | 'p999' | 'max' | 'mean'): Resolver =>
  (c) => {
    const n = numbersOf(c);
    return n && n.ok + n.fail + n.info > 0 ? n[key] : undefined;
  };
const stale = (c: Ctx) => {
  const a = c.get<StaleReadsAnalysis>('stale-reads', analyzeStaleReads);
  return c.phase === undefined ? a : a.byPhase[c.phase];
};
const sessions = (c: Ctx) => {
  const a = c.get<SessionsLostAnalysis>('sessions-lost', analyzeSessionsLost);
  if (a.cartRequests === 0) return undefined; // nothing could be lost: the checker says unknown
  return c.phase === undefined ? a : a.byPhase[c.phase];
};
const cache = (c: Ctx) => c.get<CacheEffectAnalysis>('cache-effect', analyzeCacheEffect);
const sumPhases = <T>(byPhase: Record<string, T>, phase: string | undefined, f: (x: T) => number) =>
  phase === undefined
    ? Object.values(byPhase).reduce((n, x) => n + f(x), 0)
    : byPhase[phase]
      ? f(byPhase[phase])
      : 0;
const cdnErrorRate =
  (kind: 'cacheable' | 'uncached'): Resolver =>
  (c) => {
    const byPhase = cache(c).cdn.byPhase;
    const requests = sumPhases(byPhase, c.phase, (p) => p[kind].requests);
    const ok = sumPhases(byPhase, c.phase, (p) => p[kind].ok);
    return requests ? (requests - ok) / requests : undefined;
  };
/** The worst of per-fault results: null entries are unknown, 'never' ones Infinity. */
const worst = (values: (number | null)[], never: boolean[]): number | undefined => {
  if (values.length === 0) return undefined;
  if (never.some(Boolean)) return Number.POSITIVE_INFINITY;
  if (values.some((v) => v === null)) return undefined;
  return Math.max(...(values as number[]));
};

export const metrics: Readonly<Record<string, MetricDefinition>> = Object.freeze({
  p50: {
    unit: 'ms',
    scope: 'phase',
    description: 'median latency (intended → done)',
    resolve: latency('p50'),
  },
  p90: { unit: 'ms', scope: 'phase', description: '90th percentile latency', resolve: latency('p90') },
  p99: { unit: 'ms', scope: 'phase', description: '99th percentile latency', resolve: latency('p99') },
  p999: { unit: 'ms', scope: 'phase', description: '99.9th percentile latency', resolve: latency('p999') },
  max: { unit: 'ms', scope: 'phase', description: 'highest latency', resolve: latency('max') },
  mean: { unit: 'ms', scope: 'phase', description: 'mean latency', resolve: latency('mean') },
  'error-rate': {
    unit: 'ratio',
    scope: 'phase',
    description: '(fail + info + dropped) / all requests',
    resolve: (c) => {
      const n = numbersOf(c);
      return n?.requests ? n.errorRate : undefined;
    },
  },
  throughput: {
    unit: 'per-second',
    scope: 'phase',
    description: 'requests completed per second of the phase',
    resolve: (c) => numbersOf(c)?.throughput,
  },
  goodput: {
    unit: 'per-second',
    scope: 'phase',
    description: 'ok requests completed per second of the phase',
    resolve: (c) => numbersOf(c)?.goodput,
  },
  'stale-read-rate': {
    unit: 'ratio',
    scope: 'phase',
    description: 'stale / judged read-backs (see stale-reads.ts)',
    checker: 'stale-reads',
    resolve: (c) => stale(c)?.staleRate,
  },
  'stale-reads': {
    unit: 'count',
    scope: 'phase',
    description: 'stale read-backs',
    checker: 'stale-reads',
    resolve: (c) => (stale(c)?.reads ? stale(c)?.stale : undefined),
  },
  'monotonic-read-violations': {
    unit: 'count',
    scope: 'phase',
    description: 'reads older than one the same session had already seen',
    checker: 'stale-reads',
    resolve: (c) => stale(c)?.monotonicViolations,
  },
  'read-your-writes-violations': {
    unit: 'count',
    scope: 'phase',
    description: "stale reads of the session's own write",
    checker: 'stale-reads',
    resolve: (c) => (stale(c)?.reads ? stale(c)?.rywViolations : undefined),
  },
  'sessions-lost': {
    unit: 'count',
    scope: 'phase',
    description: 'logged-in sessions that got a 401 on a cart request',
    checker: 'sessions-lost',
    resolve: (c) => sessions(c)?.lost,
  },
  'forced-relogins': {
    unit: 'count',
    scope: 'phase',
    description: 'first successful logins after a lost session',
    checker: 'sessions-lost',
    resolve: (c) => sessions(c)?.forcedRelogins,
  },
  'hit-ratio': {
    unit: 'ratio',
    scope: 'phase',
    description: 'app cache hit / (hit + miss + error)',
    checker: 'cache-effect',
    resolve: (c) => {
      const byPhase = cache(c).app.byPhase;
      const hits = sumPhases(byPhase, c.phase, (p) => p.hits);
      const lookups = sumPhases(byPhase, c.phase, (p) => p.hits + p.misses + p.errors);
      return lookups ? hits / lookups : undefined;
    },
  },
  'db-reads-per-sec': {
    unit: 'per-second',
    scope: 'phase',
    description: 'requests the database served (readFrom set) per second of the phase',
    checker: 'cache-effect',
    resolve: (c) => (c.phase === undefined ? undefined : cache(c).app.byPhase[c.phase]?.dbReadsPerSec),
  },
  'cached-error-rate': {
    unit: 'ratio',
    scope: 'phase',
    description: 'failed / all cacheable static-asset requests (through the CDN)',
    checker: 'cache-effect',
    resolve: cdnErrorRate('cacheable'),
  },
  'uncached-error-rate': {
    unit: 'ratio',
    scope: 'phase',
    description: 'failed / all uncached (cache-busting) static-asset requests',
    checker: 'cache-effect',
    resolve: cdnErrorRate('uncached'),
  },
  'hit-ratio-dip': {
    unit: 'ratio',
    scope: 'run',
    description: 'baseline hit ratio − fault hit ratio',
    checker: 'cache-effect',
    resolve: (c) => cache(c).app.dip,
  },
  'db-read-surge': {
    unit: 'ratio',
    scope: 'run',
    description: 'DB reads per second during the fault / during the baseline',
    checker: 'cache-effect',
    resolve: (c) => cache(c).app.dbSurge,
  },
  'rewarm-time': {
    unit: 'ms',
    scope: 'run',
    description: 'from heal until the hit ratio is back near the baseline',
    checker: 'cache-effect',
    resolve: (c) => {
      const a = cache(c).app;
      if (a.lookups === 0 || a.baselineHitRatio === null) return undefined;
      const r = a.rewarm.filter((x) => x.bucketsObserved > 0 || x.rewarmMs !== null);
      return worst(
        r.map((x) => x.rewarmMs),
        r.map((x) => x.rewarmMs === null),
      );
    },
  },
  'failover-time': {
    unit: 'ms',
    scope: 'run',
    description: 'from fault actuation to the last failure of its window (see failover-time.ts)',
    checker: 'failover-time',
    resolve: (c) => {
      const f = c.get<FailoverTimeAnalysis>('failover-time', analyzeFailoverTime).faults;
      return worst(
        f.map((x) => x.failoverMs),
        f.map((x) => x.failoverMs !== null && !x.settled),
      );
    },
  },
  'time-to-detect': {
    unit: 'ms',
    scope: 'run',
    description: 'from backend death until HAProxy reports it DOWN',
    checker: 'time-to-detect',
    resolve: (c) => {
      const f = c.get<TimeToDetectAnalysis>('time-to-detect', analyzeTimeToDetect).faults;
      return worst(
        f.map((x) => x.detectMs),
        f.map((x) => x.result === 'not-detected'),
      );
    },
  },
  'time-to-recover': {
    unit: 'ms',
    scope: 'run',
    description: 'from heal until the SLO holds for N buckets in a row',
    checker: 'time-to-recover',
    resolve: (c) => {
      const f = c.get<TimeToRecoverAnalysis>('time-to-recover', analyzeTimeToRecover).faults;
      return worst(
        f.map((x) => x.recoverMs),
        f.map((x) => x.result === 'not-recovered'),
      );
    },
  },
});

export const metricNames: readonly string[] = Object.keys(metrics);

export function isKnownMetric(name: string): boolean {
  return Object.hasOwn(metrics, name);
}

/** Checker options by checker name, from an experiment's `checkers` list. */
export function optionsFromSpecs(specs: readonly CheckerSpec[]): CheckerOptionsByName {
  const out: Record<string, Record<string, unknown> | undefined> = {};
  for (const spec of specs) if (typeof spec !== 'string') out[spec.name] = spec.options;
  return out;
}

const memo = new WeakMap<RunRecord, Map<string, unknown>>();

/**
 * The value of metric `name` over `phase` (the whole run when undefined) of a finished run; see the
 * conventions at the top of this file. Unknown names give undefined (check with isKnownMetric).
 */
export function metricValue(
  run: RunRecord,
  name: string,
  phase?: string,
  checkerOptions: CheckerOptionsByName = {},
): number | undefined {
  if (!isKnownMetric(name)) return undefined;
  let cached = memo.get(run);
  if (!cached) {
    cached = new Map();
    memo.set(run, cached);
  }
  const store = cached;
  const ctx: Ctx = {
    run,
    phase,
    get<T>(checker: string, analyze: (run: RunRecord, options?: never) => T): T {
      const options = checkerOptions[checker];
      const key = `${checker}\u0000${JSON.stringify(options ?? {})}`;
      if (!store.has(key)) store.set(key, analyze(run, options as never));
      return store.get(key) as T;
    },
  };
  const value = (metrics[name] as MetricDefinition).resolve(ctx);
  return value === null || value === undefined || Number.isNaN(value) ? undefined : value;
}
