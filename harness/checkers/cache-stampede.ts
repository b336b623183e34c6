/**
 * cache-stampede: how many identical database reads one refill of a cached key cost, from the
 * X-Cache header of each product read.
 *
 * Definitions (times in ms on the run clock):
 * - A *product read* is a sent sample (not dropped) with a numeric detail.productId and an X-Cache
 *   value. It *read the database* when that value is miss, error, off, early (an early refresh)
 *   or stale-refresh (it started a background refresh); hit, coalesced (it waited on another
 *   request's read) and stale did not.
 * - A *refill* of a key is a maximal set of its database reads whose [sentAt, doneAt] overlap one
 *   another (chained): identical reads in flight together. Its size is the amplification; 1 is
 *   what a guarded cache achieves per instance.
 * - Per phase by the refill's first read's intendedAt: refills, database reads, the largest refill
 *   and the mean. dbReadRate: database reads per second in 500 ms bins over the run, for the chart.
 *
 * valid: 'unknown' without a product read that read the database; otherwise the largest refill ≤
 * maxConcurrentReads (default 1). value: the largest refill.
 */
import { z } from 'zod';
import { round3 as r3 } from '../core/round.ts';
import type { Sample } from '../samples/sample.ts';
import { type Checker, type CheckResult, defineChecker, type RunRecord } from './checker.ts';
import { bounded, entry, isDropped, parseOptions, phaseOf, runEndMs, zNum, zNumOrNull } from './support.ts';

/** X-Cache values of a request that read the database itself or started a read. */
export const DB_READING = new Set(['miss', 'error', 'off', 'early', 'stale-refresh']);
const BIN_MS = 500;

export const cacheStampedeOptions = z
  .object({
    /** The largest acceptable number of identical database reads in flight for one key. */
    maxConcurrentReads: z.number().int().min(1).default(1),
  })
  .strict();
export type CacheStampedeOptions = z.input<typeof cacheStampedeOptions>;

export interface RefillCounts {
  refills: number;
  dbReads: number;
  /** Product reads answered without a database read of their own (hit, coalesced, stale). */
  spared: number;
  maxReads: number | null;
  meanReads: number | null;
}

export interface Refill {
  productId: number;
  /** Its first read's intendedAt, and when its last read was done. */
  at: number;
  doneAt: number;
  reads: number;
}

export interface CacheStampedeAnalysis extends RefillCounts {
  /** The X-Cache values seen, with their counts. */
  statuses: Record<string, number>;
  byPhase: Record<string, RefillCounts>;
  dbReadRate: { binMs: number; perSecond: number[] };
  /** The largest refills, largest first (at most 20). */
  largest: Refill[];
  omittedLargest: number;
}

type ProductRead = Sample & { sentAt: number; cache: string; detail: { productId: number } };

function productReads(samples: readonly Sample[]): ProductRead[] {
  return samples.filter(
    (s): s is ProductRead =>
      !isDropped(s) &&
      s.sentAt !== undefined &&
      typeof s.cache === 'string' &&
      typeof s.detail?.productId === 'number',
  );
}

/** Each key's database reads grouped into refills: chains of overlapping [sentAt, doneAt]. */
function refillsOf(reads: readonly ProductRead[]): { refill: Refill; first: ProductRead }[] {
  const byProduct = new Map<number, ProductRead[]>();
  for (const s of reads) {
    if (!DB_READING.has(s.cache)) continue;
    const list = byProduct.get(s.detail.productId) ?? [];
    list.push(s);
    byProduct.set(s.detail.productId, list);
  }
  const out: { refill: Refill; first: ProductRead }[] = [];
  for (const [productId, list] of byProduct) {
    list.sort((a, b) => a.sentAt - b.sentAt);
    let current: { refill: Refill; first: ProductRead } | undefined;
    for (const s of list) {
      if (current && s.sentAt < current.refill.doneAt) {
        current.refill.reads++;
        current.refill.doneAt = Math.max(current.refill.doneAt, s.doneAt);
        continue;
      }
      current = { refill: { productId, at: s.intendedAt, doneAt: s.doneAt, reads: 1 }, first: s };
      out.push(current);
    }
  }
  return out;
}

function counts(sizes: number[], spared: number): RefillCounts {
  const dbReads = sizes.reduce((n, x) => n + x, 0);
  return {
    refills: sizes.length,
    dbReads,
    spared,
    maxReads: sizes.length ? Math.max(...sizes) : null,
    meanReads: sizes.length ? r3(dbReads / sizes.length) : null,
  };
}

