import { rampingArrivals, type Stage } from '../arrivals.ts';
import { runOpenLoop } from '../open-loop.ts';
import type { Executor } from './executor.ts';

export interface RampingArrivalRate {
  executor: 'ramping-arrival-rate';
  startRate: number;
  stages: Stage[];
}

export function rampingArrivalRate(spec: RampingArrivalRate): Executor {
  return (ctx) =>
    runOpenLoop(rampingArrivals(spec.startRate, spec.stages, ctx.clock.now()), {
      clock: ctx.clock,
      maxInFlight: ctx.maxInFlight,
      signal: ctx.signal,
      start: (intendedAt) => ctx.workload.run(ctx.operation(intendedAt)),
      drop: ctx.dropped,
    });
}
