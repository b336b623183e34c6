import { INTERRUPTED, isEnd, now } from './stub.ts';
import { defineToxic } from './toxic.ts';

type Bandwidth = { rate: number };
/** Large chunks go out in slices of 100 ms worth of bytes, so the rate holds within a chunk too. */
const SLICE_MS = 100;

export const bandwidth = defineToxic<Bandwidth>({
  type: 'bandwidth',
  goName: 'BandwidthToxic',
  fields: { rate: 'int64' },
  defaults: () => ({ rate: 0 }),
  reject: ({ rate }) => (rate < 0 ? 'rate must be >= 0 KB/s' : undefined),
  async pipe(stub, attributes) {
    let debtMs = 0; // time still owed for bytes already sent; carries across chunks
    for (;;) {
      const event = await stub.take();
      if (event === INTERRUPTED) return;
      if (isEnd(event)) return stub.close(event.end);
      const rate = attributes.rate; // KB/s == bytes per ms
      let chunk = event;
      debtMs = rate <= 0 ? 0 : debtMs + chunk.data.length / rate;
      // rate 0 holds the data until the toxic is changed or removed, as in Toxiproxy.
      while (chunk.data.length > attributes.rate * SLICE_MS) {
        if (!(await stub.sleep(SLICE_MS))) return stub.emit(chunk);
        const sliceBytes = attributes.rate * SLICE_MS;
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
