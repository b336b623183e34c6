/**
 * cdn-freshness: after a static asset changed at the origin behind the CDN edge, how much of what
 * the edge served was still the old version, how long until it served only the new one, and how
 * hard the edge then fetched from the origin (the cdn-invalidation experiment: no invalidation, a
 * PURGE of the one URL, or a BAN of everything under /static/).
 *
 * Definitions (times in ms on the run clock):
 * - A *change* is an observation with source "asset.change" and detail { asset, path, oldEtag,
 *   newEtag }, at the moment the new file was in place at the origin. Its *invalidation* is the
 *   first "cdn.invalidate" observation (detail { method, pattern, status }) at or after it.
 * - Its *judged* samples are the cacheable static-asset samples of that asset (detail.cacheable
 *   true, detail.asset) answered 200 with a non-empty ETag and sentAt ≥ the change (and before the
 *   asset's next change). Each is *old* (ETag = oldEtag), *new* (= newEtag) or *other* (neither).
 *   ETags are compared without a weak W/ prefix: a gzipping edge or origin weakens them.
 * - oldShare = old / (old + new), null without such samples. timeToFreshMs: from the change to the
 *   doneAt of the last old sample; 0 when none was old; null when the asset's last judged sample is
 *   still old (neverFresh: the edge never served only the new version within the run).
 * - staleAfterInvalidation: old samples sent after the invalidation (0 when it worked).
 * - missRate: CDN misses (cacheable samples with X-Cache miss, any asset: origin fetches) per
 *   second in 500 ms bins over the run, by sentAt. missesPeakAfter: the largest bin overlapping the
 *   5 s after the invalidation, or after the change without one. missesBaseline: mean misses per
 *   second before the change (after the warmup phase, when there is one: the edge filling up).
 * - oldShareSeries: old / (old + new) among the asset's cacheable 200 answers per 500 ms bin from
 *   2 s before the change to the run's end (null where none), for the chart.
 *
 * valid: 'unknown' without a change, or without a judged old or new sample of any changed asset;
 * otherwise every change with such samples has oldShare ≤ maxOldShare (0..1, default 1) and, when
 * maxTimeToFreshMs is given, a timeToFreshMs ≤ it (never fresh fails). value: the largest
 * timeToFreshMs (none when some change never became fresh).
 */
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import { round3 as r3 } from '../core/round.ts';
import type { RunEventOf } from '../samples/event-log.ts';
import type { Sample } from '../samples/sample.ts';
import { type Checker, type CheckResult, defineChecker, type RunRecord } from './checker.ts';
import {
  fmtMs,
  fmtPct,
  isDropped,
  parseOptions,
  ratio,
  runEndMs,
  worst,
  zNum,
  zNumOrNull,
} from './support.ts';

type Observation = RunEventOf<'observation'>;

export const CHANGE_SOURCE = 'asset.change';
export const INVALIDATE_SOURCE = 'cdn.invalidate';
const BIN_MS = 500;
/** How long after the change (or its invalidation) the origin-fetch surge is looked for. */
const SURGE_MS = 5000;
/** The old-share series starts this long before the change, to show the steady state before it. */
const LEAD_MS = 2000;

export const cdnFreshnessOptions = z
  .object({
    /** The largest acceptable share of old content after the change (0..1; default 1: any). */
    maxOldShare: z.number().min(0).max(1).default(1),
    /** The longest acceptable time until the edge serves only the new content, ms or a duration like "5s". */
    maxTimeToFreshMs: durationSchema.optional(),
  })
  .strict();
export type CdnFreshnessOptions = z.input<typeof cdnFreshnessOptions>;

export interface AssetFreshness {
  asset: string;
  path: string;
  /** When the new file was in place at the origin. */
  at: number;
  oldEtag: string;
  newEtag: string;
  /** Judged samples after the change, by the ETag they got. */
  old: number;
  new: number;
  other: number;
  oldShare: number | null;
  timeToFreshMs: number | null;
  neverFresh: boolean;
  invalidatedAt: number | null;
  invalidateMethod: string | null;
  /** The edge's HTTP status for the invalidation (a refused PURGE or BAN invalidates nothing). */
  invalidateStatus: number | null;
  staleAfterInvalidation: number | null;
  missesBaseline: number | null;
  missesPeakAfter: number | null;
  oldShareSeries: { fromMs: number; binMs: number; shares: (number | null)[] };
}

