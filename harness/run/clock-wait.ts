/** Waits until the run clock reaches `atMs`; resolves early (false) when aborted. */
import type { Clock } from '../core/clock.ts';

export function waitUntil(clock: Clock, atMs: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      },
      Math.max(0, atMs - clock.now()),
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
