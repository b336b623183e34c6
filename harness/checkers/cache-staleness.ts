/**
 * cache-staleness: reads that returned a product older than a change already committed behind
 * them, and how long after that change they did (the staleness age), to hold against the cache's TTL.
 *
 * Definitions (times in ms on the run clock):
 * - A *change* is an observation with source "data.change" and detail { productId, version }
 *   (the writes-behind-cache fault), recorded when the change was acknowledged.
 * - A *read* is a successful sample (ok, not dropped) with a numeric detail.productId and a version.
 *   It is *judged* when its product had a change acknowledged before the read began
 *   (at ≤ intendedAt); reads of products nobody changed say nothing.
 * - A judged read is *stale* when its version is older than the newest change acknowledged before
 *   it began. Its *age* is its doneAt − the acknowledgement of the first change newer than the
 *   version it got: how long after the data changed the old value was still served.
 * - Per phase by the read's intendedAt. staleRate = stale / judged (null without judged reads).
 *
 * valid: 'unknown' without judged reads; otherwise the largest age ≤ maxAge when given, and
 * staleRate ≤ maxRate when given; with neither, no read may be stale. value: the largest age (ms).
 */
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import { round3 as r3 } from '../core/round.ts';
import type { RunEventOf } from '../samples/event-log.ts';
import type { Sample } from '../samples/sample.ts';
import { type Checker, type CheckResult, defineChecker, type RunRecord } from './checker.ts';
import {
  bounded,
  entry,
  fmtMs,
  fmtPct,
  type HistogramBar,
  histogram125,
  isDropped,
  parseOptions,
  percentile,
  phaseOf,
  zNum,
  zNumOrNull,
} from './support.ts';

type Observation = RunEventOf<'observation'>;

export const CHANGE_SOURCE = 'data.change';

export const cacheStalenessOptions = z
  .object({
    /** The largest acceptable staleness age, ms or a duration like "5s" (e.g. the TTL). */
    maxAge: durationSchema.optional(),
    /** The largest acceptable share of stale judged reads (0..1). */
    maxRate: z.number().min(0).max(1).optional(),
  })
  .strict();
export type CacheStalenessOptions = z.input<typeof cacheStalenessOptions>;

export interface StalenessCounts {
  judged: number;
  stale: number;
  staleRate: number | null;
  /** Of the stale reads' ages: null when none was stale. */
  maxAgeMs: number | null;
  p99AgeMs: number | null;
}

export interface StaleRead {
  productId: number;
  /** The version it got, and the newest one acknowledged before it began. */
  version: number;
  expected: number;
  ageMs: number;
  /** Its intendedAt. */
  at: number;
  cache?: string;
  readFrom?: string;
}

export interface CacheStalenessAnalysis extends StalenessCounts {
  changes: number;
  changedProducts: number;
  p50AgeMs: number | null;
  ageHistogram: HistogramBar[];
  byPhase: Record<string, StalenessCounts>;
  /** The first stale reads (at most 20). */
  examples: StaleRead[];
  omittedExamples: number;
}

interface Change {
  version: number;
  at: number;
}

/** Each product's changes, oldest first. */
function changesByProduct(events: RunRecord['events']): Map<number, Change[]> {
  const byProduct = new Map<number, Change[]>();
  for (const e of events) {
    if (e.kind !== 'observation' || (e as Observation).source !== CHANGE_SOURCE) continue;
    const { productId, version } = (e as Observation).detail;
    if (typeof productId !== 'number' || typeof version !== 'number') continue;
    const list = byProduct.get(productId) ?? [];
    list.push({ version, at: e.at });
    byProduct.set(productId, list);
  }
  for (const list of byProduct.values()) list.sort((a, b) => a.at - b.at);
  return byProduct;
}

function counts(ages: number[], judged: number): StalenessCounts {
  return {
    judged,
    stale: ages.length,
    staleRate: judged ? r3(ages.length / judged) : null,
    maxAgeMs: ages.length ? r3(Math.max(...ages)) : null,
    p99AgeMs: ages.length ? r3(percentile(ages, 99) as number) : null,
  };
}

/**
 * The read against `changes` (oldest first): null when no change came before it began; otherwise
 * the newest version acknowledged by then, and the read's age when it got an older one.
 */
function judge(read: Sample, version: number, changes: Change[]): { expected: number; age?: number } | null {
  let newest: Change | undefined;
  for (const c of changes) if (c.at <= read.intendedAt) newest = c;
  if (!newest) return null;
  if (version >= newest.version) return { expected: newest.version };
  const missed = changes.find((c) => c.version > version) as Change;
  return { expected: newest.version, age: Math.max(0, read.doneAt - missed.at) };
}

