/**
 * The run's events as result.json records them, one shape per kind: phases, the life of every
 * fault (requested → actuated → verified → healed), and observations polled from the system.
 * The event log (harness/samples/event-log.ts) writes exactly these; times are ms on the run clock.
 */
import { z } from 'zod';

/** What an observation saw, or why a heal failed: flat JSON values only. */
const detail = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

const at = z.number();

const phaseEvent = <K extends string>(kind: K) => z.object({ at, kind: z.literal(kind), phase: z.string() });

/** `fault` is the fault's id, its kind and target (e.g. "lb-backend-death:web-2"). */
const faultEvent = <K extends string>(kind: K) => z.object({ at, kind: z.literal(kind), fault: z.string() });

export const runEventSchema = z.discriminatedUnion('kind', [
  phaseEvent('phase-start'),
  phaseEvent('phase-end'),
  faultEvent('fault-requested'),
  faultEvent('fault-actuated'),
  faultEvent('fault-verified'),
  faultEvent('fault-unverified'),
  faultEvent('fault-healed'),
  faultEvent('fault-heal-failed').extend({ detail: z.object({ error: z.string() }) }),
  z.object({
    at,
    kind: z.literal('observation'),
    /** What was observed: e.g. "haproxy.server", "pg.replication", "redis.stats", "pg.canary". */
    source: z.string(),
    /** Set when a fault's own inject or verify observed it (not the run's observers). */
    fault: z.string().optional(),
    detail,
  }),
]);

export type RunEvent = z.infer<typeof runEventSchema>;
export type RunEventKind = RunEvent['kind'];
/** An event of one kind. */
export type RunEventOf<K extends RunEventKind> = Extract<RunEvent, { kind: K }>;
