/**
 * time-to-detect: how long the load balancer took to notice a dead backend.
 *
 * For each fault-actuated event (at A) of a selected kind (default lb-backend-death and
 * session-loss) whose id names a target ("lb-backend-death:web-2" → server "web-2"): the first
 * observation with source "haproxy.server" (option `source`), detail.server equal to the target (or
 * "<backend>/<target>") and a detail.status starting with "DOWN", observed at or after A and no
 * later than the fault's heal. detectMs = its time − A (ms).
 *
 * Observers record a server's status when it changes, so its status at A is the last one observed
 * before A (already DOWN then: detectMs 0).
 *
 * Per fault: 'detected'; 'not-detected' (the server's status is known — observed before or during
 * the fault — but it was never DOWN until the heal); 'no-observations' (the server was never
 * observed up to the heal: cannot tell).
 * valid: 'unknown' without such a fault or if some fault had no observations; false if some fault
 * was not detected or detectMs > maxMs (when given); true otherwise. value: the largest detectMs.
 */
import { z } from 'zod';
import { durationSchema } from '../core/duration.ts';
import type { RunEventOf } from '../samples/event-log.ts';

type Observation = RunEventOf<'observation'>;

import { round3 as r3 } from '../core/round.ts';
import { type Checker, type CheckResult, defineChecker, type RunRecord } from './checker.ts';
import {
  type ActuatedFault,
  actuatedFaults,
  bounded,
  fmtMs,
  parseOptions,
  worst,
  zNum,
  zNumOrNull,
} from './support.ts';

export const timeToDetectOptions = z
  .object({
    kinds: z.array(z.string().min(1)).min(1).default(['lb-backend-death', 'session-loss']),
    source: z.string().min(1).default('haproxy.server'),
    maxMs: durationSchema.optional(),
  })
  .strict();
export type TimeToDetectOptions = z.input<typeof timeToDetectOptions>;

export interface Detection {
  fault: string;
  server: string;
  actuatedAt: number;
  healedAt?: number;
  result: 'detected' | 'not-detected' | 'no-observations';
  detectMs: number | null;
  /** The server's status changes observed during the fault, relative to A (at most 20). */
  statuses: { atMs: number; status: string }[];
}

export interface TimeToDetectAnalysis {
  faults: Detection[];
  maxDetectMs: number | null;
}

function isServer(e: Observation, server: string): boolean {
  const name = e.detail?.server;
  return typeof name === 'string' && (name === server || name.endsWith(`/${server}`));
}

const isDown = (e: Observation) => String(e.detail?.status ?? '').startsWith('DOWN');

function detect(fault: ActuatedFault & { target: string }, observations: Observation[]): Detection {
  const A = fault.life.actuated;
  const until = fault.life.healed ?? Number.POSITIVE_INFINITY;
  const ofServer = observations.filter((e) => isServer(e, fault.target));
  const before = ofServer.filter((e) => e.at < A).at(-1);
  const seen = ofServer.filter((e) => e.at >= A && e.at <= until);
  // Observers record on change: the status at A is the last one observed before it.
  const down = [...(before ? [{ ...before, at: A }] : []), ...seen].find(isDown);
  const changes: Detection['statuses'] = [];
  for (const e of seen) {
    const status = String(e.detail?.status ?? '');
    if (changes.at(-1)?.status !== status) changes.push({ atMs: r3(e.at - A), status });
  }
  return {
    fault: fault.id,
    server: fault.target,
    actuatedAt: r3(A),
    ...(fault.life.healed !== undefined ? { healedAt: r3(fault.life.healed) } : {}),
    result: down ? 'detected' : before || seen.length ? 'not-detected' : 'no-observations',
    detectMs: down ? r3(down.at - A) : null,
    statuses: bounded(changes).items,
  };
}

export function analyzeTimeToDetect(run: RunRecord, options?: TimeToDetectOptions): TimeToDetectAnalysis {
  const opts = parseOptions('time-to-detect', timeToDetectOptions, options);
  const observations = run.events
    .filter((e): e is Observation => e.kind === 'observation' && e.source === opts.source)
    .sort((a, b) => a.at - b.at);
  const faults = actuatedFaults(run.events)
    .filter((l): l is ActuatedFault & { target: string } => opts.kinds.includes(l.kind) && !!l.target)
    .map((l) => detect(l, observations));
  const known = faults.flatMap((f) => (f.detectMs === null ? [] : [f.detectMs]));
  return { faults, maxDetectMs: known.length ? Math.max(...known) : null };
}

export function timeToDetectChecker(options?: TimeToDetectOptions): Checker {
  const opts = parseOptions('time-to-detect', timeToDetectOptions, options);
  return {
    name: 'time-to-detect',
    check(run: RunRecord): CheckResult {
      const a = analyzeTimeToDetect(run, opts);
      const evidence = { ...a, ...(opts.maxMs !== undefined ? { maxMs: opts.maxMs } : {}) };
      const base = { checker: 'time-to-detect', unit: 'ms' as const, evidence };
      const value = a.maxDetectMs ?? undefined;
      const withValue = value !== undefined ? { value } : {};
      if (a.faults.length === 0) {
        return {
          ...base,
          valid: 'unknown',
          summary: `no ${opts.kinds.join(' / ')} fault with a target was actuated`,
        };
      }
      const missed = a.faults.filter((f) => f.result === 'not-detected');
      if (missed.length) {
        return {
          ...base,
          ...withValue,
          valid: false,
          summary: `${missed.map((f) => f.server).join(', ')} never reported DOWN while the fault lasted`,
        };
      }
      const blind = a.faults.filter((f) => f.result === 'no-observations');
      if (blind.length || value === undefined) {
        return {
          ...base,
          ...withValue,
          valid: 'unknown',
          summary: `no ${opts.source} observations of ${blind.map((f) => f.server).join(', ')} during the fault`,
        };
      }
      return {
        ...base,
        value,
        valid: opts.maxMs === undefined || value <= opts.maxMs,
        summary: `LB marked ${a.faults.map((f) => f.server).join(', ')} DOWN after ${fmtMs(value)}${opts.maxMs !== undefined ? ` (limit ≤ ${fmtMs(opts.maxMs)})` : ''}`,
      };
    },
  };
}

export const timeToDetect = defineChecker({
  name: 'time-to-detect',
  options: timeToDetectOptions,
  evidence: z.object({
    maxDetectMs: zNumOrNull,
    maxMs: zNum.optional(),
    faults: z.array(
      z.object({
        fault: z.string(),
        server: z.string(),
        actuatedAt: zNum,
        healedAt: zNum.optional(),
        result: z.string(),
        detectMs: zNumOrNull,
        statuses: z.array(z.object({ atMs: zNum, status: z.string() })),
      }),
    ),
  }),
  value: { unit: 'ms', better: 'lower' },
  analyze: analyzeTimeToDetect,
  metrics: {
    'time-to-detect': {
      unit: 'ms',
      scope: 'run',
      better: 'lower',
      description: 'from backend death until HAProxy reports it DOWN',
      resolve: ({ faults }) =>
        worst(
          faults.map((x) => x.detectMs),
          faults.map((x) => x.result === 'not-detected'),
        ),
    },
  },
  create: timeToDetectChecker,
});
