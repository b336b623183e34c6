/**
 * Test helpers: RunRecords built from hand-written samples and events, with real metrics (a
 * MetricsRecorder fed the same samples, each under the phase its intended time falls in).
 */
import { MetricsRecorder } from '../metrics/recorder.ts';
import type { RunEvent, RunEventOf } from '../samples/event-log.ts';
import { ErrorCodes, type Sample } from '../samples/sample.ts';
import type { PhaseWindow, RunRecord } from './checker.ts';

/** Consecutive phases from t = 0, e.g. phases(['baseline', 5000], ['fault', 5000]). */
export function phases(...spec: [string, number][]): PhaseWindow[] {
  let t = 0;
  return spec.map(([name, length]) => {
    const w = { name, startMs: t, endMs: t + length };
    t += length;
    return w;
  });
}

export const STANDARD = phases(['baseline', 10_000], ['fault', 10_000], ['recovery', 10_000]);

export function record(input: {
  samples?: Sample[];
  events?: RunEvent[];
  phases?: PhaseWindow[];
  bucketWidthMs?: number;
}): RunRecord {
  const windows = input.phases ?? STANDARD;
  const samples = input.samples ?? [];
  const recorder = new MetricsRecorder({ bucketWidthMs: input.bucketWidthMs ?? 1000 });
  // As the run does: by intended time, before the first window → first, after the last → last.
  const phaseAt = (t: number) => (windows.find((w) => t < w.endMs) ?? windows.at(-1))?.name ?? 'run';
  for (const s of samples) recorder.record(s, phaseAt(s.intendedAt));
  return {
    experiment: 'test',
    phases: windows,
    samples,
    events: input.events ?? [],
    metrics: recorder.snapshot(),
  };
}

/** An ok sample intended at `t`, sent at once, answered after `latency` ms. */
export function ok(t: number, extra: Partial<Sample> = {}, latency = 5): Sample {
  return {
    request: 'GET /products/:id',
    intendedAt: t,
    sentAt: t,
    doneAt: t + latency,
    outcome: 'ok',
    status: 200,
    ...extra,
  };
}

export function failed(t: number, extra: Partial<Sample> = {}, latency = 5): Sample {
  return { ...ok(t, {}, latency), outcome: 'fail', status: 503, ...extra };
}

export function dropped(t: number, extra: Partial<Sample> = {}): Sample {
  return {
    request: 'GET /products/:id',
    intendedAt: t,
    doneAt: t,
    outcome: 'fail',
    error: ErrorCodes.dropped,
    ...extra,
  };
}

/** Samples every `step` ms in [from, to), made by `make(t)`. */
export function every(from: number, to: number, step: number, make: (t: number) => Sample): Sample[] {
  const out: Sample[] = [];
  for (let t = from; t < to; t += step) out.push(make(t));
  return out;
}

export function actuated(at: number, fault = 'lb-backend-death:web-2'): RunEvent {
  return { at, kind: 'fault-actuated', fault };
}

export function healed(at: number, fault = 'lb-backend-death:web-2'): RunEvent {
  return { at, kind: 'fault-healed', fault };
}

export function observed(at: number, source: string, detail: RunEventOf<'observation'>['detail']): RunEvent {
  return { at, kind: 'observation', source, detail };
}

/** The request and id of a ledger write intended at `t` (its id is "w<t>"). */
export function ledger(t: number): Partial<Sample> {
  return { request: 'POST /ledger/:id', detail: { ledgerId: `w${t}` } };
}

/** A ledger write intended at `t`, acknowledged (201) after `latency` ms, committed by `writtenTo`. */
export function ackedWrite(t: number, writtenTo?: string, latency = 5): Sample {
  return ok(t, { ...ledger(t), status: 201, ...(writtenTo ? { writtenTo } : {}) }, latency);
}
