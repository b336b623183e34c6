/**
 * Every executor by name. The load spec's schema (for experiments and `faultline load`), the run and
 * `faultline list` are all made from this list: a new executor is its file plus its line here.
 */

import type { z } from 'zod';
import { constantArrivalRate } from './constant-arrival-rate.ts';
import type { ExecutorKind } from './executor.ts';
import { rampingArrivalRate } from './ramping-arrival-rate.ts';
import { sessionUsers } from './session-users.ts';

const executors = [constantArrivalRate, rampingArrivalRate, sessionUsers] as const;
type Registered = (typeof executors)[number];

/** An executor as an experiment writes it: a registered kind's name with its options (typed for editors). */
export type ExecutorInput = {
  [K in Registered as K['name']]: { executor: K['name'] } & z.input<K['options']>;
}[Registered['name']];

export const executorKinds: ReadonlyMap<string, ExecutorKind> = new Map(executors.map((k) => [k.name, k]));
