/**
 * cache-effect: what a fault did to caching — the app's Redis cache and the CDN edge.
 *
 * Sample kinds: a *static* sample has a boolean detail.cacheable (the static-assets workload, through
 * the CDN); every other sample is an *app* sample. Phases by intendedAt; buckets are the metrics'
 * (index = floor(intendedAt / bucketWidthMs)).
 *
 * App cache:
 * - hitRatio = hit / (hit + miss + error) over app samples with sample.cache of those values
 *   ('off' and absent are not cache lookups); null without lookups.
 * - dip = hitRatio(baselinePhase) − hitRatio(faultPhase), in ratio points (0.5 = 50 points lower).
 * - DB reads: app samples with readFrom set (a read the database served), per phase, per second of
 *   the phase window, and by node. dbSurge = dbReadsPerSec(fault) / dbReadsPerSec(baseline).
 * - Re-warm: for each fault-healed event at H, from the bucket containing H until the next fault's
 *   actuation, the first bucket with lookups whose hit ratio ≥ baseline × (1 − rewarmTolerance);
 *   rewarmMs = max(0, its start − H); null if none before the run's end.
 * CDN (static samples): see cdn-availability.ts — per phase and kind (cacheable | uncached),
 * availability = ok / requests and servedFromCache = hits / ok.
 *
 * valid: 'unknown' without any cache lookup or static sample. Each threshold given is judged
 * (maxHitRatioDip, maxDbSurge, maxRewarmMs, minCacheableAvailability — the last over the fault
 * phase); one that cannot be computed makes the verdict 'unknown' unless another failed. Besides,
 * after a heal the app cache must re-warm before the run ends: false if it never does; 'unknown'
 * without lookups in the baseline or after the heal, or (with maxRewarmMs) when the run ended
 * less than maxRewarmMs after the heal.
 * value: the app hit ratio in the fault phase, or (CDN only) the share of the fault phase's ok
 * static answers served from cache.
 */
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import { round3 as r3 } from '../core/round.ts';
import { phaseDurationMs } from '../metrics/phase-numbers.ts';
import { analyzeCdn, type CdnAnalysis, isStatic } from './cdn-availability.ts';
import { type Checker, type CheckResult, defineChecker, type RunRecord } from './checker.ts';
import {
  actuatedFaults,
  entry,
  fmtMs,
  fmtPct,
  parseOptions,
  phaseOf,
  ratio,
  sumPhases,
  worst,
  zNum,
  zNumOrNull,
} from './support.ts';

export const cacheEffectOptions = z
  .object({
    baselinePhase: z.string().min(1).default('baseline'),
    faultPhase: z.string().min(1).default('fault'),
    /** Re-warmed = hit ratio within this share of the baseline's (0.1: at least 90 % of it). */
    rewarmTolerance: z.number().min(0).max(1).default(0.1),
    maxHitRatioDip: z.number().min(0).max(1).optional(),
    maxDbSurge: z.number().min(0).optional(),
    maxRewarmMs: durationSchema.optional(),
    minCacheableAvailability: z.number().min(0).max(1).optional(),
  })
  .strict();
export type CacheEffectOptions = z.input<typeof cacheEffectOptions>;

export interface AppCachePhase {
  hits: number;
  misses: number;
  errors: number;
  hitRatio: number | null;
  dbReads: number;
  dbReadsPerSec: number | null;
  dbReadsByNode: Record<string, number>;
}

export interface CacheEffectAnalysis {
  app: {
    byPhase: Record<string, AppCachePhase>;
    lookups: number;
    dip: number | null;
    dbSurge: number | null;
    /** Lowest hit ratio of a bucket in the fault phase (null without lookups there). */
    faultBucketMin: number | null;
    baselineHitRatio: number | null;
    /** Per heal; bucketsObserved = buckets with lookups from the heal on (0: cannot tell). */
    rewarm: { fault: string; healedAt: number; rewarmMs: number | null; bucketsObserved: number }[];
  };
  cdn: CdnAnalysis;
}

const LOOKUPS = new Set(['hit', 'miss', 'error']);

