import { INTERRUPTED, isEnd, type ToxicStub } from './stub.ts';
import { defineToxic } from './toxic.ts';

/** Passes everything through unchanged; also what a toxic does on connections its toxicity spares. */
export async function passThrough(stub: ToxicStub): Promise<void> {
  for (;;) {
    const event = await stub.take();
    if (event === INTERRUPTED) return;
    if (isEnd(event)) return stub.close(event.end);
    stub.emit(event);
  }
}

export const noop = defineToxic({
  type: 'noop',
  goName: 'NoopToxic',
  fields: {},
  defaults: () => ({}),
  pipe: passThrough,
});
