/**
 * limit_data: exactly `bytes` bytes pass per connection and direction, then the connection closes.
 * The count belongs to the connection, so it survives updates of the toxic (Toxiproxy's
 * TestLimitDataToxicMayBeRestarted) and is not shared between connections.
 */
import assert from 'node:assert/strict';
import { delay, fixtureScope, write } from '../../../test/helpers/proxy-fixture.ts';

function bytes(size: number, seed: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 13 + seed) & 0xff;
  return data;
}

describe('limit_data toxic', function () {
  this.timeout(5000);
  const start = fixtureScope();

  it('passes exactly 100 of 150 bytes, then closes the connection at both ends', async () => {
    const fx = await start({ upstream: 'sink' });
    await fx.addToxic('limit_data', 'upstream', { bytes: 100 });
    const { client, server } = await fx.connect();
    const data = bytes(150, 1);
    await write(client.socket, data);
    assert.equal(await server.closed, 'end');
    assert.ok(server.data.equals(data.subarray(0, 100)), 'the first 100 bytes, intact');
    assert.equal(await client.closed, 'end');
  });

  it('counts across chunks: 4 × 25 bytes pass, the limit is met exactly, and the connection closes', async () => {
    const fx = await start({ upstream: 'sink' });
    await fx.addToxic('limit_data', 'upstream', { bytes: 100 });
    const { client, server } = await fx.connect();
    const data = bytes(100, 2);
    for (let i = 0; i < 4; i++) {
      await write(client.socket, data.subarray(i * 25, (i + 1) * 25));
      await server.received((i + 1) * 25);
    }
    assert.equal(await server.closed, 'end');
    assert.ok(server.data.equals(data));
  });

  it('a write that would overflow is cut at the limit (90 bytes, then 10 of the next 20)', async () => {
    const fx = await start({ upstream: 'sink' });
    await fx.addToxic('limit_data', 'upstream', { bytes: 100 });
    const { client, server } = await fx.connect();
    const first = bytes(90, 3);
    const second = bytes(20, 4);
    await write(client.socket, first);
    await server.received(90);
    await write(client.socket, second);
    await server.closed;
    assert.ok(server.data.equals(Buffer.concat([first, second.subarray(0, 10)])));
  });

  it('downstream: the client receives exactly the limit of the echoed reply, then the close', async () => {
    const fx = await start();
    await fx.addToxic('limit_data', 'downstream', { bytes: 1000 });
    const { client } = await fx.connect();
    const data = bytes(64 * 1024, 5);
    await write(client.socket, data);
    assert.equal(await client.closed, 'end');
    assert.ok(client.data.equals(data.subarray(0, 1000)));
  });

  it('bytes 0 passes nothing and closes on the first data', async () => {
    const fx = await start({ upstream: 'sink' });
    await fx.addToxic('limit_data', 'upstream', { bytes: 0 });
    const { client, server } = await fx.connect();
    await write(client.socket, 'anything');
    assert.equal(await client.closed, 'end');
    await server.closed;
    assert.equal(server.length, 0);
  });

  it('the count is per connection: two connections each get their own 100 bytes', async () => {
    const fx = await start({ upstream: 'sink' });
    await fx.addToxic('limit_data', 'upstream', { bytes: 100 });
    const a = await fx.connect();
    const b = await fx.connect();
    await write(a.client.socket, bytes(60, 6));
    await a.server.received(60);
    await write(b.client.socket, bytes(60, 7));
    await b.server.received(60);
    await delay(20);
    assert.equal(a.server.endedAt, undefined, 'first connection still open at 60 bytes');
    assert.equal(b.server.endedAt, undefined, 'a shared count would have cut and closed the second one');
    await write(a.client.socket, bytes(60, 8));
    await write(b.client.socket, bytes(60, 9));
    await Promise.all([a.server.closed, b.server.closed]);
    assert.equal(a.server.length, 100);
    assert.equal(b.server.length, 100);
  });

  it('the count survives an update of the toxic on a live connection (60 sent, then limit 110: 50 more pass)', async () => {
    const fx = await start({ upstream: 'sink' });
    const toxic = await fx.addToxic('limit_data', 'upstream', { bytes: 100 });
    const { client, server } = await fx.connect();
    // 60 + 120 bytes: a fresh count would let 60 + 110 through instead of 60 + 50.
    const data = bytes(180, 10);
    await write(client.socket, data.subarray(0, 60));
    await server.received(60);
    await fx.updateToxic(toxic, { bytes: 110 });
    await write(client.socket, data.subarray(60));
    assert.equal(await server.closed, 'end');
    assert.ok(server.data.equals(data.subarray(0, 110)), `expected 110 bytes, got ${server.length}`);
  });
});
