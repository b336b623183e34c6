import { type Random, randomInt } from '../../core/random.ts';
import { goDurationMs, MILLISECOND } from './go-duration.ts';
import { INTERRUPTED, isEnd, now } from './stub.ts';
import { defineToxic } from './toxic.ts';

type Latency = { latency: bigint; jitter: bigint };

/** rand.Int63n(jitter*2) panics once jitter*2 overflows int64, crashing toxiproxy-server. */
const JITTER_LIMIT = 2n ** 62n;

/** latency ± jitter ms (int64 arithmetic, as in Go), counted from when the bytes reached the proxy. */
function delay({ latency, jitter }: Latency, random: Random): number {
  const ms = jitter > 0n ? latency + BigInt(randomInt(random, Number(jitter * 2n))) - jitter : latency;
  return goDurationMs(BigInt.asIntN(64, ms), MILLISECOND);
}

export const latency = defineToxic<Latency>({
  type: 'latency',
  goName: 'LatencyToxic',
  fields: { latency: 'int64', jitter: 'int64' },
  defaults: () => ({ latency: 0n, jitter: 0n }),
  reject: ({ jitter }) => (jitter >= JITTER_LIMIT ? `jitter must be below ${JITTER_LIMIT} ms` : undefined),
  async pipe(stub, attributes, random) {
    for (;;) {
      const event = await stub.take();
      if (event === INTERRUPTED) return;
      if (isEnd(event)) return stub.close(event.end);
      const wait = delay(attributes, random) - (now() - event.timestamp);
      const elapsed = await stub.sleep(wait);
      // Chained latency toxics each add their delay, so the next one counts from our timestamp plus
      // our wait, as in Toxiproxy: a negative latency takes time off the next one. A chunk released
      // early by an interrupt keeps its arrival time; else the next toxic would still hold it for the
      // rest of our (removed or replaced) delay.
      if (elapsed) event.timestamp += wait;
      stub.emit(event);
      if (!elapsed) return;
    }
  },
});