export function analyzeCacheStampede(run: RunRecord): CacheStampedeAnalysis {
  const reads = productReads(run.samples);
  const statuses: Record<string, number> = {};
  const phaseSpared: Record<string, number> = {};
  let spared = 0;
  const bins = new Array<number>(Math.ceil(runEndMs(run) / BIN_MS) + 1).fill(0);
  for (const s of reads) {
    statuses[s.cache] = (statuses[s.cache] ?? 0) + 1;
    if (DB_READING.has(s.cache)) {
      const bin = Math.floor(s.sentAt / BIN_MS);
      if (bin >= 0 && bin < bins.length) bins[bin] = (bins[bin] as number) + 1;
      continue;
    }
    spared++;
    const phase = phaseOf(run, s);
    if (phase !== undefined) phaseSpared[phase] = (phaseSpared[phase] ?? 0) + 1;
  }
  const refills = refillsOf(reads);
  const phaseSizes: Record<string, number[]> = {};
  for (const { refill, first } of refills) {
    const phase = phaseOf(run, first);
    if (phase !== undefined) entry(phaseSizes, phase, () => []).push(refill.reads);
  }
  const phases = new Set([...Object.keys(phaseSizes), ...Object.keys(phaseSpared)]);
  const largest = bounded(
    refills
      .map((r) => r.refill)
      .filter((r) => r.reads > 1)
      .sort((a, b) => b.reads - a.reads || a.at - b.at)
      .map((r) => ({ ...r, at: r3(r.at), doneAt: r3(r.doneAt) })),
  );
  return {
    ...counts(
      refills.map((r) => r.refill.reads),
      spared,
    ),
    statuses,
    byPhase: Object.fromEntries(
      [...phases].map((p) => [p, counts(phaseSizes[p] ?? [], phaseSpared[p] ?? 0)]),
    ),
    dbReadRate: { binMs: BIN_MS, perSecond: bins.map((n) => (n * 1000) / BIN_MS) },
    largest: largest.items,
    omittedLargest: largest.omitted,
  };
}

export function cacheStampedeChecker(options?: CacheStampedeOptions): Checker {
  const opts = parseOptions('cache-stampede', cacheStampedeOptions, options);
  return {
    name: 'cache-stampede',
    check(run: RunRecord): CheckResult {
      const a = analyzeCacheStampede(run);
      const base = { checker: 'cache-stampede', unit: 'count' as const, evidence: { ...a, limits: opts } };
      if (a.refills === 0) {
        return {
          ...base,
          valid: 'unknown',
          summary: Object.keys(a.statuses).length
            ? 'no product read went to the database: nothing was refilled'
            : 'no product read carried an X-Cache header: the app does not say how it read',
        };
      }
      const max = a.maxReads ?? 0;
      return {
        ...base,
        value: max,
        valid: max <= opts.maxConcurrentReads,
        summary:
          `${a.refills} refills cost ${a.dbReads} database reads (mean ${a.meanReads}, largest ${max} ` +
          `identical reads at once; limit ≤ ${opts.maxConcurrentReads}); ${a.spared} reads spared the database`,
      };
    },
  };
}

const countsEvidence = z.object({
  refills: zNum,
  dbReads: zNum,
  spared: zNum,
  maxReads: zNumOrNull,
  meanReads: zNumOrNull,
});

const within = (a: CacheStampedeAnalysis, phase: string | undefined): RefillCounts | undefined => {
  const c = phase === undefined ? a : a.byPhase[phase];
  return c?.refills ? c : undefined;
};

export const cacheStampede = defineChecker({
  name: 'cache-stampede',
  options: cacheStampedeOptions,
  evidence: countsEvidence.extend({
    statuses: z.record(z.string(), zNum),
    byPhase: z.record(z.string(), countsEvidence),
    dbReadRate: z.object({ binMs: zNum, perSecond: z.array(zNum) }),
    largest: z.array(z.object({ productId: zNum, at: zNum, doneAt: zNum, reads: zNum })),
    omittedLargest: zNum,
    limits: z.object({ maxConcurrentReads: zNum }).optional(),
  }),
  value: { unit: 'count', better: 'lower' },
  analyze: analyzeCacheStampede,
  metrics: {
    'stampede-db-reads-max': {
      unit: 'count',
      scope: 'phase',
      better: 'lower',
      description: 'the most identical database reads one key had in flight at once (one refill)',
      resolve: (a, phase) => within(a, phase)?.maxReads ?? undefined,
    },
    'stampede-db-reads-mean': {
      unit: 'count',
      scope: 'phase',
      better: 'lower',
      description: 'database reads per refill of a key, on average (1: no amplification)',
      resolve: (a, phase) => within(a, phase)?.meanReads ?? undefined,
    },
  },
  create: cacheStampedeChecker,
});
