/**
 * stale-reads: reads that return an older version than one already acknowledged to the reader.
 *
 * What counts:
 * - A *read-back* is a sample whose detail carries a numeric `ackedVersion` and `ackedAt` (the
 *   read-after-write workload's "GET /products/:id after write"): version `ackedVersion` of
 *   `detail.productId` was acknowledged at run time `ackedAt`.
 * - It is *judged* when it succeeded (outcome ok, not dropped) with a `version`, and it began after
 *   the acknowledgement: `intendedAt ≥ ackedAt`. One that began before is *concurrent* (it may
 *   legitimately see the old version) and is counted apart, never stale. Failed read-backs say
 *   nothing about staleness and are counted as `failed`.
 * - A judged read-back is *stale* when `version < ackedVersion`. Its age is `doneAt − ackedAt` ms
 *   (how long after the ack old data was still served); its lag is `ackedVersion − version` versions.
 * - A *read-your-writes violation* is a stale read of the session's own write: every read-back
 *   whose detail has no `ackedBy`, or `ackedBy` equal to its sessionId (the workload's writes and
 *   read-backs are one operation of one session, so all of its stale reads are RYW violations).
 * - A *monotonic-read violation*: among one session's successful reads of one product (any sample
 *   with `detail.productId`, a `version` and a sessionId, concurrent ones included), a read that
 *   returns a lower version than the highest version returned by a read of that session and
 *   product that had completed before this one began (`doneAt ≤ intendedAt`).
 * Phases by the read's intendedAt. Rate = stale / judged (null without judged reads).
 *
 * valid: 'unknown' without judged reads; otherwise staleRate ≤ maxRate (default 0: no stale read).
 * value: the overall stale rate (ratio).
 */
import { z } from 'zod';
import { round3 as r3 } from '../core/round.ts';
import type { Sample } from '../samples/sample.ts';
import { type Checker, type CheckResult, defineChecker, type RunRecord } from './checker.ts';
import {
  bounded,
  byIntended,
  entry,
  fmtPct,
  type HistogramBar,
  histogram125,
  isFailure,
  MAX_EVIDENCE,
  parseOptions,
  percentile,
  phaseOf,
  ratio,
  sampleView,
  zBars,
  zNum,
  zNumOrNull,
} from './support.ts';

export const staleReadsOptions = z
  .object({
    /** Highest acceptable stale rate (stale / judged reads), 0..1. */
    maxRate: z.number().min(0).max(1).default(0),
  })
  .strict();
export type StaleReadsOptions = z.input<typeof staleReadsOptions>;

export interface StaleCounts {
  /** Judged read-backs (ok, with a version, begun at or after the ack). */
  reads: number;
  stale: number;
  /** stale / reads; null without reads. */
  staleRate: number | null;
  /** Read-backs begun before the ack (not judged). */
  concurrent: number;
  /** Read-backs that did not succeed (not judged). */
  failed: number;
  rywViolations: number;
  monotonicViolations: number;
}

export interface StaleReadsAnalysis extends StaleCounts {
  byPhase: Record<string, StaleCounts>;
  /** Staleness age, doneAt − ackedAt in ms, of the stale reads. */
  ageMs: { p50: number | null; p99: number | null; max: number | null; histogram: HistogramBar[] };
  /** ackedVersion − version of the stale reads. */
  versionsBehind: { max: number | null; histogram: HistogramBar[] };
  /** Sessions with read-your-writes violations: how many, and the worst (at most 20). */
  rywBySession: { sessions: number; top: { sessionId: string; violations: number }[] };
  monotonicBySession: { sessions: number; top: { sessionId: string; violations: number }[] };
  /** The first stale reads (at most 20), with their age. */
  staleSamples: Record<string, unknown>[];
  monotonicSamples: Record<string, unknown>[];
  omitted: { stale: number; monotonic: number };
}

function empty(): StaleCounts {
  return {
    reads: 0,
    stale: 0,
    staleRate: null,
    concurrent: 0,
    failed: 0,
    rywViolations: 0,
    monotonicViolations: 0,
  };
}

function num(s: Sample, key: string): number | undefined {
  const v = s.detail?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function topSessions(counts: Map<string, number>): StaleReadsAnalysis['rywBySession'] {
  const top = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_EVIDENCE)
    .map(([sessionId, violations]) => ({ sessionId, violations }));
  return { sessions: counts.size, top };
}