export interface CdnFreshnessAnalysis {
  changes: AssetFreshness[];
  /** Cacheable static-asset samples in the run (any asset, any answer): none means no such workload. */
  cacheableSamples: number;
  missRate: { binMs: number; perSecond: number[] };
}

interface Change {
  asset: string;
  path: string;
  at: number;
  oldEtag: string;
  newEtag: string;
}

interface Invalidation {
  at: number;
  method: string;
  status: number | null;
}

type Cacheable = Sample & { sentAt: number; detail: { cacheable: true } };

const observations = (run: RunRecord, source: string): Observation[] =>
  run.events
    .filter((e): e is Observation => e.kind === 'observation' && (e as Observation).source === source)
    .sort((a, b) => a.at - b.at);

function changesOf(run: RunRecord): Change[] {
  return observations(run, CHANGE_SOURCE).flatMap((e) => {
    const { asset, path, oldEtag, newEtag } = e.detail;
    if (typeof asset !== 'string' || typeof oldEtag !== 'string' || typeof newEtag !== 'string') return [];
    return [{ asset, path: typeof path === 'string' ? path : '', at: e.at, oldEtag, newEtag }];
  });
}

function invalidationsOf(run: RunRecord): Invalidation[] {
  return observations(run, INVALIDATE_SOURCE).map((e) => ({
    at: e.at,
    method: typeof e.detail.method === 'string' ? e.detail.method : 'unknown',
    status: typeof e.detail.status === 'number' ? e.detail.status : null,
  }));
}

