/**
 * Where a running experiment is, for progress displays: the phase, time left, and which faults are
 * in effect — read from the event log, so a fault drops out the moment its heal is recorded, and a
 * fault still in place after its window closed shows as being healed, not as in effect.
 */
import type { RunEvent } from '../samples/event-log.ts';

export interface RunStatusLine {
  phase: string;
  /** Milliseconds left in the phase. */
  leftMs: number;
  /** Milliseconds of load left in the whole run (this phase and the ones after it). */
  runLeftMs: number;
  /** Faults in effect right now (ids). */
  faults: string[];
  /** Faults whose window is over and whose heal has not finished yet (ids). */
  healing: string[];
}

interface Window {
  name: string;
  startMs: number;
  endMs: number;
}

export function runStatus(
  now: number,
  windows: readonly Window[],
  events: readonly RunEvent[],
): RunStatusLine {
  const window = windows.find((w) => now < w.endMs) ?? windows.at(-1);
  const faultEnd = windows.find((w) => w.name === 'fault')?.endMs ?? Number.POSITIVE_INFINITY;
  const unhealed = new Set<string>();
  for (const e of events) {
    if (!('fault' in e) || e.fault === undefined) continue;
    if (e.kind === 'fault-requested') unhealed.add(e.fault);
    else if (e.kind === 'fault-healed' || e.kind === 'fault-heal-failed') unhealed.delete(e.fault);
  }
  const ids = [...unhealed];
  const over = now >= faultEnd;
  return {
    phase: window?.name ?? '',
    leftMs: Math.max(0, (window?.endMs ?? now) - now),
    runLeftMs: Math.max(0, (windows.at(-1)?.endMs ?? now) - now),
    faults: over ? [] : ids,
    healing: over ? ids : [],
  };
}
