/**
 * The load part of an experiment (or of `faultline load`): which executor, which workload, and the
 * client's limits. Validated strictly; durations may be written "30s" or given in ms.
 */
import { z } from 'zod';
import { parseDuration } from '../core/duration.ts';

export const durationSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

const rate = z.number().positive({ message: 'must be > 0 (requests per second)' });

const constantArrivalRate = z
  .object({
    executor: z.literal('constant-arrival-rate'),
    rate,
    arrivals: z.enum(['uniform', 'poisson']).default('uniform'),
  })
  .strict();
const sessionUsers = z
  .object({
    executor: z.literal('session-users'),
    users: z.number().int().min(1),
    pacing: durationSchema.default(1000),
  })
  .strict();
const timed = { duration: durationSchema };

export const executorSchema = z.discriminatedUnion('executor', [
  constantArrivalRate.extend(timed),
  z
    .object({
      executor: z.literal('ramping-arrival-rate'),
      startRate: z.number().min(0).default(0),
      stages: z.array(z.object({ target: z.number().min(0), duration: durationSchema }).strict()).min(1),
    })
    .strict(),
  sessionUsers.extend(timed),
]);

const products = z.number().int().min(1).default(1000);
const zipfExponent = z.number().min(0).default(1);

export const workloadSchema = z.discriminatedUnion('workload', [
  z.object({ workload: z.literal('browse'), products, zipfExponent }).strict(),
  z.object({ workload: z.literal('read-after-write'), products, zipfExponent }).strict(),
  z
    .object({
      workload: z.literal('static-assets'),
      assets: z.array(z.string().min(1)).min(1).default(['app.css', 'app.js', 'logo.svg']),
      uncachedShare: z.number().min(0).max(1).default(0.1),
    })
    .strict(),
  z.object({ workload: z.literal('cart-journey') }).strict(),
  z.object({ workload: z.literal('http-get'), path: z.string().startsWith('/') }).strict(),
]);

/** The client's limits, the same for an experiment's load and for `faultline load`. */
const limits = {
  /** Connections per target origin (undici Pool cap). */
  connections: z.number().int().min(1).max(4096, { message: 'must be at most 4096' }).default(64),
  /** Per-request deadline; a request without an answer by then is a TIMEOUT (outcome info). */
  timeout: durationSchema.default(5000),
  /** Operations running at once before new arrivals are dropped (and counted). */
  maxInFlight: z.number().int().min(1).default(2000),
  /**
   * Poll the event loop in the last millisecond before each arrival: send lag near 1 ms instead of
   * several ms at thousands of req/s, at the cost of one busy CPU core (off: timers only).
   */
  precise: z.boolean().default(false),
  /** The run is invalid when the generator's send lag p99 exceeds this. */
  maxSendLagMs: z.number().positive().default(10),
};

export const loadSchema = z
  .object({ executor: executorSchema, workload: workloadSchema, ...limits })
  .strict();

/**
 * An experiment's load: the same executors and limits, without durations, because load runs through
 * all of the experiment's phases (so no ramping stages either).
 */
export const experimentLoadSchema = z
  .object({
    executor: z.discriminatedUnion('executor', [constantArrivalRate, sessionUsers]),
    workload: workloadSchema,
    ...limits,
  })
  .strict();

export type LoadSpecInput = z.input<typeof loadSchema>;
export type LoadSpec = z.output<typeof loadSchema>;
