/**
 * A fault and its heal (one kind per file, like Toxiproxy's toxics). The engine calls inject, then
 * verify until it proves the fault took effect, and always heal (in finally, also on abort).
 */
import type { z } from 'zod';
import type { Composition } from '../components/composition.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { StartedTopology } from '../runtime/topology.ts';
import type { EventLog } from '../samples/event-log.ts';

/** What a fault's inject, verify and heal are given. */
export interface FaultContext {
  /** The running system: `service(name)` to kill, pause or restart one, `proxy(link)` for a link's Toxiproxy proxy. */
  topology: StartedTopology;
  /** The run clock (ms since load started), the time base of result.json's events. */
  clock: Clock;
  events: EventLog;
  log: Logger;
  /** Aborted when the run is being stopped (Ctrl-C); heals get one that never is. */
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

/**
 * A fault kind: its validated parameters and how to make the fault from them. What `defineFault`
 * takes, for the built-in kinds (harness/faults/<kind>.ts) and for a user's own.
 */
export interface FaultKind<S extends z.ZodType = z.ZodType> {
  /**
   * The name result.json, reports and fault ids use: lowercase words joined by dashes, e.g.
   * "slow-link". A user's own kind may not take a built-in kind's name (`faultline list` shows them).
   */
  readonly kind: string;
  /** One line for people: what it breaks and what its heal restores. */
  readonly description: string;
  /**
   * Its parameters, a strict zod object with defaults (`z.object({...}).strict()`): an experiment's
   * fault entry without `kind` is checked against it before anything starts, every problem named.
   */
  readonly params: S;
  /**
   * What it acts on, from its parameters: each service or link with the parameter naming it (e.g.
   * `[{ param: 'link', link }]`), checked against the topology's services and links before anything starts.
   */
  targets(params: z.output<S>): FaultTarget[];
  /**
   * What else it needs of the topology, checked before anything starts like its targets: a problem
   * in words ("the app has no staticDir: ..."), or undefined when it has it.
   */
  needs?(params: z.output<S>, composition: Composition): string | undefined;
  /**
   * The fault, from its validated parameters (defaults applied). Its `kind` is this kind's and its
   * `id` is `<kind>:<service or link>` (e.g. "slow-link:web-1->cache-1"): reports find the part from it.
   */
  create(params: z.output<S>): Fault;
}

const FAULT_KIND = Symbol.for('faultline.fault-kind');

/**
 * Defines a fault kind: an experiment uses it in place of a kind's name, `faults: [{ kind: slowLink,
 * link: 'web-1->cache-1' }]`, and result.json names it by its `kind`. The engine calls `inject` at
 * the start of the fault phase, polls `verify` until it proves the fault took effect, and always
 * calls `heal` (at the end of the phase, and in `finally` if the run stops). A heal leaves no toxic
 * on any link and every service running: a run checks that afterwards.
 *
 * @example
 * const slowLink = defineFault({
 *   kind: 'slow-link',
 *   description: 'adds latency to one link (a Toxiproxy latency toxic)',
 *   params: z.object({ link: z.string(), latency: z.number().int().min(1).default(200) }).strict(),
 *   targets: ({ link }) => [{ param: 'link', link }],
 *   create: ({ link, latency }) => ({
 *     kind: 'slow-link',
 *     id: `slow-link:${link}`,
 *     async inject({ topology }) {
 *       await topology.proxy(link).addToxic({ name: 'slow-link', type: 'latency', stream: 'downstream',
 *         toxicity: 1, attributes: { latency, jitter: 0 } });
 *     },
 *     verify: ({ topology }) => topology.proxy(link).getToxic('slow-link').then(() => true, () => false),
 *     async heal({ topology }) {
 *       const toxic = await topology.proxy(link).getToxic('slow-link').catch(() => undefined);
 *       await toxic?.remove();
 *     },
 *   }),
 * });
 */
export function defineFault<S extends z.ZodType>(kind: FaultKind<S>): FaultKind {
  return Object.freeze({ ...kind, [FAULT_KIND]: true }) as unknown as FaultKind;
}

export function isFaultKind(value: unknown): value is FaultKind {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FAULT_KIND] === true
  );
}
