import { goDurationMs, MILLISECOND } from './go-duration.ts';
import { INTERRUPTED, isEnd } from './stub.ts';
import { defineToxic } from './toxic.ts';

type SlowClose = { delay: bigint };

export const slowClose = defineToxic<SlowClose>({
  type: 'slow_close',
  goName: 'SlowCloseToxic',
  fields: { delay: 'int64' },
  defaults: () => ({ delay: 0n }),
  async pipe(stub, attributes) {
    for (;;) {
      const event = await stub.take();
      if (event === INTERRUPTED) return;
      if (!isEnd(event)) {
        stub.emit(event);
        continue;
      }
      if (await stub.sleep(goDurationMs(attributes.delay, MILLISECOND))) return stub.close(event.end);
      // Interrupted mid-delay: keep the close pending for whoever runs next, so it is never lost.
      return stub.requeue(event);
    }
  },
});
