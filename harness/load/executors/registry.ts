/**
 * Every executor by name. The load spec's schema (for experiments and `faultline load`), the run and
 * `faultline list` are all made from this list: a new executor is its file plus its line here.
 */
import { constantArrivalRate } from './constant-arrival-rate.ts';
import type { ExecutorKind } from './executor.ts';
import { rampingArrivalRate } from './ramping-arrival-rate.ts';
import { sessionUsers } from './session-users.ts';

export const executorKinds: ReadonlyMap<string, ExecutorKind> = new Map(
  [constantArrivalRate, rampingArrivalRate, sessionUsers].map((k) => [k.name, k]),
);
