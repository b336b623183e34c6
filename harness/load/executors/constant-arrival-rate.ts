import { z } from 'zod';
import { poissonArrivals, uniformArrivals } from '../arrivals.ts';
import { runArrivals } from '../open-loop.ts';
import { defineExecutor } from './executor.ts';

export const constantArrivalRate = defineExecutor({
  name: 'constant-arrival-rate',
  description: 'open loop: `rate` arrivals per second, each running the workload once',
  options: z
    .object({
      /** Operations per second. */
      rate: z.number().positive({ message: 'must be > 0 (requests per second)' }),
      /** uniform: every 1/rate s; poisson: exponential gaps with the same mean (seeded). */
      arrivals: z.enum(['uniform', 'poisson']).default('uniform'),
    })
    .strict(),
  create: (options, durationMs, random) => (ctx) => {
    const start = ctx.startAt;
    const arrivals =
      options.arrivals === 'poisson'
        ? poissonArrivals(options.rate, durationMs, random, start)
        : uniformArrivals(options.rate, durationMs, start);
    return runArrivals(arrivals, ctx);
  },
});
