import { goDurationMs, MILLISECOND } from './go-duration.ts';
import { INTERRUPTED } from './stub.ts';
import { defineToxic } from './toxic.ts';

type ResetPeer = { timeout: bigint };

/**
 * On the first data (or close) after it starts, waits `timeout` ms and resets the connection with a
 * TCP RST, discarding data not yet delivered ("connection reset by peer" for the client).
 */
export const resetPeer = defineToxic<ResetPeer>({
  type: 'reset_peer',
  goName: 'ResetToxic',
  fields: { timeout: 'int64' },
  defaults: () => ({ timeout: 0n }),
  async pipe(stub, attributes) {
    const event = await stub.take();
    if (event === INTERRUPTED) return;
    if (await stub.sleep(goDurationMs(attributes.timeout, MILLISECOND))) return stub.close('reset');
    stub.requeue(event);
  },
});
