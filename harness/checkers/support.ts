/**
 * Shared by the checkers: which phase a time belongs to, what counts as a failed request, the
 * faults that took effect (their records from harness/journal), option parsing, and small bounded-evidence helpers.
 */
import { z } from 'zod';
import { round3 as r3 } from '../core/round.ts';
import { parseOrThrow } from '../core/validation.ts';
import { type FaultLife, type FaultRecord, faultRecords } from '../journal/index.ts';
import type { RunEvent } from '../samples/event-log.ts';
import type { Sample } from '../samples/sample.ts';
import type { PhaseWindow, RunRecord } from './checker.ts';

/** At most this many offending samples (or other items) in a checker's evidence. */
export const MAX_EVIDENCE = 20;

/**
 * The phase whose window holds run-clock time `t`: [startMs, endMs), the last phase also taking
 * its end. Undefined outside every window.
 */
export function phaseAt(phases: readonly PhaseWindow[], t: number): string | undefined {
  for (const p of phases) if (t >= p.startMs && t < p.endMs) return p.name;
  const last = phases.at(-1);
  return last && t === last.endMs ? last.name : undefined;
}

/** The phase a sample belongs to: the one its intended time falls in (like the metrics buckets). */
export function phaseOf(run: RunRecord, sample: Sample): string | undefined {
  return phaseAt(run.phases, sample.intendedAt);
}

/** The end of the run as the phases define it (or the last sample's completion without phases). */
export function runEndMs(run: RunRecord): number {
  let end = Number.NEGATIVE_INFINITY;
  for (const p of run.phases) end = Math.max(end, p.endMs);
  if (end > Number.NEGATIVE_INFINITY) return end;
  for (const s of run.samples) end = Math.max(end, s.doneAt);
  return end > Number.NEGATIVE_INFINITY ? end : 0;
}

/** Dropped: never sent because the in-flight cap was reached (no sentAt). */
export function isDropped(s: Sample): boolean {
  return s.sentAt === undefined;
}

/** A request the user did not get a good answer to: fail, info (e.g. timeout) or dropped. */
export function isFailure(s: Sample): boolean {
  return s.outcome !== 'ok' || isDropped(s);
}

/**
 * The ledger id of a ledger write (detail.ledgerId, a client-made id unique per write), undefined
 * for any other sample: writes are known by that id, not by their request's name.
 */
export function ledgerIdOf(s: Sample): string | undefined {
  const id = s.detail?.ledgerId;
  return typeof id === 'string' ? id : undefined;
}

/** Samples ordered by intended time, then completion (a stable copy; the record is left alone). */
export function byIntended(samples: readonly Sample[]): Sample[] {
  return [...samples].sort((a, b) => a.intendedAt - b.intendedAt || a.doneAt - b.doneAt);
}

/** A fault that took effect: its record, with the time it was actuated. */
export type ActuatedFault = FaultRecord & { life: FaultLife & { actuated: number } };

/** The faults that were actuated, in the order they took effect (their records: harness/journal). */
export function actuatedFaults(events: readonly RunEvent[]): ActuatedFault[] {
  return faultRecords({ events })
    .filter((f): f is ActuatedFault => f.life.actuated !== undefined)
    .sort((a, b) => a.life.actuated - b.life.actuated);
}

/** Whether a fault is selected by a list of ids or kinds (no list: every fault). */
export function faultSelected(fault: FaultRecord, wanted: readonly string[] | undefined): boolean {
  return !wanted || wanted.includes(fault.id) || wanted.includes(fault.kind);
}

/** A ratio, or null when the denominator is 0 (null survives JSON, undefined would vanish). */
export function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

/** Exact percentile (nearest rank) of a list of numbers; null for an empty list. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** One bar of a histogram: values v with previous bound < v ≤ `le` (the first bar from -∞). */
export interface HistogramBar {
  le: number;
  count: number;
}

/**
 * A coarse histogram for reports, with bounds 1, 2, 5, 10, 20, 50, ... (so its size stays bounded
 * whatever the values): only bars holding something, ascending.
 */
export function histogram125(values: readonly number[]): HistogramBar[] {
  const bars = new Map<number, number>();
  for (const v of values) {
    let le = 1;
    for (let step = 0; v > le; step++) le *= step % 3 === 1 ? 2.5 : 2;
    bars.set(le, (bars.get(le) ?? 0) + 1);
  }
  return [...bars].sort((a, b) => a[0] - b[0]).map(([le, count]) => ({ le, count }));
}

/** The first `max` items; the rest are only counted (evidence stays bounded). */
export function bounded<T>(items: readonly T[], max = MAX_EVIDENCE): { items: T[]; omitted: number } {
  return { items: items.slice(0, max), omitted: Math.max(0, items.length - max) };
}

/** A compact, JSON-friendly view of a sample for evidence. */
export function sampleView(s: Sample): Record<string, unknown> {
  const view: Record<string, unknown> = {
    request: s.request,
    intendedAt: r3(s.intendedAt),
    doneAt: r3(s.doneAt),
    outcome: isDropped(s) ? 'dropped' : s.outcome,
  };
  for (const key of [
    'status',
    'error',
    'servedBy',
    'readFrom',
    'writtenTo',
    'cache',
    'version',
    'sessionId',
  ] as const) {
    if (s[key] !== undefined) view[key] = s[key];
  }
  if (s.detail) view.detail = s.detail;
  return view;
}

/** Parses a checker's options (undefined = defaults), naming every problem at once. */
export function parseOptions<S extends z.ZodType>(checker: string, schema: S, input: unknown): z.output<S> {
  return parseOrThrow(
    schema,
    input ?? {},
    `options of checker "${checker}"`,
    'CHECKER_OPTIONS_INVALID',
    'see the option list at the top of harness/checkers/<checker>.ts',
  );
}

export function fmtMs(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function fmtPct(x: number | null): string {
  return x === null ? 'n/a' : `${(x * 100).toFixed(x !== 0 && Math.abs(x) < 0.001 ? 3 : 2)}%`;
}

/** `record[key]`, created with `make()` first if absent. */
export function entry<T>(record: Record<string, T>, key: string, make: () => T): T {
  let value = record[key];
  if (value === undefined) {
    value = make();
    record[key] = value;
  }
  return value;
}

/** Evidence schema parts (see CheckerDefinition.evidence): a number, a number or null, histogram bars. */
export const zNum = z.number();
export const zNumOrNull = z.number().nullable();
export const zBars = z.array(z.object({ le: zNum, count: zNum }));

/** A per-phase count over `phase`, or summed over every phase when it is undefined (0 when absent). */
export function sumPhases<T>(
  byPhase: Record<string, T>,
  phase: string | undefined,
  f: (x: T) => number,
): number {
  if (phase === undefined) return Object.values(byPhase).reduce((n, x) => n + f(x), 0);
  const p = byPhase[phase];
  return p ? f(p) : 0;
}

/** The worst of per-fault results: null entries are unknown, 'never' ones Infinity. */
export function worst(values: (number | null)[], never: boolean[]): number | undefined {
  if (values.length === 0) return undefined;
  if (never.some(Boolean)) return Number.POSITIVE_INFINITY;
  if (values.some((v) => v === null)) return undefined;
  return Math.max(...(values as number[]));
}
