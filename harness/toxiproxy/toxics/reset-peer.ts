import { INTERRUPTED } from './stub.ts';
import { defineToxic } from './toxic.ts';

type ResetPeer = { timeout: number };

/**
 * On the first data (or close) after it starts, waits `timeout` ms and resets the connection with a
 * TCP RST, discarding data not yet delivered ("connection reset by peer" for the client).
 */
export const resetPeer = defineToxic<ResetPeer>({
  type: 'reset_peer',
  goName: 'ResetToxic',
  fields: { timeout: 'int64' },
  defaults: () => ({ timeout: 0 }),
  async pipe(stub, attributes) {
    const event = await stub.take();
    if (event === INTERRUPTED) return;
    if (await stub.sleep(attributes.timeout)) return stub.close('reset');
    stub.requeue(event);
  },
});
