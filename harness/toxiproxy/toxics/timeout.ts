import { goDurationMs, MILLISECOND } from './go-duration.ts';
import { INTERRUPTED, isEnd, TIMED_OUT } from './stub.ts';
import { defineToxic } from './toxic.ts';

type Timeout = { timeout: bigint };

/**
 * Swallows all data; closes the stream once `timeout` ms pass without input (the timer restarts with
 * each chunk, as in Toxiproxy). 0 never closes. Removing it closes the affected connections.
 */
export const timeout = defineToxic<Timeout>({
  type: 'timeout',
  goName: 'TimeoutToxic',
  fields: { timeout: 'int64' },
  defaults: () => ({ timeout: 0n }),
  async pipe(stub, attributes) {
    for (;;) {
      const ms = goDurationMs(attributes.timeout, MILLISECOND);
      const event = ms > 0 ? await stub.takeWithin(ms) : await stub.take();
      if (event === INTERRUPTED) return;
      if (event === TIMED_OUT) return stub.close();
      if (isEnd(event)) return stub.close(event.end);
    }
  },
  cleanup: (stub) => stub.close(),
});