function appPhase(): AppCachePhase {
  return {
    hits: 0,
    misses: 0,
    errors: 0,
    hitRatio: null,
    dbReads: 0,
    dbReadsPerSec: null,
    dbReadsByNode: {},
  };
}
function count(c: { hits: number; misses: number; errors: number }, cache: string): void {
  if (cache === 'hit') c.hits++;
  else if (cache === 'miss') c.misses++;
  else c.errors++;
}
const hitRatioOf = (c: { hits: number; misses: number; errors: number }) =>
  ratio(c.hits, c.hits + c.misses + c.errors);

export function analyzeCacheEffect(run: RunRecord, options?: CacheEffectOptions): CacheEffectAnalysis {
  const opts = parseOptions('cache-effect', cacheEffectOptions, options);
  const width = run.metrics.bucketWidthMs;
  const app: Record<string, AppCachePhase> = {};
  const buckets = new Map<number, { hits: number; misses: number; errors: number }>();
  let lookups = 0;
  for (const s of run.samples) {
    if (isStatic(s)) continue;
    const phase = phaseOf(run, s);
    const p = phase === undefined ? undefined : entry(app, phase, appPhase);
    if (s.readFrom && p) {
      p.dbReads++;
      p.dbReadsByNode[s.readFrom] = (p.dbReadsByNode[s.readFrom] ?? 0) + 1;
    }
    if (s.cache === undefined || !LOOKUPS.has(s.cache)) continue;
    lookups++;
    if (p) count(p, s.cache);
    const index = Math.floor(s.intendedAt / width);
    const b = buckets.get(index) ?? { hits: 0, misses: 0, errors: 0 };
    count(b, s.cache);
    buckets.set(index, b);
  }
  for (const [phase, p] of Object.entries(app)) {
    p.hitRatio = hitRatioOf(p);
    const ms = phaseDurationMs(run, phase);
    p.dbReadsPerSec = ms ? r3(p.dbReads / (ms / 1000)) : null;
  }

  const base = app[opts.baselinePhase];
  const fault = app[opts.faultPhase];
  const baseRatio = base?.hitRatio ?? null;
  const faultRatio = fault?.hitRatio ?? null;
  const faultWindow = run.phases.find((p) => p.name === opts.faultPhase);
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const faultBuckets = faultWindow
    ? sorted.filter(([i]) => i * width >= faultWindow.startMs && i * width < faultWindow.endMs)
    : [];
  const faultRatios = faultBuckets.flatMap(([, b]) => hitRatioOf(b) ?? []);

  const actuated = actuatedFaults(run.events);
  const rewarm = actuated.flatMap((f, i) => {
    const H = f.life.healed;
    if (H === undefined) return [];
    const next =
      actuated.slice(i + 1).find((l) => l.life.actuated > H)?.life.actuated ?? Number.POSITIVE_INFINITY;
    const target = baseRatio === null ? undefined : baseRatio * (1 - opts.rewarmTolerance);
    const after = sorted.filter(([index]) => index * width + width > H && index * width < next);
    const hit = after.find(([, b]) => {
      const r = hitRatioOf(b);
      return target !== undefined && r !== null && r >= target;
    });
    return [
      {
        fault: f.id,
        healedAt: r3(H),
        rewarmMs: hit ? r3(Math.max(0, hit[0] * width - H)) : null,
        bucketsObserved: after.length,
      },
    ];
  });

  const baseRate = base?.dbReadsPerSec ?? null;
  const faultRate = fault?.dbReadsPerSec ?? null;
  return {
    app: {
      byPhase: app,
      lookups,
      baselineHitRatio: baseRatio,
      dip: baseRatio !== null && faultRatio !== null ? baseRatio - faultRatio : null,
      dbSurge: baseRate && faultRate !== null ? faultRate / baseRate : null,
      faultBucketMin: faultRatios.length ? Math.min(...faultRatios) : null,
      rewarm,
    },
    cdn: analyzeCdn(run),
  };
}

type Judgement = { ok: boolean | 'unknown'; text: string };

