import { INTERRUPTED, isEnd, now } from './stub.ts';
import { defineToxic } from './toxic.ts';

type Bandwidth = { rate: bigint };
/** Large chunks go out in slices of 100 ms worth of bytes, so the rate holds within a chunk too. */
const SLICE_MS = 100;
/** Above this, Go's `rate*100` overflows to a negative slice bound and toxiproxy-server panics. */
const RATE_LIMIT = (2n ** 63n - 1n) / 100n;

export const bandwidth = defineToxic<Bandwidth>({
  type: 'bandwidth',
  goName: 'BandwidthToxic',
  fields: { rate: 'int64' },
  defaults: () => ({ rate: 0n }),
  reject: ({ rate }) => {
    if (rate < 0n) return 'rate must not be negative';
    if (rate > RATE_LIMIT) return `rate must be at most ${RATE_LIMIT} KB/s`;
    return undefined;
  },
  async pipe(stub, attributes) {
    let debtMs = 0; // time still owed for bytes already sent; carries across chunks
    for (;;) {
      const event = await stub.take();
      if (event === INTERRUPTED) return;
      if (isEnd(event)) return stub.close(event.end);
      const rate = Number(attributes.rate); // KB/s == bytes per ms
      let chunk = event;
      debtMs = rate <= 0 ? 0 : debtMs + chunk.data.length / rate;
      // rate 0 holds the data until the toxic is changed or removed, as in Toxiproxy.
      while (chunk.data.length > Number(attributes.rate) * SLICE_MS) {
        if (!(await stub.sleep(SLICE_MS))) return stub.emit(chunk);
        const sliceBytes = Number(attributes.rate) * SLICE_MS;
        if (sliceBytes <= 0) continue;
        stub.emit({ data: chunk.data.subarray(0, sliceBytes), timestamp: chunk.timestamp });
        chunk = { data: chunk.data.subarray(sliceBytes), timestamp: chunk.timestamp };
        debtMs -= SLICE_MS;
      }
      const start = now();
      const elapsed = await stub.sleep(debtMs);
      debtMs -= now() - start;
      stub.emit(chunk);
      if (!elapsed) return;
    }
  },
});
