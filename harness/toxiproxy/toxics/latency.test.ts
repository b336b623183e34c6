/**
 * latency: every chunk is held `latency ± jitter` ms, counted from when it reached the proxy.
 * Tolerances follow Toxiproxy's latency_test.go (±10 ms per direction, ±20 ms round trip), widened by
 * 5 ms because the proxy, the peers and the test share one event loop on a 2-core machine, and by
 * LATE_SLACK_MS more for lateness (a GC pause only ever delays).
 */
import assert from 'node:assert/strict';
import {
  assertNear,
  delay,
  fixtureScope,
  LATE_SLACK_MS,
  now,
  write,
} from '../../../test/helpers/proxy-fixture.ts';

/** Like the Go suite's message: big enough to span several reads. */
const message = Buffer.from(`hello world ${'a'.repeat(32 * 1024)}\n`);
const TOLERANCE = 15; // ms, per direction

describe('latency toxic', function () {
  this.timeout(5000);
  const start = fixtureScope();

  async function roundTrip(up: number | undefined, down: number | undefined) {
    const fx = await start();
    if (up !== undefined) await fx.addToxic('latency', 'upstream', { latency: up, jitter: 0 });
    if (down !== undefined) await fx.addToxic('latency', 'downstream', { latency: down, jitter: 0 });
    const { client, server } = await fx.connect();
    const sent = now();
    await write(client.socket, message);
    const serverRead = (await server.received(message.length)) - sent;
    const clientRead = (await client.received(message.length)) - sent;
    assert.deepEqual(server.data, message);
    assert.deepEqual(client.data, message);
    return { serverRead, clientRead };
  }

  it('upstream latency 100 delays what the server reads by 100 ms (−15/+40 ms); the reply is not delayed', async () => {
    const { serverRead, clientRead } = await roundTrip(100, undefined);
    assertNear(serverRead, 100, TOLERANCE, 'server read');
    assertNear(clientRead - serverRead, 0, TOLERANCE, 'reply');
  });

  it('downstream latency 100 delays only the reply, by 100 ms (−15/+40 ms)', async () => {
    const { serverRead, clientRead } = await roundTrip(undefined, 100);
    assertNear(serverRead, 0, TOLERANCE, 'server read');
    assertNear(clientRead - serverRead, 100, TOLERANCE, 'reply');
  });

  it('upstream 100 + downstream 100 add up to a 200 ms round trip (−25/+50 ms)', async () => {
    const { serverRead, clientRead } = await roundTrip(100, 100);
    assertNear(serverRead, 100, TOLERANCE, 'server read');
    assertNear(clientRead, 200, 25, 'round trip');
  });

  it('latency 0 adds nothing (round trip under 40 ms)', async () => {
    const { clientRead } = await roundTrip(0, 0);
    assertNear(clientRead, 0, TOLERANCE, 'round trip');
  });

  it('with jitter, each delay stays within latency ± jitter and varies (60 ± 40 ms; +40 ms slack above)', async () => {
    const fx = await start({ seed: 7 });
    await fx.addToxic('latency', 'downstream', { latency: 60, jitter: 40 });
    const { client } = await fx.connect();
    const trips: number[] = [];
    for (let i = 1; i <= 10; i++) {
      const sent = now();
      await write(client.socket, 'ping');
      trips.push((await client.received(4 * i)) - sent);
    }
    for (const trip of trips) {
      // A timer may fire up to ~1 ms early by performance.now(), hence the 2 ms below the bound.
      assert.ok(
        trip >= 20 - 2 && trip <= 100 + TOLERANCE + LATE_SLACK_MS,
        `round trip ${trip.toFixed(1)} ms outside 20..100 ms`,
      );
    }
    const spread = Math.max(...trips) - Math.min(...trips);
    assert.ok(spread > 10, `jitter should vary the delay, spread was ${spread.toFixed(1)} ms`);
    assert.equal(client.data.toString(), 'ping'.repeat(10));
  });

  it('applies to a connection that was already open when the toxic was added (100 ms −15/+40 ms)', async () => {
    const fx = await start();
    const { client } = await fx.connect();
    await fx.addToxic('latency', 'downstream', { latency: 100, jitter: 0 });
    const sent = now();
    await write(client.socket, 'hello');
    assertNear((await client.received(5)) - sent, 100, TOLERANCE, 'round trip');
  });

  it('an update applies at once on an open connection (1000 → 100 ms, −15/+40 ms); a held chunk is not kept for the old latency', async () => {
    const fx = await start();
    const toxic = await fx.addToxic('latency', 'downstream', { latency: 1000, jitter: 0 });
    const { client } = await fx.connect();

    const sent = now();
    await write(client.socket, 'held');
    await delay(50);
    await fx.updateToxic(toxic, { latency: 100 });
    // Toxiproxy releases the held chunk on the interrupt; at the latest it gets the new 100 ms.
    const held = (await client.received(4)) - sent;
    assert.ok(
      held <= 100 + TOLERANCE,
      `held chunk arrived after ${held.toFixed(1)} ms, not under the new latency`,
    );

    const again = now();
    await write(client.socket, 'next');
    assertNear((await client.received(8)) - again, 100, TOLERANCE, 'round trip after update');
    assert.equal(client.data.toString(), 'heldnext');
  });

  it('removing the toxic releases a held chunk immediately (within 15 ms of the removal, not after 1000 ms)', async () => {
    const fx = await start();
    const toxic = await fx.addToxic('latency', 'downstream', { latency: 1000, jitter: 0 });
    const { client } = await fx.connect();
    const sent = now();
    await write(client.socket, 'held');
    await delay(100);
    assert.equal(client.length, 0, 'nothing arrives before the latency');
    const removing = now();
    await toxic.remove();
    const removed = now();
    const arrived = await client.received(4);
    assert.ok(arrived >= removing, 'arrived only after the removal');
    assert.ok(
      arrived - removed <= TOLERANCE,
      `arrived ${(arrived - removed).toFixed(1)} ms after the removal`,
    );
    assert.ok(arrived - sent < 300, 'long before the old latency');
    assert.equal(client.data.toString(), 'held');
    // And the connection keeps working without the toxic.
    const again = now();
    await write(client.socket, 'more');
    assertNear((await client.received(8)) - again, 0, TOLERANCE, 'round trip without the toxic');
  });
  it('a latency beyond what a Node timer holds (3000000000 ms, ~35 days) holds the data, as in Go', async () => {
    const fx = await start({ upstream: 'sink' });
    await fx.addToxic('latency', 'upstream', { latency: 3_000_000_000, jitter: 0 });
    const { client, server } = await fx.connect();
    await write(client.socket, 'held');
    await delay(200);
    assert.equal(server.length, 0, 'nothing arrives');
  });

  it("latency 10000000000000 ms passes data at once: Go's Duration wraps around to a negative delay", async () => {
    const { serverRead } = await roundTrip(10_000_000_000_000, undefined);
    assertNear(serverRead, 0, TOLERANCE, 'server read');
  });

  it('a negative latency takes time off the next latency toxic, as Go moves the timestamp back (-300 then 400: 100 ms)', async () => {
    const fx = await start();
    await fx.addToxic('latency', 'upstream', { latency: -300, jitter: 0 }, { name: 'early' });
    await fx.addToxic('latency', 'upstream', { latency: 400, jitter: 0 }, { name: 'late' });
    const { client, server } = await fx.connect();
    const sent = now();
    await write(client.socket, message);
    assertNear((await server.received(message.length)) - sent, 100, TOLERANCE, 'server read');
    assert.deepEqual(server.data, message);
  });
});