export function analyzeCacheStaleness(run: RunRecord): CacheStalenessAnalysis {
  const byProduct = changesByProduct(run.events);
  const ages: number[] = [];
  let judged = 0;
  const phaseAges: Record<string, { ages: number[]; judged: number }> = {};
  const stale: StaleRead[] = [];
  for (const s of run.samples) {
    const productId = s.detail?.productId;
    if (s.outcome !== 'ok' || isDropped(s) || typeof productId !== 'number' || s.version === undefined)
      continue;
    const changes = byProduct.get(productId);
    if (!changes) continue;
    const judgement = judge(s, s.version, changes);
    if (judgement === null) continue;
    judged++;
    const phase = phaseOf(run, s);
    const p = phase === undefined ? undefined : entry(phaseAges, phase, () => ({ ages: [], judged: 0 }));
    if (p) p.judged++;
    const { expected, age } = judgement;
    if (age === undefined) continue;
    ages.push(age);
    p?.ages.push(age);
    stale.push({
      productId,
      version: s.version,
      expected,
      ageMs: r3(age),
      at: r3(s.intendedAt),
      ...(s.cache ? { cache: s.cache } : {}),
      ...(s.readFrom ? { readFrom: s.readFrom } : {}),
    });
  }
  const list = bounded(stale);
  return {
    ...counts(ages, judged),
    changes: [...byProduct.values()].reduce((n, l) => n + l.length, 0),
    changedProducts: byProduct.size,
    p50AgeMs: ages.length ? r3(percentile(ages, 50) as number) : null,
    ageHistogram: histogram125(ages),
    byPhase: Object.fromEntries(Object.entries(phaseAges).map(([k, v]) => [k, counts(v.ages, v.judged)])),
    examples: list.items,
    omittedExamples: list.omitted,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function cacheStalenessChecker(options?: CacheStalenessOptions): Checker {
  const opts = parseOptions('cache-staleness', cacheStalenessOptions, options);
  return {
    name: 'cache-staleness',
    check(run: RunRecord): CheckResult {
      const a = analyzeCacheStaleness(run);
      const base = { checker: 'cache-staleness', unit: 'ms' as const, evidence: { ...a, limits: opts } };
      if (a.judged === 0) {
        return {
          ...base,
          valid: 'unknown',
          summary: a.changes
            ? `no read of a changed product began after its change (${a.changes} changes)`
            : 'no data change was recorded (source "data.change"): nothing to be stale against',
        };
      }
      const maxAge = a.maxAgeMs ?? 0;
      const ageOk = opts.maxAge === undefined || maxAge <= opts.maxAge;
      const rateOk = opts.maxRate === undefined || (a.staleRate ?? 0) <= opts.maxRate;
      const noLimit = opts.maxAge === undefined && opts.maxRate === undefined;
      const limits = [
        opts.maxAge !== undefined ? `age limit ≤ ${fmtMs(opts.maxAge)}` : '',
        opts.maxRate !== undefined ? `rate limit ≤ ${fmtPct(opts.maxRate)}` : '',
      ].filter(Boolean);
      return {
        ...base,
        value: maxAge,
        valid: noLimit ? a.stale === 0 : ageOk && rateOk,
        summary:
          `${a.stale} of ${a.judged} reads of changed products stale (${fmtPct(a.staleRate ?? 0)}), ` +
          `oldest ${fmtMs(maxAge)} after the change${a.p99AgeMs !== null ? `, p99 ${fmtMs(a.p99AgeMs)}` : ''}` +
          `${limits.length ? ` (${limits.join(', ')})` : ''}; ${plural(a.changes, 'change')} of ${plural(a.changedProducts, 'product')}`,
      };
    },
  };
}

const countsEvidence = z.object({
  judged: zNum,
  stale: zNum,
  staleRate: zNumOrNull,
  maxAgeMs: zNumOrNull,
  p99AgeMs: zNumOrNull,
});

// Without a judged read nothing could be stale: the checker says unknown, and so do its metrics.
const within = (a: CacheStalenessAnalysis, phase: string | undefined): StalenessCounts | undefined => {
  const c = phase === undefined ? a : a.byPhase[phase];
  return c?.judged ? c : undefined;
};

/** An age of the stale reads as a metric: 0 when reads were judged and none was stale. */
function ageMetric(description: string, pick: (c: StalenessCounts) => number | null) {
  return {
    unit: 'ms' as const,
    scope: 'phase' as const,
    better: 'lower' as const,
    description: `${description} (0: none stale)`,
    resolve: (a: CacheStalenessAnalysis, phase: string | undefined) => {
      const c = within(a, phase);
      return c ? (pick(c) ?? 0) : undefined;
    },
  };
}

export const cacheStaleness = defineChecker({
  name: 'cache-staleness',
  options: cacheStalenessOptions,
  evidence: countsEvidence.extend({
    changes: zNum,
    changedProducts: zNum,
    p50AgeMs: zNumOrNull,
    ageHistogram: z.array(z.object({ le: zNum, count: zNum })),
    byPhase: z.record(z.string(), countsEvidence),
    examples: z.array(
      z.object({
        productId: zNum,
        version: zNum,
        expected: zNum,
        ageMs: zNum,
        at: zNum,
        cache: z.string().optional(),
        readFrom: z.string().optional(),
      }),
    ),
    omittedExamples: zNum.optional(),
    limits: z.object({ maxAge: zNum.optional(), maxRate: zNum.optional() }).optional(),
  }),
  value: { unit: 'ms', better: 'lower' },
  analyze: analyzeCacheStaleness,
  metrics: {
    'cache-stale-read-rate': {
      unit: 'ratio',
      scope: 'phase',
      better: 'lower',
      description: 'reads of a changed product older than its last change / such reads',
      resolve: (a, phase) => within(a, phase)?.staleRate ?? undefined,
    },
    'staleness-age-max': ageMetric(
      'the longest a read returned a product after it changed',
      (c) => c.maxAgeMs,
    ),
    'staleness-age-p99': ageMetric('p99 of stale reads’ ages', (c) => c.p99AgeMs),
  },
  create: cacheStalenessChecker,
});
