import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { durationSchema } from '../../core/duration.ts';
import { defineExecutor } from './executor.ts';

/**
 * N virtual users, each with its own cookies (session), running the workload's journey step by step.
 * A user's steps are sequential; a step that is late because the previous one was slow keeps its
 * scheduled time as intended time, so the wait counts as latency (no coordinated omission) — and is
 * marked ready only when the previous step was done, so that wait never counts as generator lag.
 */
export const sessionUsers = defineExecutor({
  name: 'session-users',
  description: '`users` virtual users with their own cookies, each starting a step every `pacing`',
  options: z
    .object({
      users: z.number().int().min(1),
      /** Each user starts a step this often (on an absolute schedule, so slow steps show as latency). */
      pacing: durationSchema.default(1000),
    })
    .strict(),
  create: (options, durationMs) => async (ctx) => {
    const start = ctx.startAt;
    const end = start + durationMs;
    const user = async (index: number) => {
      const jar = ctx.newUser();
      // Spread the users' first steps over one pacing interval.
      for (
        let t = start + (index * options.pacing) / options.users;
        t < end && !ctx.signal?.aborted;
        t += options.pacing
      ) {
        const previousDone = ctx.clock.now();
        const wait = t - previousDone;
        if (wait > 0) await sleep(wait);
        await ctx.workload.run(ctx.operation(t, jar, previousDone));
      }
    };
    // This thread's users: every part.of-th, each keeping its place in the one spread.
    const mine = Array.from({ length: options.users }, (_, i) => i).filter(
      (i) => i % ctx.part.of === ctx.part.index,
    );
    await Promise.all(mine.map(user));
  },
});
