/**
 * slow_close: data passes at once, but the close is held `delay` ms before it travels on.
 * Close times are asserted −15/+40 ms (assertNear: lateness gets scheduling slack).
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { assertNear, delay, fixtureScope, now, write } from '../../../test/helpers/proxy-fixture.ts';

describe('slow_close toxic', function () {
  this.timeout(5000);
  const start = fixtureScope();

  /** An upstream that answers "bye" and closes as soon as a client says anything. */
  function byeServer(closedAt: number[]) {
    return (socket: Socket) =>
      socket.once('data', () => {
        socket.end('bye');
        closedAt.push(now());
      });
  }

  it('downstream delay 200: the upstream close reaches the client 200 ms (−15/+40 ms) later; data is not delayed', async () => {
    const closedAt: number[] = [];
    const fx = await start({ upstream: byeServer(closedAt) });
    await fx.addToxic('slow_close', 'downstream', { delay: 200 });
    const { client } = await fx.connect();
    await write(client.socket, 'hi');
    const replied = await client.received(3);
    const upstreamClosed = closedAt[0] ?? Number.NaN;
    assertNear(replied - upstreamClosed, 0, 15, 'reply');
    assert.equal(await client.closed, 'end');
    assertNear((client.endedAt ?? 0) - upstreamClosed, 200, 15, 'close delayed by');
    assert.equal(client.data.toString(), 'bye');
  });

  it('upstream delay 150: the client close reaches the server 150 ms (−15/+40 ms) later', async () => {
    const fx = await start({ upstream: 'sink' });
    await fx.addToxic('slow_close', 'upstream', { delay: 150 });
    const { client, server } = await fx.connect();
    await write(client.socket, 'last words');
    await server.received(10);
    const closing = now();
    client.socket.end();
    assert.equal(await server.closed, 'end');
    assertNear((server.endedAt ?? 0) - closing, 150, 15, 'close delayed by');
    assert.equal(server.data.toString(), 'last words');
  });

  it('removing the toxic while a close is held lets the close through at once (within 15 ms)', async () => {
    const closedAt: number[] = [];
    const fx = await start({ upstream: byeServer(closedAt) });
    const toxic = await fx.addToxic('slow_close', 'downstream', { delay: 1000 });
    const { client } = await fx.connect();
    await write(client.socket, 'hi');
    await client.received(3);
    await delay(100);
    assert.equal(client.endedAt, undefined, 'the close is being held');
    const removing = now();
    await toxic.remove();
    assert.equal(await client.closed, 'end');
    assertNear((client.endedAt ?? 0) - removing, 0, 15, 'close after removal');
  });
});
