/**
 * reset_peer: once data flows through it, waits `timeout` ms and then resets the connection with a
 * real TCP RST (SO_LINGER 0 in Toxiproxy): the client's read fails with ECONNRESET and data not yet
 * delivered is discarded. Toxiproxy's reset_peer_test.go checks the time ± (timeout + 10) ms; we
 * assert −15/+40 ms (assertNear: lateness gets scheduling slack).
 */
import assert from 'node:assert/strict';
import { assertNear, delay, fixtureScope, now, write } from '../../../test/helpers/proxy-fixture.ts';

describe('reset_peer toxic', function () {
  this.timeout(5000);
  const start = fixtureScope();

  it('upstream, timeout 100: the client gets ECONNRESET 100 ms (−15/+40 ms) after it sends, and nothing is delivered', async () => {
    const fx = await start();
    await fx.addToxic('reset_peer', 'upstream', { timeout: 100 });
    const { client, server } = await fx.connect();
    const sent = now();
    await write(client.socket, 'reset toxic payload\n');
    assert.equal(await client.closed, 'reset');
    assertNear((client.endedAt ?? 0) - sent, 100, 15, 'reset after');
    assert.equal(server.length, 0, 'the held data never reaches the server');
    assert.equal(client.length, 0);
    assert.equal(await server.closed, 'reset', 'the upstream connection is reset too');
  });

  it('downstream, timeout 100: the reply is discarded and the client is reset 100 ms (−15/+40 ms) after it sends', async () => {
    const fx = await start();
    await fx.addToxic('reset_peer', 'downstream', { timeout: 100 });
    const { client, server } = await fx.connect();
    const sent = now();
    await write(client.socket, 'reset toxic payload\n');
    assert.equal(await client.closed, 'reset');
    assertNear((client.endedAt ?? 0) - sent, 100, 15, 'reset after');
    assert.equal(server.data.toString(), 'reset toxic payload\n', 'the request got through');
    assert.equal(client.length, 0, 'the reply did not');
  });

  it('timeout 0 resets as soon as data arrives (within 15 ms)', async () => {
    const fx = await start();
    await fx.addToxic('reset_peer', 'upstream', { timeout: 0 });
    const { client } = await fx.connect();
    const sent = now();
    await write(client.socket, 'x');
    assert.equal(await client.closed, 'reset');
    assertNear((client.endedAt ?? 0) - sent, 0, 15, 'reset after');
  });

  it('an idle connection is not reset: the countdown starts with the first data', async () => {
    const fx = await start();
    await fx.addToxic('reset_peer', 'upstream', { timeout: 50 });
    const { client } = await fx.connect();
    await delay(200);
    assert.equal(client.endedAt, undefined, 'still open after 4× the timeout without data');
    const sent = now();
    await write(client.socket, 'now');
    assert.equal(await client.closed, 'reset');
    assertNear((client.endedAt ?? 0) - sent, 50, 15, 'reset after');
  });

  it('removing the toxic before the timeout cancels the reset and delivers the held data', async () => {
    const fx = await start();
    const toxic = await fx.addToxic('reset_peer', 'upstream', { timeout: 300 });
    const { client } = await fx.connect();
    await write(client.socket, 'saved');
    await delay(50);
    await toxic.remove();
    await client.received(5);
    assert.equal(client.data.toString(), 'saved');
    await delay(350);
    assert.equal(client.endedAt, undefined, 'no reset after the old timeout');
  });
});
