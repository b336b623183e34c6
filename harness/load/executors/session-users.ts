import { setTimeout as sleep } from 'node:timers/promises';
import type { Executor } from './executor.ts';

export interface SessionUsers {
  executor: 'session-users';
  users: number;
  durationMs: number;
  /** Each user starts a step every `pacingMs` (on an absolute schedule, so slow steps show as latency). */
  pacingMs: number;
}

/**
 * N virtual users, each with its own cookies (session), running the workload's journey step by step.
 * A user's steps are sequential; a step that is late because the previous one was slow keeps its
 * scheduled time as intended time, so the wait counts as latency (no coordinated omission) — and is
 * marked ready only when the previous step was done, so that wait never counts as generator lag.
 */
export function sessionUsers(spec: SessionUsers): Executor {
  return async (ctx) => {
    const start = ctx.clock.now();
    const end = start + spec.durationMs;
    const user = async (index: number) => {
      const jar = ctx.newUser();
      // Spread the users' first steps over one pacing interval.
      for (
        let t = start + (index * spec.pacingMs) / spec.users;
        t < end && !ctx.signal?.aborted;
        t += spec.pacingMs
      ) {
        const previousDone = ctx.clock.now();
        const wait = t - previousDone;
        if (wait > 0) await sleep(wait);
        await ctx.workload.run(ctx.operation(t, jar, previousDone));
      }
    };
    await Promise.all(Array.from({ length: spec.users }, (_, i) => user(i)));
  };
}
