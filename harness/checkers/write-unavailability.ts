/**
 * write-unavailability: how long after each fault took effect no write was acknowledged, and what
 * users saw meanwhile (failed and timed-out writes; whether reads kept being served).
 *
 * Definitions (times in ms on the run clock):
 * - A *write* is a sample with a string detail.ledgerId; it is *acknowledged* when its outcome is
 *   ok (and it was sent). Every other sample is a *read*.
 * - For each fault-actuated event at A, the window looks at samples intended before the next fault
 *   actuated after this one's heal (faults injected together, or while it lasts, share its window).
 * - *Acks after A*: the acknowledged writes intended at or after A (a write already in flight at A
 *   says nothing about whether writes came back), by doneAt. Before them stands the last ack
 *   before: the acknowledged write with the largest doneAt ≤ A (A itself when there is none).
 * - The outage is the longest gap in that sequence, from S (an ack's doneAt) to E (the next ack's
 *   doneAt): unavailabilityMs = E − S, the gap in acknowledged writes a user would see on a graph of
 *   acks. After a crash it is the first gap, from the last ack before A, not from A (A is recorded
 *   once inject returned: a kill can take effect before it). Under a partition the old primary may
 *   go on acknowledging writes after A, so the outage begins at its last ack, not at A.
 * - *Not recovered*: writes intended after the last ack failed and none was acknowledged, and that
 *   open gap (to the intended time of the window's last sample) is the longest; or no write intended
 *   at or after A was acknowledged at all. E is then that last intended time (at least A): a lower
 *   bound, and the metric is Infinity (writes never came back within the run). No write tried after
 *   A: the run cannot tell (unavailabilityMs null).
 * - lastAckBeforeMs and firstAckAfterMs are S − A and E − A (the first may be > 0: writes went on
 *   after A until the outage began).
 * - In the outage: failed writes (fail, info or dropped) and, of them, timed-out ones (error
 *   TIMEOUT), by cause; reads ok and failed (do the replicas keep serving?); both counting the
 *   samples in flight in it (doneAt > S, intendedAt ≤ E).
 * - The failover manager's observations (source "failover", detail.action "detected", "promoted",
 *   "endpoint-switched", detail.node the promoted node): the first of each from the fault's request
 *   (or A) to the window's end, as ms after A (0 when recorded before A).
 *
 * valid: 'unknown' if no (selected) fault was actuated, the run has no ledger write, or no write was
 * tried after a fault; false if writes did not recover after some fault, or unavailabilityMs > maxMs
 * (when given); true otherwise. value: the largest unavailabilityMs (a lower bound if not recovered).
 */
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import { round3 as r3 } from '../core/round.ts';
import type { RunEventOf } from '../samples/event-log.ts';
import { ErrorCodes, type Sample } from '../samples/sample.ts';
import { type Checker, type CheckResult, defineChecker, type RunRecord } from './checker.ts';
import {
  actuatedFaults,
  byIntended,
  faultSelected,
  fmtMs,
  isDropped,
  isFailure,
  ledgerIdOf,
  parseOptions,
  worst,
  zNum,
  zNumOrNull,
} from './support.ts';

type Observation = RunEventOf<'observation'>;

