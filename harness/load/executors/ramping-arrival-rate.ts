import { z } from 'zod';
import { durationSchema } from '../../core/duration.ts';
import { rampingArrivals, type Stage } from '../arrivals.ts';
import { runArrivals } from '../open-loop.ts';
import { defineExecutor } from './executor.ts';

/**
 * k6's stages, fitted to a run of `durationMs`: k6 stops after the last stage, but load here runs
 * through every phase of an experiment, so the last target is held to the end; a run shorter than
 * the stages (an explicit --duration) cuts the ramp where it is, at the rate reached by then.
 */
export function fitStages(startRate: number, stages: readonly Stage[], durationMs: number): Stage[] {
  const fitted: Stage[] = [];
  let at = 0;
  let rate = startRate;
  for (const stage of stages) {
    const left = durationMs - at;
    if (left <= 0) break;
    if (stage.durationMs > left) {
      fitted.push({ durationMs: left, target: rate + ((stage.target - rate) * left) / stage.durationMs });
      return fitted;
    }
    fitted.push(stage);
    at += stage.durationMs;
    rate = stage.target;
  }
  if (durationMs > at) fitted.push({ durationMs: durationMs - at, target: rate });
  return fitted;
}

export const rampingArrivalRate = defineExecutor({
  name: 'ramping-arrival-rate',
  description:
    'open loop, ramping linearly to each stage’s `target` req/s over its `duration` (k6), then holding the last',
  options: z
    .object({
      startRate: z.number().min(0).default(0),
      stages: z
        .array(z.object({ duration: durationSchema, target: z.number().min(0) }).strict())
        .min(1, { message: 'needs at least one stage, e.g. [{ duration: "30s", target: 100 }]' }),
    })
    .strict(),
  ownDuration: (options) => options.stages.reduce((sum, stage) => sum + stage.duration, 0),
  scaled: (options, factor) => ({
    ...options,
    stages: options.stages.map((stage) => ({ ...stage, duration: stage.duration * factor })),
  }),
  create: (options, durationMs) => {
    const stages = options.stages.map((s) => ({ target: s.target, durationMs: s.duration }));
    const fitted = fitStages(options.startRate, stages, durationMs);
    return (ctx) => runArrivals(rampingArrivals(options.startRate, fitted, ctx.startAt), ctx);
  },
});
