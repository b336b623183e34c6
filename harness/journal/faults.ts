/**
 * The faults of a run as records, derived in one place from result.json: each fault's id, kind,
 * target and params (from the experiment copy) and its life from the event log. Checkers, the
 * report and compare read faults through this, never by taking ids apart themselves.
 */
import type { RunEvent } from '../samples/run-event.ts';

/** When each step of one fault's life happened (run-clock ms); absent: it did not happen. */
export interface FaultLife {
  requested?: number;
  actuated?: number;
  verified?: number;
  /** Verification gave up: the fault never showed (the run is invalid). */
  unverified?: number;
  healed?: number;
  healFailed?: number;
}

export interface FaultRecord {
  /** Its kind and target, as the run names it: "lb-backend-death:web-2", "replica-lag:all". */
  id: string;
  kind: string;
  /** What it acts on: a service ("web-2"), a link ("cdn->lb"), "all", "a+b"; absent without one. */
  target?: string;
  /** The fault's parameters as the experiment gave them (without its kind); {} when not known. */
  params: Record<string, unknown>;
  life: FaultLife;
}

/** What faultRecords reads: the events, and the experiment copy when there is one (a checker has none). */
export interface FaultSource {
  events: readonly RunEvent[];
  experiment?: { definition: Record<string, unknown> };
}

type FaultEvent = Extract<RunEvent, { fault: string }>;

const STEP: Record<FaultEvent['kind'], keyof FaultLife> = {
  'fault-requested': 'requested',
  'fault-actuated': 'actuated',
  'fault-verified': 'verified',
  'fault-unverified': 'unverified',
  'fault-healed': 'healed',
  'fault-heal-failed': 'healFailed',
};

const isFaultEvent = (e: RunEvent): e is FaultEvent => e.kind in STEP;

/** An id is `<kind>:<target>` (the fault factories build it so); the kind never holds a colon. */
function parseId(id: string): { kind: string; target?: string } {
  const colon = id.indexOf(':');
  return colon < 0 ? { kind: id } : { kind: id.slice(0, colon), target: id.slice(colon + 1) };
}

function definedFaults(source: FaultSource): Record<string, unknown>[] {
  const faults = source.experiment?.definition.faults;
  return Array.isArray(faults)
    ? faults.filter((f): f is Record<string, unknown> => !!f && typeof f === 'object')
    : [];
}

/**
 * Every fault life in the run, in the order they began. A request begins a life, and so does an
 * actuation of a fault whose life was already actuated (injected again) or any step of a fault with
 * no life open; a heal or a failed heal ends it. A step that repeats inside one life keeps its first time.
 * Params come from the experiment's faults: the n-th fault id of a kind takes the n-th fault of that kind.
 */
export function faultRecords(source: FaultSource): FaultRecord[] {
  const sorted = source.events
    .filter((e): e is FaultEvent => isFaultEvent(e) && Number.isFinite(e.at))
    .sort((a, b) => a.at - b.at);
  const defined = definedFaults(source);
  const paramsOf = new Map<string, Record<string, unknown>>();
  const params = (id: string, kind: string) => {
    let found = paramsOf.get(id);
    if (!found) {
      const n = [...paramsOf.keys()].filter((other) => parseId(other).kind === kind).length;
      const { kind: _, ...rest } = defined.filter((f) => f.kind === kind)[n] ?? {};
      found = rest;
      paramsOf.set(id, found);
    }
    return found;
  };
  const records: FaultRecord[] = [];
  const open = new Map<string, FaultRecord>();
  for (const e of sorted) {
    let record = open.get(e.fault);
    if (
      !record ||
      e.kind === 'fault-requested' ||
      (e.kind === 'fault-actuated' && record.life.actuated !== undefined)
    ) {
      const { kind, target } = parseId(e.fault);
      record = {
        id: e.fault,
        kind,
        ...(target === undefined ? {} : { target }),
        params: params(e.fault, kind),
        life: {},
      };
      records.push(record);
      open.set(e.fault, record);
    }
    record.life[STEP[e.kind]] ??= e.at;
    if (e.kind === 'fault-healed' || e.kind === 'fault-heal-failed') open.delete(e.fault);
  }
  return records;
}
