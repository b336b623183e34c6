/**
 * The fault phase's actions: inject every fault, prove each took effect, and heal them all — heals
 * run whatever happened (in finally), and every step lands in the event log.
 */
import type { Fault, FaultContext } from '../faults/fault.ts';

export interface InjectOutcome {
  verified: boolean;
  unverified: string[];
}

const VERIFY_POLL_MS = 100;

async function verified(fault: Fault, ctx: FaultContext, timeoutMs: number): Promise<boolean> {
  if (!fault.verify) return true;
  const deadline = ctx.clock.now() + timeoutMs;
  while (!ctx.signal.aborted) {
    if (await fault.verify(ctx).catch(() => false)) return true;
    if (ctx.clock.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, VERIFY_POLL_MS));
  }
  return false;
}

export async function injectAll(
  faults: Fault[],
  ctx: FaultContext,
  verifyTimeoutMs: number,
): Promise<InjectOutcome> {
  const unverified: string[] = [];
  await Promise.all(
    faults.map(async (fault) => {
      const requested = ctx.events.record({ kind: 'fault-requested', fault: fault.id });
      const actuation = await fault.inject(ctx);
      // Never before the request, never in the future: the time may come from another clock.
      const at = actuation && Math.min(Math.max(actuation.at, requested.at), ctx.clock.now());
      ctx.events.record({ kind: 'fault-actuated', fault: fault.id, ...(at === undefined ? {} : { at }) });
      if (await verified(fault, ctx, verifyTimeoutMs)) {
        ctx.events.record({ kind: 'fault-verified', fault: fault.id });
      } else {
        ctx.events.record({ kind: 'fault-unverified', fault: fault.id });
        unverified.push(fault.id);
      }
    }),
  );
  return { verified: unverified.length === 0, unverified };
}

/** Heals every fault even if some heals fail; returns the failures (ids with their error). */
export async function healAll(faults: Fault[], ctx: FaultContext): Promise<string[]> {
  const failures: string[] = [];
  await Promise.all(
    faults.map(async (fault) => {
      try {
        await fault.heal(ctx);
        ctx.events.record({ kind: 'fault-healed', fault: fault.id });
      } catch (err) {
        ctx.events.record({
          kind: 'fault-heal-failed',
          fault: fault.id,
          detail: { error: (err as Error).message },
        });
        failures.push(`${fault.id}: ${(err as Error).message}`);
      }
    }),
  );
  return failures;
}
