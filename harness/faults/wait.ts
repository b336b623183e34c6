/** Polling helpers for faults: wait until the system shows a state, with a deadline and a clear error. */
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultlineError } from '../core/errors.ts';

export interface UntilOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Stops waiting early (inject/verify only: heals ignore the run's abort signal, they must finish). */
  signal?: AbortSignal;
  /** Named in the timeout error: "web-2 UP in HAProxy". */
  what: string;
  /** Error code on timeout, e.g. "fault.heal". */
  code?: string;
}

/**
 * Polls `probe` until it returns a value other than undefined/false; a probe that throws counts as
 * "not yet" (the last error is named in the timeout error).
 */
export async function until<T>(
  probe: () => Promise<T | undefined | false>,
  { timeoutMs, intervalMs = 50, signal, what, code = 'fault.timeout' }: UntilOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError ? ` (last error: ${(lastError as Error).message})` : '';
      throw new FaultlineError(
        code,
        `timed out after ${timeoutMs} ms waiting for ${what}${why}`,
        'the system did not reach that state; see the service logs',
      );
    }
    await sleep(intervalMs);
  }
}

/** Runs every step even when some fail (a heal must undo all it can), then throws the first failure. */
export async function allSettledOrThrow(steps: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(steps);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Wraps an async action so overlapping calls share the one in flight (two heals at once run once). */
export function shared<A>(action: (arg: A) => Promise<void>): (arg: A) => Promise<void> {
  let inFlight: Promise<void> | undefined;
  return (arg) => {
    inFlight ??= action(arg).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
