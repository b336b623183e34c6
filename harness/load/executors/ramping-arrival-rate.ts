import { rampingArrivals, type Stage } from '../arrivals.ts';
import { runArrivals } from '../open-loop.ts';
import type { Executor } from './executor.ts';

export interface RampingArrivalRate {
  executor: 'ramping-arrival-rate';
  startRate: number;
  stages: Stage[];
}

export function rampingArrivalRate(spec: RampingArrivalRate): Executor {
  return (ctx) => runArrivals(rampingArrivals(spec.startRate, spec.stages, ctx.clock.now()), ctx);
}