function judge(
  a: CacheEffectAnalysis,
  opts: z.output<typeof cacheEffectOptions>,
  run: RunRecord,
): Judgement[] {
  const out: Judgement[] = [];
  const check = (
    value: number | null,
    limit: number | undefined,
    max: boolean,
    what: string,
    f: (x: number) => string,
  ) => {
    if (limit === undefined) return;
    if (value === null) out.push({ ok: 'unknown', text: `${what} unknown` });
    else
      out.push({
        ok: max ? value <= limit : value >= limit,
        text: `${what} ${f(value)} (limit ${max ? '≤' : '≥'} ${f(limit)})`,
      });
  };
  check(a.app.dip, opts.maxHitRatioDip, true, 'hit-ratio dip', fmtPct);
  check(a.app.dbSurge, opts.maxDbSurge, true, 'DB read surge', (x) => `×${x.toFixed(2)}`);
  const cacheable = a.cdn.byPhase[opts.faultPhase]?.cacheable.availability ?? null;
  check(cacheable, opts.minCacheableAvailability, false, 'cacheable availability', fmtPct);
  const end = Math.max(0, ...run.phases.map((p) => p.endMs));
  for (const r of a.app.rewarm) {
    if (a.app.lookups === 0) break;
    if (a.app.baselineHitRatio === null || r.bucketsObserved === 0) {
      out.push({
        ok: 'unknown',
        text: `re-warm after ${r.fault} unknown (no lookups in the baseline or after the heal)`,
      });
    } else if (r.rewarmMs === null) {
      const tooShort = opts.maxRewarmMs !== undefined && end - r.healedAt < opts.maxRewarmMs;
      out.push({ ok: tooShort ? 'unknown' : false, text: `cache not re-warmed after ${r.fault}` });
    } else check(r.rewarmMs, opts.maxRewarmMs, true, `re-warm after ${r.fault}`, fmtMs);
  }
  return out;
}

export function cacheEffectChecker(options?: CacheEffectOptions): Checker {
  const opts = parseOptions('cache-effect', cacheEffectOptions, options);
  return {
    name: 'cache-effect',
    check(run: RunRecord): CheckResult {
      const a = analyzeCacheEffect(run, opts);
      const base = { checker: 'cache-effect', unit: 'ratio' as const, evidence: { ...a, options: opts } };
      if (a.app.lookups === 0 && a.cdn.samples === 0) {
        return {
          ...base,
          valid: 'unknown',
          summary: 'no cache lookups (x-cache) and no static-asset requests in the run',
        };
      }
      const fp = opts.faultPhase;
      const value = a.app.lookups
        ? (a.app.byPhase[fp]?.hitRatio ?? null)
        : (a.cdn.byPhase[fp]?.servedFromCache ?? null);
      const judged = judge(a, opts, run);
      const valid = judged.some((j) => j.ok === false)
        ? false
        : judged.some((j) => j.ok === 'unknown')
          ? 'unknown'
          : true;
      const parts: string[] = [];
      if (a.app.lookups) {
        const b = a.app.byPhase[opts.baselinePhase]?.hitRatio ?? null;
        parts.push(`hit ratio ${fmtPct(b)} → ${fmtPct(value)} during ${fp}`);
        if (a.app.dbSurge !== null) parts.push(`DB reads ×${a.app.dbSurge.toFixed(2)}`);
        for (const r of a.app.rewarm) {
          parts.push(r.rewarmMs === null ? 'not re-warmed' : `re-warmed ${fmtMs(r.rewarmMs)} after heal`);
        }
      }
      const cdn = a.cdn.byPhase[fp];
      if (cdn) {
        parts.push(
          `CDN during ${fp}: cacheable ${fmtPct(cdn.cacheable.availability)} / uncached ${fmtPct(cdn.uncached.availability)} available, ${fmtPct(cdn.servedFromCache)} from cache`,
        );
      }
      const failed = judged.filter((j) => j.ok !== true).map((j) => j.text);
      return {
        ...base,
        valid,
        ...(value !== null ? { value } : {}),
        summary: parts.join('; ') + (failed.length ? ` — ${failed.join('; ')}` : ''),
      };
    },
  };
}

