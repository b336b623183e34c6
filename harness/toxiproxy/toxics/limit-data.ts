import { INTERRUPTED, isEnd } from './stub.ts';
import { defineToxic } from './toxic.ts';

type LimitData = { bytes: bigint };
type Sent = { bytes: number };

/** Passes `bytes` bytes in total per connection and direction, then closes; survives updates. */
export const limitData = defineToxic<LimitData>({
  type: 'limit_data',
  goName: 'LimitDataToxic',
  fields: { bytes: 'int64' },
  defaults: () => ({ bytes: 0n }),
  newState: (): Sent => ({ bytes: 0 }),
  async pipe(stub, attributes) {
    const sent = stub.state as Sent;
    for (;;) {
      const event = await stub.take();
      if (event === INTERRUPTED) return;
      if (isEnd(event)) return stub.close(event.end);
      const remaining = Math.max(Number(attributes.bytes - BigInt(sent.bytes)), 0);
      const data = event.data.length > remaining ? event.data.subarray(0, remaining) : event.data;
      if (data.length > 0) {
        stub.emit({ data, timestamp: event.timestamp });
        sent.bytes += data.length;
      }
      if (attributes.bytes - BigInt(sent.bytes) <= 0n) return stub.close();
    }
  },
});
