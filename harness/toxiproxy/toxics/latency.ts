import { type Random, randomInt } from '../../core/random.ts';
import { INTERRUPTED, isEnd, now } from './stub.ts';
import { defineToxic } from './toxic.ts';

type Latency = { latency: number; jitter: number };

/** latency ± jitter ms, counted from when the bytes arrived at the proxy (not from when dequeued). */
function delay({ latency, jitter }: Latency, random: Random): number {
  return jitter > 0 ? latency + randomInt(random, jitter * 2) - jitter : latency;
}

export const latency = defineToxic<Latency>({
  type: 'latency',
  goName: 'LatencyToxic',
  fields: { latency: 'int64', jitter: 'int64' },
  defaults: () => ({ latency: 0, jitter: 0 }),
  async pipe(stub, attributes, random) {
    for (;;) {
      const event = await stub.take();
      if (event === INTERRUPTED) return;
      if (isEnd(event)) return stub.close(event.end);
      const wait = delay(attributes, random) - (now() - event.timestamp);
      const elapsed = await stub.sleep(wait);
      // Chained latency toxics each add their delay, so the next one counts from our release. A chunk
      // released early by an interrupt keeps its arrival time, as in Toxiproxy; else the next toxic
      // would still hold it for the rest of our (removed or replaced) delay.
      if (elapsed) event.timestamp += Math.max(wait, 0);
      stub.emit(event);
      if (!elapsed) return;
    }
  },
});