const cdnKindEvidence = z.object({
  requests: zNum,
  ok: zNum,
  availability: zNumOrNull,
  hits: zNum,
  servedFromCache: zNumOrNull,
});

const cdnErrorRate =
  (kind: 'cacheable' | 'uncached') =>
  (a: CacheEffectAnalysis, phase: string | undefined): number | undefined => {
    const requests = sumPhases(a.cdn.byPhase, phase, (p) => p[kind].requests);
    const ok = sumPhases(a.cdn.byPhase, phase, (p) => p[kind].ok);
    return requests ? (requests - ok) / requests : undefined;
  };

export const cacheEffect = defineChecker({
  name: 'cache-effect',
  options: cacheEffectOptions,
  evidence: z.object({
    app: z.object({
      byPhase: z.record(
        z.string(),
        z.object({
          hits: zNum,
          misses: zNum,
          errors: zNum,
          hitRatio: zNumOrNull,
          dbReads: zNum,
          dbReadsPerSec: zNumOrNull,
          dbReadsByNode: z.record(z.string(), zNum),
        }),
      ),
      lookups: zNum,
      dip: zNumOrNull,
      dbSurge: zNumOrNull,
      faultBucketMin: zNumOrNull,
      baselineHitRatio: zNumOrNull,
      rewarm: z.array(
        z.object({ fault: z.string(), healedAt: zNum, rewarmMs: zNumOrNull, bucketsObserved: zNum }),
      ),
    }),
    cdn: z.object({
      samples: zNum,
      byPhase: z.record(
        z.string(),
        z.object({ cacheable: cdnKindEvidence, uncached: cdnKindEvidence, servedFromCache: zNumOrNull }),
      ),
    }),
  }),
  // The app's hit ratio during the fault (or the CDN's served share).
  value: { unit: 'ratio', better: 'higher' },
  analyze: analyzeCacheEffect,
  metrics: {
    'hit-ratio': {
      unit: 'ratio',
      scope: 'phase',
      better: 'higher',
      description: 'app cache hit / (hit + miss + error)',
      resolve: ({ app }, phase) => {
        const hits = sumPhases(app.byPhase, phase, (p) => p.hits);
        const lookups = sumPhases(app.byPhase, phase, (p) => p.hits + p.misses + p.errors);
        return lookups ? hits / lookups : undefined;
      },
    },
    'db-reads-per-sec': {
      unit: 'per-second',
      scope: 'phase',
      better: 'lower',
      description: 'requests the database served (readFrom set) per second of the phase',
      resolve: ({ app }, phase) => (phase === undefined ? undefined : app.byPhase[phase]?.dbReadsPerSec),
    },
    'cached-error-rate': {
      unit: 'ratio',
      scope: 'phase',
      better: 'lower',
      description: 'failed / all cacheable static-asset requests (through the CDN)',
      resolve: cdnErrorRate('cacheable'),
    },
    'uncached-error-rate': {
      unit: 'ratio',
      scope: 'phase',
      better: 'lower',
      description: 'failed / all uncached (cache-busting) static-asset requests',
      resolve: cdnErrorRate('uncached'),
    },
    'hit-ratio-dip': {
      unit: 'ratio',
      scope: 'run',
      better: 'lower',
      description: 'baseline hit ratio − fault hit ratio',
      resolve: ({ app }) => app.dip,
    },
    'db-read-surge': {
      unit: 'ratio',
      scope: 'run',
      better: 'lower',
      description: 'DB reads per second during the fault / during the baseline',
      resolve: ({ app }) => app.dbSurge,
    },
    'rewarm-time': {
      unit: 'ms',
      scope: 'run',
      better: 'lower',
      description: 'from heal until the hit ratio is back near the baseline',
      resolve: ({ app }) => {
        if (app.lookups === 0 || app.baselineHitRatio === null) return undefined;
        const r = app.rewarm.filter((x) => x.bucketsObserved > 0 || x.rewarmMs !== null);
        return worst(
          r.map((x) => x.rewarmMs),
          r.map((x) => x.rewarmMs === null),
        );
      },
    },
  },
  create: cacheEffectChecker,
});