export function analyzeStaleReads(run: RunRecord): StaleReadsAnalysis {
  const total = empty();
  const byPhase: Record<string, StaleCounts> = {};
  const counts = (s: Sample): StaleCounts[] => {
    const phase = phaseOf(run, s);
    if (phase === undefined) return [total];
    return [total, entry(byPhase, phase, empty)];
  };
  for (const p of run.phases) byPhase[p.name] = empty();

  const pct = (p: number) => {
    const v = percentile(ages, p);
    return v === null ? null : r3(v);
  };
  const ages: number[] = [];
  const behind: number[] = [];
  const stale: Record<string, unknown>[] = [];
  const ryw = new Map<string, number>();
  const sorted = byIntended(run.samples);

  for (const s of sorted) {
    const ackedVersion = num(s, 'ackedVersion');
    const ackedAt = num(s, 'ackedAt');
    if (ackedVersion === undefined || ackedAt === undefined) continue;
    const targets = counts(s);
    if (isFailure(s) || s.version === undefined) {
      for (const c of targets) c.failed++;
      continue;
    }
    if (s.intendedAt < ackedAt) {
      for (const c of targets) c.concurrent++;
      continue;
    }
    for (const c of targets) c.reads++;
    if (s.version >= ackedVersion) continue;
    const age = s.doneAt - ackedAt;
    ages.push(age);
    behind.push(ackedVersion - s.version);
    for (const c of targets) c.stale++;
    const ackedBy = s.detail?.ackedBy;
    if (s.sessionId !== undefined && (ackedBy === undefined || ackedBy === s.sessionId)) {
      for (const c of targets) c.rywViolations++;
      ryw.set(s.sessionId, (ryw.get(s.sessionId) ?? 0) + 1);
    }
    stale.push({ ...sampleView(s), ageMs: r3(age), versionsBehind: ackedVersion - s.version });
  }

  // Monotonic reads: per session and product, against what that session had already seen.
  const seen = new Map<string, { doneAt: number; version: number }[]>();
  const mono = new Map<string, number>();
  const monoSamples: Record<string, unknown>[] = [];
  for (const s of sorted) {
    const product = s.detail?.productId;
    if (product === undefined || s.sessionId === undefined || s.version === undefined || isFailure(s))
      continue;
    const key = `${s.sessionId}\u0000${String(product)}`;
    const earlier = seen.get(key) ?? [];
    let highest: number | undefined;
    for (const e of earlier)
      if (e.doneAt <= s.intendedAt) highest = Math.max(highest ?? e.version, e.version);
    if (highest !== undefined && s.version < highest) {
      for (const c of counts(s)) c.monotonicViolations++;
      mono.set(s.sessionId, (mono.get(s.sessionId) ?? 0) + 1);
      monoSamples.push({ ...sampleView(s), previouslySeen: highest });
    }
    earlier.push({ doneAt: s.doneAt, version: s.version });
    seen.set(key, earlier);
  }

  for (const c of [total, ...Object.values(byPhase)]) c.staleRate = ratio(c.stale, c.reads);
  const staleList = bounded(stale);
  const monoList = bounded(monoSamples);
  return {
    ...total,
    byPhase,
    ageMs: {
      p50: pct(50),
      p99: pct(99),
      max: ages.length ? r3(Math.max(...ages)) : null,
      histogram: histogram125(ages),
    },
    versionsBehind: { max: behind.length ? Math.max(...behind) : null, histogram: histogram125(behind) },
    rywBySession: topSessions(ryw),
    monotonicBySession: topSessions(mono),
    staleSamples: staleList.items,
    monotonicSamples: monoList.items,
    omitted: { stale: staleList.omitted, monotonic: monoList.omitted },
  };
}

export function staleReadsChecker(options?: StaleReadsOptions): Checker {
  const opts = parseOptions('stale-reads', staleReadsOptions, options);
  return {
    name: 'stale-reads',
    check(run: RunRecord): CheckResult {
      const a = analyzeStaleReads(run);
      const base = {
        checker: 'stale-reads',
        unit: 'ratio' as const,
        evidence: { ...a, maxRate: opts.maxRate },
      };
      if (a.reads === 0 || a.staleRate === null) {
        return {
          ...base,
          valid: 'unknown',
          summary: `no read-back of an acknowledged write to judge (${a.concurrent} concurrent, ${a.failed} failed)`,
        };
      }
      const valid = a.staleRate <= opts.maxRate;
      return {
        ...base,
        valid,
        value: a.staleRate,
        summary:
          `${a.stale} of ${a.reads} reads stale (${fmtPct(a.staleRate)}; limit ≤ ${fmtPct(opts.maxRate)})` +
          (a.stale ? `, age p99 ${a.ageMs.p99} ms, up to ${a.versionsBehind.max} versions behind` : '') +
          `; ${a.rywViolations} read-your-writes and ${a.monotonicViolations} monotonic-read violations`,
      };
    },
  };
}

const staleCountsEvidence = z.object({
  reads: zNum,
  stale: zNum,
  staleRate: zNumOrNull,
  concurrent: zNum,
  failed: zNum,
  rywViolations: zNum,
  monotonicViolations: zNum,
});

const stale = (a: StaleReadsAnalysis, phase: string | undefined): StaleCounts | undefined =>
  phase === undefined ? a : a.byPhase[phase];

export const staleReads = defineChecker({
  name: 'stale-reads',
  options: staleReadsOptions,
  evidence: staleCountsEvidence.extend({
    byPhase: z.record(z.string(), staleCountsEvidence),
    ageMs: z.object({ p50: zNumOrNull, p99: zNumOrNull, max: zNumOrNull, histogram: zBars }),
    versionsBehind: z.object({ max: zNumOrNull, histogram: zBars }),
    staleSamples: z.array(z.record(z.string(), z.unknown())),
    omitted: z.object({ stale: zNum, monotonic: zNum }).partial().optional(),
    maxRate: zNum.optional(),
  }),
  value: { unit: 'ratio', better: 'lower' },
  analyze: analyzeStaleReads,
  metrics: {
    'stale-read-rate': {
      unit: 'ratio',
      scope: 'phase',
      better: 'lower',
      description: 'stale / judged read-backs (see stale-reads.ts)',
      resolve: (a, phase) => stale(a, phase)?.staleRate,
    },
    'stale-reads': {
      unit: 'count',
      scope: 'phase',
      better: 'lower',
      description: 'stale read-backs',
      resolve: (a, phase) => (stale(a, phase)?.reads ? stale(a, phase)?.stale : undefined),
    },
    'monotonic-read-violations': {
      unit: 'count',
      scope: 'phase',
      better: 'lower',
      description: 'reads older than one the same session had already seen',
      resolve: (a, phase) => stale(a, phase)?.monotonicViolations,
    },
    'read-your-writes-violations': {
      unit: 'count',
      scope: 'phase',
      better: 'lower',
      description: "stale reads of the session's own write",
      resolve: (a, phase) => (stale(a, phase)?.reads ? stale(a, phase)?.rywViolations : undefined),
    },
  },
  create: staleReadsChecker,
});
