import type { Random } from '../../core/random.ts';
import { poissonArrivals, uniformArrivals } from '../arrivals.ts';
import { runArrivals } from '../open-loop.ts';
import type { Executor } from './executor.ts';

export interface ConstantArrivalRate {
  executor: 'constant-arrival-rate';
  /** Operations per second. */
  rate: number;
  durationMs: number;
  /** uniform: every 1/rate s; poisson: exponential gaps with the same mean (seeded). */
  arrivals: 'uniform' | 'poisson';
}

export function constantArrivalRate(spec: ConstantArrivalRate, random: Random): Executor {
  return (ctx) => {
    const start = ctx.clock.now();
    const arrivals =
      spec.arrivals === 'poisson'
        ? poissonArrivals(spec.rate, spec.durationMs, random, start)
        : uniformArrivals(spec.rate, spec.durationMs, start);
    return runArrivals(arrivals, ctx);
  };
}
