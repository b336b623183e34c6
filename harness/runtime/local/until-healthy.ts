/** Readiness by HTTP: a service is ready once GET <url> answers 2xx. */
import { setTimeout as sleep } from 'node:timers/promises';

export async function untilHealthy(url: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const status = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(1000)]) }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status;
      },
      () => 0,
    );
    if (status >= 200 && status < 300) return;
    await sleep(50, undefined, { signal }).catch(() => undefined);
  }
  // Given up (the start timeout): never healthy is not ready.
  throw new Error(`GET ${url} never answered 2xx`);
}
