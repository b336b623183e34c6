/**
 * timeout: no data passes; the connection closes once `timeout` ms pass without data (each chunk
 * restarts the countdown); timeout 0 never closes. Removing the toxic closes the connections it ran
 * on (Toxiproxy's Cleanup). Close times are asserted −15/+40 ms (assertNear: lateness gets scheduling slack).
 */
import assert from 'node:assert/strict';
import { assertNear, delay, fixtureScope, now, write } from '../../../test/helpers/proxy-fixture.ts';

describe('timeout toxic', function () {
  this.timeout(5000);
  const start = fixtureScope();

  it('timeout 200 closes the connection 200 ms (−15/+40 ms) after the last data, and lets no data through', async () => {
    const fx = await start({ upstream: 'sink' });
    await fx.addToxic('timeout', 'upstream', { timeout: 200 });
    const { client, server } = await fx.connect();
    const sent = now();
    await write(client.socket, 'dropped');
    assert.equal(await client.closed, 'end', 'the client sees a clean close');
    assertNear((client.endedAt ?? 0) - sent, 200, 15, 'close after');
    await server.closed;
    assert.equal(server.length, 0, 'the server got none of the data');
    assert.equal(client.length, 0);
  });

  it('each chunk of data restarts the countdown (writes at 0 and 100 ms with timeout 200: close at 300 ms −15/+40 ms)', async () => {
    const fx = await start({ upstream: 'sink' });
    await fx.addToxic('timeout', 'upstream', { timeout: 200 });
    const { client, server } = await fx.connect();
    await write(client.socket, 'one');
    await delay(100);
    const last = now();
    await write(client.socket, 'two');
    await client.closed;
    assertNear((client.endedAt ?? 0) - last, 200, 15, 'close after the last chunk');
    await server.closed;
    assert.equal(server.length, 0);
  });

  it('the countdown runs on an idle connection too: it closes 150 ms (−15/+40 ms) after the toxic is added', async () => {
    const fx = await start({ upstream: 'sink' });
    const { client } = await fx.connect();
    const adding = now();
    await fx.addToxic('timeout', 'downstream', { timeout: 150 });
    await client.closed;
    assertNear((client.endedAt ?? 0) - adding, 150, 15, 'idle close');
  });

  it('timeout 0 keeps the connection open but drops all data', async () => {
    const fx = await start();
    await fx.addToxic('timeout', 'upstream', { timeout: 0 });
    const { client, server } = await fx.connect();
    await write(client.socket, 'dropped');
    await delay(300);
    await write(client.socket, 'also dropped');
    await delay(100);
    assert.equal(server.length, 0, 'no data reaches the server');
    assert.equal(client.length, 0, 'no echo comes back');
    assert.equal(client.endedAt, undefined, 'the client connection is still open');
    assert.equal(server.endedAt, undefined, 'the upstream connection is still open');
  });

  it('removing the toxic closes the connection at both ends (Cleanup), within 50 ms', async () => {
    const fx = await start();
    const toxic = await fx.addToxic('timeout', 'upstream', { timeout: 0 });
    const { client, server } = await fx.connect();
    await write(client.socket, 'dropped');
    await delay(50);
    const removing = now();
    await toxic.remove();
    assert.equal(await client.closed, 'end');
    assert.equal(await server.closed, 'end');
    assert.ok((client.endedAt ?? 0) - removing < 50, 'client closed promptly');
    assert.equal(server.length, 0, 'the dropped data stays dropped');
  });

  it('after removal, new connections pass data normally', async () => {
    const fx = await start();
    const toxic = await fx.addToxic('timeout', 'upstream', { timeout: 0 });
    await toxic.remove();
    const { client } = await fx.connect();
    await write(client.socket, 'hello');
    await client.received(5);
    assert.equal(client.data.toString(), 'hello');
  });
  it('a timeout beyond what a Node timer holds (3000000000 ms) keeps the connection open, as in Go', async () => {
    const fx = await start({ upstream: 'sink' });
    await fx.addToxic('timeout', 'upstream', { timeout: 3_000_000_000 });
    const { client } = await fx.connect();
    await write(client.socket, 'dropped');
    await delay(200);
    assert.equal(client.endedAt, undefined, 'still open');
  });
});