// Weak and strong forms name the same version: a gzipping edge turns "abc" into W/"abc".
const strong = (etag: string) => etag.replace(/^W\//, '');

/** The version a cacheable 200 answer with an ETag got, against one change; undefined for any other sample. */
function versionOf(s: Cacheable, c: Change): 'old' | 'new' | 'other' | undefined {
  if (s.detail.asset !== c.asset || s.status !== 200 || !s.etag) return undefined;
  const etag = strong(s.etag);
  return etag === strong(c.oldEtag) ? 'old' : etag === strong(c.newEtag) ? 'new' : 'other';
}

/** The largest rate of the bins overlapping [from, to), null when none does (the run ended). */
function peak(perSecond: readonly number[], from: number, to: number): number | null {
  const overlapping = perSecond.filter((_, i) => i * BIN_MS < to && (i + 1) * BIN_MS > from);
  return overlapping.length ? Math.max(...overlapping) : null;
}

/** Where the quiet time before a change starts: after the warmup (the edge filling up), else the run's start. */
function baselineFrom(run: RunRecord, at: number): number {
  const warmup = run.phases.find((p) => p.name === 'warmup');
  if (warmup && warmup.endMs < at) return warmup.endMs;
  return Math.min(at, run.phases[0]?.startMs ?? 0);
}

function freshness(
  run: RunRecord,
  c: Change,
  until: number,
  samples: readonly Cacheable[],
  misses: readonly Cacheable[],
  missRate: readonly number[],
  invalidation: Invalidation | undefined,
): AssetFreshness {
  const counts = { old: 0, new: 0, other: 0 };
  let lastOldDone: number | undefined;
  let last: { sentAt: number; version: 'old' | 'new' | 'other' } | undefined;
  let staleAfter = 0;
  const end = runEndMs(run);
  const fromMs = Math.max(0, Math.floor((c.at - LEAD_MS) / BIN_MS) * BIN_MS);
  const bins = Array.from({ length: Math.max(0, Math.ceil((end - fromMs) / BIN_MS)) }, () => ({
    old: 0,
    new: 0,
  }));
  for (const s of samples) {
    const version = versionOf(s, c);
    if (version === undefined) continue;
    const bin = bins[Math.floor((s.sentAt - fromMs) / BIN_MS)];
    if (bin && version !== 'other') bin[version]++;
    if (s.sentAt < c.at || s.sentAt >= until) continue;
    counts[version]++;
    if (!last || s.sentAt >= last.sentAt) last = { sentAt: s.sentAt, version };
    if (version !== 'old') continue;
    lastOldDone = Math.max(lastOldDone ?? s.doneAt, s.doneAt);
    if (invalidation && s.sentAt > invalidation.at) staleAfter++;
  }
  const neverFresh = last?.version === 'old';
  const timeToFreshMs =
    last === undefined || neverFresh
      ? null
      : lastOldDone === undefined
        ? 0
        : r3(Math.max(0, lastOldDone - c.at));
  const baseFrom = baselineFrom(run, c.at);
  const baseMisses = misses.filter((s) => s.sentAt >= baseFrom && s.sentAt < c.at).length;
  const surgeFrom = invalidation?.at ?? c.at;
  const oldShare = ratio(counts.old, counts.old + counts.new);
  return {
    ...c,
    at: r3(c.at),
    ...counts,
    oldShare: oldShare === null ? null : r3(oldShare),
    timeToFreshMs,
    neverFresh,
    invalidatedAt: invalidation ? r3(invalidation.at) : null,
    invalidateMethod: invalidation?.method ?? null,
    invalidateStatus: invalidation?.status ?? null,
    staleAfterInvalidation: invalidation ? staleAfter : null,
    missesBaseline: c.at > baseFrom ? r3((baseMisses * 1000) / (c.at - baseFrom)) : null,
    missesPeakAfter: surgeFrom < end ? peak(missRate, surgeFrom, surgeFrom + SURGE_MS) : null,
    oldShareSeries: {
      fromMs,
      binMs: BIN_MS,
      shares: bins.map((b) => {
        const share = ratio(b.old, b.old + b.new);
        return share === null ? null : r3(share);
      }),
    },
  };
}

export function analyzeCdnFreshness(run: RunRecord): CdnFreshnessAnalysis {
  const cacheable = run.samples.filter(
    (s): s is Cacheable => !isDropped(s) && s.sentAt !== undefined && s.detail?.cacheable === true,
  );
  const misses = cacheable.filter((s) => s.cache === 'miss');
  const bins = new Array<number>(Math.ceil(runEndMs(run) / BIN_MS) + 1).fill(0);
  for (const s of misses) {
    const bin = Math.floor(s.sentAt / BIN_MS);
    if (bin >= 0 && bin < bins.length) bins[bin] = (bins[bin] as number) + 1;
  }
  const perSecond = bins.map((n) => (n * 1000) / BIN_MS);
  const changes = changesOf(run);
  const invalidations = invalidationsOf(run);
  return {
    changes: changes.map((c) => {
      // A later change of the same asset starts its own judgement: its new ETag is neither of these.
      const next = changes.find((d) => d.asset === c.asset && d.at > c.at);
      const invalidation = invalidations.find((i) => i.at >= c.at);
      return freshness(
        run,
        c,
        next?.at ?? Number.POSITIVE_INFINITY,
        cacheable,
        misses,
        perSecond,
        invalidation,
      );
    }),
    cacheableSamples: cacheable.length,
    missRate: { binMs: BIN_MS, perSecond },
  };
}

/** The changes whose judged samples tell old from new: the rest say nothing. */
const judged = (a: CdnFreshnessAnalysis): AssetFreshness[] => a.changes.filter((c) => c.oldShare !== null);

function describe(c: AssetFreshness): string {
  const fresh = c.neverFresh
    ? 'never fresh: its last answer was still old'
    : `fresh ${fmtMs(c.timeToFreshMs ?? 0)} after the change`;
  const invalidation =
    c.invalidatedAt === null
      ? 'no invalidation'
      : `${c.invalidateMethod} ${fmtMs(c.invalidatedAt - c.at)} after it` +
        `${c.invalidateStatus !== null && (c.invalidateStatus < 200 || c.invalidateStatus >= 300) ? ` (answered ${c.invalidateStatus})` : ''}` +
        `, ${c.staleAfterInvalidation} old answers sent after it`;
  const misses =
    c.missesPeakAfter === null
      ? ''
      : `; origin fetches peaked at ${c.missesPeakAfter}/s (before: ${c.missesBaseline ?? 'n/a'}/s)`;
  return (
    `${c.asset}: ${fmtPct(c.oldShare)} of answers after the change were old (${c.old} of ${c.old + c.new}` +
    `${c.other ? `, ${c.other} other ETags` : ''}), ${fresh}; ${invalidation}${misses}`
  );
}

export function cdnFreshnessChecker(options?: CdnFreshnessOptions): Checker {
  const opts = parseOptions('cdn-freshness', cdnFreshnessOptions, options);
  return {
    name: 'cdn-freshness',
    check(run: RunRecord): CheckResult {
      const a = analyzeCdnFreshness(run);
      const base = { checker: 'cdn-freshness', unit: 'ms' as const, evidence: { ...a, limits: opts } };
      const changes = judged(a);
      if (changes.length === 0) {
        return {
          ...base,
          valid: 'unknown',
          summary: a.changes.length
            ? `no cacheable request of ${a.changes.map((c) => c.asset).join(', ')} got its old or new ETag after the change (${a.cacheableSamples} cacheable static-asset requests)`
            : 'no asset change was recorded (source "asset.change"): nothing to be fresh against',
        };
      }
      const timeOk = (c: AssetFreshness) =>
        opts.maxTimeToFreshMs === undefined ||
        (c.timeToFreshMs !== null && c.timeToFreshMs <= opts.maxTimeToFreshMs);
      const valid = changes.every((c) => (c.oldShare ?? 0) <= opts.maxOldShare && timeOk(c));
      const value = worst(
        changes.map((c) => c.timeToFreshMs),
        changes.map((c) => c.neverFresh),
      );
      const limits = [
        opts.maxOldShare < 1 ? `old share ≤ ${fmtPct(opts.maxOldShare)}` : '',
        opts.maxTimeToFreshMs !== undefined ? `fresh within ${fmtMs(opts.maxTimeToFreshMs)}` : '',
      ].filter(Boolean);
      return {
        ...base,
        ...(value !== undefined && Number.isFinite(value) ? { value } : {}),
        valid,
        summary: `${changes.map(describe).join(' · ')}${limits.length ? ` (limits: ${limits.join(', ')})` : ''}`,
      };
    },
  };
}

export const cdnFreshness = defineChecker({
  name: 'cdn-freshness',
  options: cdnFreshnessOptions,
  evidence: z.object({
    changes: z.array(
      z.object({
        asset: z.string(),
        path: z.string(),
        at: zNum,
        oldEtag: z.string(),
        newEtag: z.string(),
        old: zNum,
        new: zNum,
        other: zNum,
        oldShare: zNumOrNull,
        timeToFreshMs: zNumOrNull,
        neverFresh: z.boolean(),
        invalidatedAt: zNumOrNull,
        invalidateMethod: z.string().nullable(),
        invalidateStatus: zNumOrNull,
        staleAfterInvalidation: zNumOrNull,
        missesBaseline: zNumOrNull,
        missesPeakAfter: zNumOrNull,
        oldShareSeries: z.object({ fromMs: zNum, binMs: zNum, shares: z.array(zNumOrNull) }),
      }),
    ),
    cacheableSamples: zNum,
    missRate: z.object({ binMs: zNum, perSecond: z.array(zNum) }),
    limits: z.object({ maxOldShare: zNum, maxTimeToFreshMs: zNum.optional() }).optional(),
  }),
  value: { unit: 'ms', better: 'lower' },
  analyze: analyzeCdnFreshness,
  // Run-scoped: each is measured from the change on, whatever phase that falls in; the worst change counts.
  metrics: {
    'cdn-old-content-share': {
      unit: 'ratio',
      scope: 'run',
      better: 'lower',
      description:
        'answers of a changed static asset that were still its old version / old + new, after the change',
      resolve: (a) => {
        const shares = judged(a).map((c) => c.oldShare as number);
        return shares.length ? Math.max(...shares) : undefined;
      },
    },
    'cdn-time-to-fresh': {
      unit: 'ms',
      scope: 'run',
      better: 'lower',
      description: 'from a static asset’s change at the origin to the last old version the CDN served',
      resolve: (a) => {
        const changes = judged(a);
        return worst(
          changes.map((c) => c.timeToFreshMs),
          changes.map((c) => c.neverFresh),
        );
      },
    },
    'cdn-origin-fetches-peak': {
      unit: 'per-second',
      scope: 'run',
      better: 'lower',
      description:
        'the most CDN misses (origin fetches) per second in the 5 s after the change or its invalidation',
      resolve: (a) => {
        const peaks = a.changes.flatMap((c) => (c.missesPeakAfter === null ? [] : [c.missesPeakAfter]));
        return peaks.length ? Math.max(...peaks) : undefined;
      },
    },
  },
  create: cdnFreshnessChecker,
});
