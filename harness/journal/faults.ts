/**
 * The faults of a run as records: each fault's id, kind, target and params and when each step of its
 * life happened. result.json stores them (schema v2): the run derives them here once, from its event
 * log and its experiment, when it writes the result, and a v1 result is upgraded with the same
 * function on read. The checkers, which judge the run before its result exists, read its faults
 * through this too; nobody takes fault ids apart themselves.
 */
import { z } from 'zod';
import type { RunEvent } from '../samples/run-event.ts';

const at = z.number().optional();

/** When each step of one fault's life happened (run-clock ms); absent: it did not happen. */
export const faultLifeSchema = z.object({
  requested: at,
  actuated: at,
  verified: at,
  /** Verification gave up: the fault never showed (the run is invalid). */
  unverified: at,
  healed: at,
  healFailed: at,
});

export const faultRecordSchema = z.object({
  /** Its kind and target, as the run names it: "lb-backend-death:web-2", "replica-lag:all". */
  id: z.string(),
  kind: z.string(),
  /** What it acts on: a service ("web-2"), a link ("cdn->lb"), "all", "a+b"; absent without one. */
  target: z.string().optional(),
  /** The fault's parameters as the experiment gave them (without its kind); {} when not known. */
  params: z.record(z.string(), z.unknown()),
  life: faultLifeSchema,
});

export type FaultLife = z.infer<typeof faultLifeSchema>;
export type FaultRecord = z.infer<typeof faultRecordSchema>;

/** What faultRecords reads: the events, and the experiment copy when there is one (a checker has none). */
export interface FaultSource {
  events: readonly RunEvent[];
  experiment?: { definition: Record<string, unknown> };
  /** The variant that ran: its own faults, when it has them, are the ones that ran. */
  variant?: string | null;
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
  const definition = source.experiment?.definition;
  const variants = Array.isArray(definition?.variants) ? (definition.variants as unknown[]) : [];
  const variant = variants.find(
    (v): v is { faults?: unknown } =>
      !!v && typeof v === 'object' && (v as { name?: unknown }).name === source.variant,
  );
  const faults = variant?.faults ?? definition?.faults;
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
