/**
 * A fault and its heal (one kind per file, like Toxiproxy's toxics). The engine calls inject, then
 * verify until it proves the fault took effect, and always heal (in finally, also on abort).
 */
import type { z } from 'zod';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { StartedTopology } from '../runtime/topology.ts';
import type { EventLog } from '../samples/event-log.ts';

export interface FaultContext {
  topology: StartedTopology;
  clock: Clock;
  events: EventLog;
  log: Logger;
  signal: AbortSignal;
}

/** When a fault took effect, on the run clock (e.g. a process died before its engine said so). */
export interface Actuation {
  at: number;
}

export interface Fault {
  /** e.g. "replica-lag". */
  readonly kind: string;
  /** Stable id for the event log and reports, e.g. "lb-backend-death:web-2". */
  readonly id: string;
  /** Puts the fault in place; says when it took effect if that was before it returned. */
  // biome-ignore lint/suspicious/noConfusingVoidType: most faults return nothing; a kill knows when it took effect
  inject(ctx: FaultContext): Promise<Actuation | void>;
  /** Proof the fault took effect (a canary, the LB's own state, ...); polled until true or timeout. */
  verify?(ctx: FaultContext): Promise<boolean>;
  /** Undoes the fault and waits until the system had it undone; safe to call twice or without inject. */
  heal(ctx: FaultContext): Promise<void>;
}

/**
 * A service or link a fault acts on, and the parameter that names it ("link", "replicas.0"; none
 * when the kind always acts on the same one, like cdn-origin-outage on cdn->lb).
 */
export type FaultTarget = { param?: string } & ({ service: string } | { link: string });

/** A fault kind: its validated parameters and how to make the fault from them. */
export interface FaultKind<S extends z.ZodType = z.ZodType> {
  readonly kind: string;
  readonly description: string;
  readonly params: S;
  /** What it acts on: checked against the topology's services and links before anything starts. */
  targets(params: z.output<S>): FaultTarget[];
  create(params: z.output<S>): Fault;
}

export function defineFault<S extends z.ZodType>(kind: FaultKind<S>): FaultKind {
  return kind as unknown as FaultKind;
}
