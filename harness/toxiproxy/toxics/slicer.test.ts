/**
 * slicer: each chunk is cut into pieces of about `average_size` ± `size_variation` bytes, sent
 * `delay` µs apart. The bytes arrive intact and in order, in many small reads spread over time.
 * (Toxiproxy's slicer_test.go: 480 KB in pieces of 1024 ± 512 bytes gives ~480 reads.)
 */
import assert from 'node:assert/strict';
import { fixtureScope, write } from '../../../test/helpers/proxy-fixture.ts';

function pattern(size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + (i >> 9)) & 0xff;
  return data;
}

describe('slicer toxic', function () {
  this.timeout(5000);
  const start = fixtureScope();

  it('32 KB in 1024 ± 512 byte pieces, 5 ms apart: intact, in many small reads spread over time', async () => {
    const fx = await start({ upstream: 'sink', seed: 3 });
    await fx.addToxic('slicer', 'upstream', { average_size: 1024, size_variation: 512, delay: 5000 });
    const { client, server } = await fx.connect();
    const data = pattern(32 * 1024);
    await write(client.socket, data);
    await server.received(data.length);

    assert.ok(server.data.equals(data), 'bytes intact and in order');
    const reads = server.chunks.length;
    // Pieces are at most 1536 bytes, so at least 22 of them; reads may coalesce a little.
    assert.ok(reads >= 16, `expected many small reads, got ${reads}`);
    const largest = Math.max(...server.chunks.map((c) => c.data.length));
    assert.ok(largest < data.length / 4, `reads should be small, largest was ${largest} bytes`);
    // At least 21 gaps of 5 ms between the first and the last piece; allow 20 % for timer slack.
    const spread = (server.chunks.at(-1)?.at ?? 0) - (server.chunks[0]?.at ?? 0);
    assert.ok(spread >= 21 * 5 * 0.8, `pieces should be spread over time, took ${spread.toFixed(1)} ms`);
  });

  it('average_size 1 without variation delivers byte by byte (24 bytes, 2 ms apart)', async () => {
    const fx = await start({ upstream: 'sink' });
    await fx.addToxic('slicer', 'upstream', { average_size: 1, size_variation: 0, delay: 2000 });
    const { client, server } = await fx.connect();
    const data = Buffer.from('hello world '.repeat(2));
    await write(client.socket, data);
    await server.received(data.length);
    assert.equal(server.data.toString(), data.toString());
    assert.ok(server.chunks.length >= 12, `expected ~24 reads, got ${server.chunks.length}`);
    assert.ok(
      server.chunks.every((c) => c.data.length <= 2),
      'pieces are single bytes (two may coalesce)',
    );
  });

  it('without delay, 1 MB sliced in both directions comes back intact and in order', async () => {
    const fx = await start();
    await fx.addToxic('slicer', 'upstream', { average_size: 512, size_variation: 256, delay: 0 });
    await fx.addToxic('slicer', 'downstream', { average_size: 2048, size_variation: 100, delay: 0 });
    const { client } = await fx.connect();
    const data = pattern(1024 * 1024);
    await write(client.socket, data);
    await client.received(data.length);
    assert.ok(client.data.equals(data), 'echoed bytes intact and in order');
  });
  it('size_variation equal to average_size (32 ± 32 bytes, 2 ms apart) slices 2 KB into small pieces, intact', async () => {
    const fx = await start({ upstream: 'sink', seed: 5 });
    await fx.addToxic('slicer', 'upstream', { average_size: 32, size_variation: 32, delay: 2000 });
    const { client, server } = await fx.connect();
    const data = pattern(2048);
    await write(client.socket, data);
    await server.received(data.length);
    assert.ok(server.data.equals(data), 'bytes intact and in order');
    // Pieces are at most 64 bytes (some empty), so at least 32; two may coalesce into one read.
    assert.ok(server.chunks.length >= 16, `expected many small reads, got ${server.chunks.length}`);
    const largest = Math.max(...server.chunks.map((c) => c.data.length));
    assert.ok(largest <= 256, `reads should be small, largest was ${largest} bytes`);
  });
});
