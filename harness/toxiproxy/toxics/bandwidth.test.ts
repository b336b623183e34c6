/**
 * bandwidth: at most `rate` KB/s (bytes per ms) pass; rate 0 holds everything until the toxic is
 * changed or removed. Toxiproxy's bandwidth_test.go expects 480 KB at 1000 KB/s to take 480 ms ± 10 ms;
 * we allow −15/+40 ms on this shared 2-core machine.
 */
import assert from 'node:assert/strict';
import { assertNear, delay, fixtureScope, now, write } from '../../../test/helpers/proxy-fixture.ts';

const payload = Buffer.from('hello world '.repeat(40000)); // 480 KB

describe('bandwidth toxic', function () {
  this.timeout(5000);
  const start = fixtureScope();

  it('480 KB at rate 1000 KB/s reach the server intact in 480 ms (−15/+40 ms)', async () => {
    const fx = await start({ upstream: 'sink' });
    const { client, server } = await fx.connect();
    await fx.addToxic('bandwidth', 'upstream', { rate: 1000 });
    const sent = now();
    const writing = write(client.socket, payload);
    const done = await server.received(payload.length);
    await writing;
    assertNear(done - sent, 480, 15, 'transfer time');
    assert.ok(server.data.equals(payload), 'the server reads exactly the bytes sent');
  });

  it('the rate holds through the transfer: half the bytes arrive at about half time (240 ms, −70/+95 ms)', async () => {
    // Chunks are released whole (up to 64 KB, i.e. 65 ms at this rate), hence the wide tolerance.
    const fx = await start({ upstream: 'sink' });
    const { client, server } = await fx.connect();
    await fx.addToxic('bandwidth', 'upstream', { rate: 1000 });
    const sent = now();
    await write(client.socket, payload);
    const half = await server.received(payload.length / 2);
    assertNear(half - sent, 240, 70, 'half transferred');
    await server.received(payload.length);
  });

  it('rate 0 holds all data until the toxic is removed, then everything arrives intact and in order (within 100 ms)', async () => {
    const fx = await start({ upstream: 'sink' });
    const toxic = await fx.addToxic('bandwidth', 'upstream', { rate: 0 });
    const { client, server } = await fx.connect();
    const data = Buffer.alloc(200 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 8)) & 0xff;
    await write(client.socket, data.subarray(0, 100 * 1024));
    await delay(150);
    await write(client.socket, data.subarray(100 * 1024));
    await delay(150);
    assert.equal(server.length, 0, 'nothing passes at rate 0');
    assert.equal(client.how, undefined, 'the connection stays open');

    const removing = now();
    await toxic.remove();
    const arrived = await server.received(data.length);
    assert.ok(arrived - removing < 100, `released ${(arrived - removing).toFixed(1)} ms after the removal`);
    assert.ok(server.data.equals(data), 'all held bytes arrive, in order');
  });

  it('rate 0 holds more than the link buffers (6 MB, so reading pauses) and releases it all on removal', async () => {
    const fx = await start({ upstream: 'sink' });
    const toxic = await fx.addToxic('bandwidth', 'upstream', { rate: 0 });
    const { client, server } = await fx.connect();
    const data = Buffer.alloc(6 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4) data.writeUInt32LE(i, i);
    client.socket.write(data);
    await delay(200);
    assert.equal(server.length, 0, 'nothing passes at rate 0');
    await toxic.remove();
    await server.received(data.length, 3000);
    assert.ok(server.data.equals(data), 'all held bytes arrive, in order');
  });
});