export const writeUnavailabilityOptions = z
  .object({
    /** Longest acceptable write outage, ms or a duration like "5s". */
    maxMs: durationSchema.optional(),
    /** Only faults with these ids or kinds (default: all). */
    faults: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type WriteUnavailabilityOptions = z.input<typeof writeUnavailabilityOptions>;

export interface WriteOutage {
  fault: string;
  actuatedAt: number;
  healedAt?: number;
  /** S − A and E − A: the acks the outage lies between (see the header); null when there is none. */
  lastAckBeforeMs: number | null;
  firstAckAfterMs: number | null;
  /** The node that committed the first ack after (sample.writtenTo), when known. */
  firstAckWrittenTo: string | null;
  /** E − S (see the header); a lower bound when not recovered; null when no write was tried after A. */
  unavailabilityMs: number | null;
  recovered: boolean;
  /** Writes that failed in the outage (timeouts included), and of them those that timed out. */
  failedWrites: number;
  timedOutWrites: number;
  /** Failed writes by error code or HTTP status (e.g. "ECONNREFUSED", "503", "TIMEOUT", "DROPPED"). */
  writeFailuresByCause: Record<string, number>;
  readsOk: number;
  readsFailed: number;
  /** The failover manager's first detection, promotion and endpoint switch, ms after A. */
  detectedMs: number | null;
  promotedMs: number | null;
  endpointSwitchedMs: number | null;
  promotedNode: string | null;
}

export interface WriteUnavailabilityAnalysis {
  /** Ledger writes in the run, and of them acknowledged. */
  writes: number;
  acknowledged: number;
  faults: WriteOutage[];
  /** The largest unavailabilityMs (null when none is known). */
  maxUnavailabilityMs: number | null;
}

const isAck = (s: Sample) => s.outcome === 'ok' && !isDropped(s);

function causeOf(s: Sample): string {
  if (isDropped(s)) return 'DROPPED';
  return s.error ?? (s.status !== undefined ? String(s.status) : s.outcome);
}

interface Gap {
  S: number;
  E: number;
  /** The ack that ended it; none when writes never came back. */
  firstAfter?: Sample;
  /** Whether S is an ack's doneAt (not A, for want of one). */
  fromAck: boolean;
}

/**
 * The longest gap between consecutive acks, starting at `start` (the last ack before A, or A), or
 * the open gap after the last ack when writes tried after it all failed (see the header).
 */
function longestGap(
  start: { at: number; isAck: boolean },
  later: Sample[],
  tried: Sample[],
  lastLooked: number,
): Gap {
  let best: Gap | undefined;
  let previous = start.at;
  let fromAck = start.isAck;
  for (const ack of later) {
    if (!best || ack.doneAt - previous > best.E - best.S) {
      best = { S: previous, E: ack.doneAt, firstAfter: ack, fromAck };
    }
    previous = Math.max(previous, ack.doneAt);
    fromAck = true;
  }
  const failedAfterLast = tried.some((s) => s.intendedAt > previous && isFailure(s));
  if (!best || (failedAfterLast && lastLooked - previous > best.E - best.S)) {
    return { S: previous, E: Math.max(previous, lastLooked), fromAck };
  }
  return best;
}

/** The first failover observation with this action in [from, to), as ms after A (at least 0). */
function firstAction(events: Observation[], action: string, from: number, to: number, A: number) {
  const e = events.find((x) => x.detail.action === action && x.at >= from && x.at < to);
  return e ? { ms: r3(Math.max(0, e.at - A)), node: e.detail.node } : undefined;
}

export function analyzeWriteUnavailability(
  run: RunRecord,
  options?: WriteUnavailabilityOptions,
): WriteUnavailabilityAnalysis {
  const opts = parseOptions('write-unavailability', writeUnavailabilityOptions, options);
  const sorted = byIntended(run.samples);
  const writes = sorted.filter((s) => ledgerIdOf(s) !== undefined);
  const acks = writes.filter(isAck);
  const failover = run.events
    .filter((e): e is Observation => e.kind === 'observation' && e.source === 'failover')
    .sort((a, b) => a.at - b.at);
  const actuated = actuatedFaults(run.events);
  const faults: WriteOutage[] = [];
  for (const fault of actuated) {
    if (!faultSelected(fault, opts.faults)) continue;
    const A = fault.life.actuated;
    const after = fault.life.healed ?? Number.POSITIVE_INFINITY;
    const horizon = actuated.find((l) => l.life.actuated > after)?.life.actuated ?? Number.POSITIVE_INFINITY;
    const inWindow = (s: Sample) => s.intendedAt < horizon;
    const lastBefore = acks.reduce<Sample | undefined>(
      (l, s) => (s.doneAt <= A && (!l || s.doneAt > l.doneAt) ? s : l),
      undefined,
    );
    const later = acks.filter((s) => s.intendedAt >= A && inWindow(s)).sort((a, b) => a.doneAt - b.doneAt);
    const windowWrites = writes.filter((s) => s.intendedAt >= A && inWindow(s));
    const lastLooked = Math.max(A, sorted.filter(inWindow).at(-1)?.intendedAt ?? A);
    const start = { at: lastBefore?.doneAt ?? A, isAck: lastBefore !== undefined };
    const gap = longestGap(start, later, windowWrites, lastLooked);
    const { S, E, firstAfter } = gap;
    const during = sorted.filter((s) => s.doneAt > S && s.intendedAt <= E && inWindow(s));
    const failedWrites = during.filter((s) => ledgerIdOf(s) !== undefined && isFailure(s));
    const reads = during.filter((s) => ledgerIdOf(s) === undefined);
    const byCause: Record<string, number> = {};
    for (const f of failedWrites) byCause[causeOf(f)] = (byCause[causeOf(f)] ?? 0) + 1;
    const from = Math.min(A, fault.life.requested ?? A);
    const detected = firstAction(failover, 'detected', from, horizon, A);
    const promoted = firstAction(failover, 'promoted', from, horizon, A);
    const switched = firstAction(failover, 'endpoint-switched', from, horizon, A);
    faults.push({
      fault: fault.id,
      actuatedAt: r3(A),
      ...(fault.life.healed !== undefined ? { healedAt: r3(fault.life.healed) } : {}),
      lastAckBeforeMs: gap.fromAck ? r3(S - A) : null,
      firstAckAfterMs: firstAfter ? r3(E - A) : null,
      firstAckWrittenTo: firstAfter?.writtenTo ?? null,
      unavailabilityMs: windowWrites.length ? r3(E - S) : null,
      recovered: firstAfter !== undefined,
      failedWrites: failedWrites.length,
      timedOutWrites: failedWrites.filter((s) => s.error === ErrorCodes.timeout).length,
      writeFailuresByCause: byCause,
      readsOk: reads.filter((s) => !isFailure(s)).length,
      readsFailed: reads.filter(isFailure).length,
      detectedMs: detected?.ms ?? null,
      promotedMs: promoted?.ms ?? null,
      endpointSwitchedMs: switched?.ms ?? null,
      promotedNode: typeof promoted?.node === 'string' ? promoted.node : null,
    });
  }
  const known = faults.flatMap((f) => (f.unavailabilityMs === null ? [] : [f.unavailabilityMs]));
  return {
    writes: writes.length,
    acknowledged: acks.length,
    faults,
    maxUnavailabilityMs: known.length ? Math.max(...known) : null,
  };
}

/** Whether the analysis can judge at all: a fault took effect and the run wrote to the ledger. */
const judgeable = (a: WriteUnavailabilityAnalysis) => a.faults.length > 0 && a.writes > 0;

/** Said when writes went on after the fault took effect (a partition), so the outage began later. */
function lateStart(f: WriteOutage): string {
  const at = f.lastAckBeforeMs;
  return at !== null && at > 0 ? ` (from ${fmtMs(at)} into it, when writes stopped being acknowledged)` : '';
}

function outageLine(f: WriteOutage): string {
  const failover =
    f.promotedMs !== null
      ? `; ${f.promotedNode ?? 'a replica'} promoted after ${fmtMs(f.promotedMs)}`
      : f.detectedMs !== null
        ? `; the failover manager detected it after ${fmtMs(f.detectedMs)} but promoted nothing`
        : '';
  return (
    `${f.failedWrites} failed writes (${f.timedOutWrites} timed out), reads ${f.readsOk} ok / ${f.readsFailed} failed` +
    failover
  );
}

export function writeUnavailabilityChecker(options?: WriteUnavailabilityOptions): Checker {
  const opts = parseOptions('write-unavailability', writeUnavailabilityOptions, options);
  return {
    name: 'write-unavailability',
    check(run: RunRecord): CheckResult {
      const a = analyzeWriteUnavailability(run, opts);
      const evidence = { ...a, ...(opts.maxMs !== undefined ? { maxMs: opts.maxMs } : {}) };
      const base = { checker: 'write-unavailability', unit: 'ms' as const, evidence };
      if (a.faults.length === 0) return { ...base, valid: 'unknown', summary: 'no fault was actuated' };
      if (!judgeable(a)) {
        return { ...base, valid: 'unknown', summary: 'the run made no ledger write (detail.ledgerId)' };
      }
      const value = a.maxUnavailabilityMs ?? undefined;
      const withValue = value !== undefined ? { value } : {};
      const down = a.faults.filter((f) => f.unavailabilityMs !== null && !f.recovered);
      if (down.length) {
        const f = down[0] as WriteOutage;
        return {
          ...base,
          ...withValue,
          valid: false,
          summary:
            `no write was acknowledged after ${down.map((x) => x.fault).join(', ')}${lateStart(f)} before the run ended ` +
            `(≥ ${fmtMs(f.unavailabilityMs ?? 0)}): ${outageLine(f)}`,
        };
      }
      const blind = a.faults.filter((f) => f.unavailabilityMs === null);
      if (blind.length || value === undefined) {
        return {
          ...base,
          ...withValue,
          valid: 'unknown',
          summary: `no write was tried after ${blind.map((f) => f.fault).join(', ')}`,
        };
      }
      const f = a.faults.find((x) => x.unavailabilityMs === value) as WriteOutage;
      return {
        ...base,
        value,
        valid: opts.maxMs === undefined || value <= opts.maxMs,
        summary:
          `writes unavailable for ${fmtMs(value)} after ${f.fault}${lateStart(f)}` +
          `${opts.maxMs !== undefined ? ` (limit ≤ ${fmtMs(opts.maxMs)})` : ''}: ${outageLine(f)}`,
      };
    },
  };
}

export const writeUnavailability = defineChecker({
  name: 'write-unavailability',
  options: writeUnavailabilityOptions,
  evidence: z.object({
    writes: zNum,
    acknowledged: zNum,
    maxUnavailabilityMs: zNumOrNull,
    maxMs: zNum.optional(),
    faults: z.array(
      z.object({
        fault: z.string(),
        actuatedAt: zNum,
        healedAt: zNum.optional(),
        lastAckBeforeMs: zNumOrNull,
        firstAckAfterMs: zNumOrNull,
        firstAckWrittenTo: z.string().nullable().optional(),
        unavailabilityMs: zNumOrNull,
        recovered: z.boolean(),
        failedWrites: zNum,
        timedOutWrites: zNum,
        writeFailuresByCause: z.record(z.string(), zNum).optional(),
        readsOk: zNum,
        readsFailed: zNum,
        detectedMs: zNumOrNull.optional(),
        promotedMs: zNumOrNull.optional(),
        endpointSwitchedMs: zNumOrNull.optional(),
        promotedNode: z.string().nullable().optional(),
      }),
    ),
  }),
  value: { unit: 'ms', better: 'lower' },
  analyze: analyzeWriteUnavailability,
  metrics: {
    'write-unavailability': {
      unit: 'ms',
      scope: 'run',
      better: 'lower',
      description:
        'from the last write acknowledged before the fault to the first one sent after it (see write-unavailability.ts)',
      resolve: (a) =>
        judgeable(a)
          ? worst(
              a.faults.map((x) => x.unavailabilityMs),
              a.faults.map((x) => x.unavailabilityMs !== null && !x.recovered),
            )
          : undefined,
    },
    'time-to-promote': {
      unit: 'ms',
      scope: 'run',
      better: 'lower',
      description:
        'from the fault to the failover manager promoting a replica (Infinity: it detected the loss but promoted none)',
      resolve: ({ faults }) =>
        faults.every((x) => x.detectedMs === null && x.promotedMs === null)
          ? undefined
          : worst(
              faults.map((x) => x.promotedMs),
              faults.map((x) => x.detectedMs !== null && x.promotedMs === null),
            ),
    },
  },
  create: writeUnavailabilityChecker,
});
