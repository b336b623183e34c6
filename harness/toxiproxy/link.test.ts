/**
 * A link runs the toxics of one direction as a chain, in the order they were added. Toxics can be
 * added, updated and removed while data flows without any byte being lost, duplicated or reordered.
 * Toxicity decides per connection (rolled each time a toxic starts on it) whether a toxic applies.
 * Timing assertions state their tolerance (−15/+40 ms per direction: Toxiproxy's ± 10 ms plus slack
 * for this shared 2-core machine, more for lateness, see assertNear).
 */
import assert from 'node:assert/strict';
import type { Toxic } from 'toxiproxy-node-client';
import {
  assertNear,
  delay,
  fixtureScope,
  now,
  type ProxyFixture,
  write,
} from '../../test/helpers/proxy-fixture.ts';
import { type Random, randomInt, seededRandom } from '../core/random.ts';

function randomBuffer(random: Random, size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) data.writeUInt32LE(Math.floor(random() * 2 ** 32), i);
  return data;
}

/** Where two buffers first differ, for a readable failure. */
function firstDifference(a: Buffer, b: Buffer): string {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `first difference at byte ${i} of ${n}`;
  return `lengths ${a.length} and ${b.length}`;
}

describe('link (toxic chain)', function () {
  this.timeout(10000);
  const start = fixtureScope();

  describe('byte-exactness', () => {
    it('3 MB of pseudo-random data echo back byte-exactly while toxics are added, updated and removed at random', async () => {
      const seed = 20240601;
      const random = seededRandom(seed);
      const fx = await start({ seed });
      const { client } = await fx.connect();
      const data = randomBuffer(random, 3 * 1024 * 1024);

      const live: { toxic: Toxic<unknown>; type: string }[] = [];
      let serial = 0;
      let done = false;
      let operations = 0;
      const attributesFor = (type: string): Record<string, number> => {
        switch (type) {
          case 'latency':
            return { latency: randomInt(random, 20), jitter: randomInt(random, 6) };
          case 'slicer': {
            const average = 4096 + randomInt(random, 12288);
            const slow = random() < 0.5;
            return {
              average_size: average,
              size_variation: randomInt(random, average / 2),
              delay: slow ? 1 + randomInt(random, 500) : 0,
            };
          }
          case 'bandwidth':
            return { rate: 20000 + randomInt(random, 80000) };
          default:
            return {};
        }
      };
      const chaos = async () => {
        const types = ['latency', 'slicer', 'bandwidth', 'noop'];
        while (!done) {
          const roll = random();
          if (live.length === 0 || (roll < 0.45 && live.length < 6)) {
            const type = types[randomInt(random, types.length)] as string;
            const stream = random() < 0.5 ? 'upstream' : 'downstream';
            const name = `${type}_${serial++}`;
            live.push({ toxic: await fx.addToxic(type, stream, attributesFor(type), { name }), type });
          } else {
            const index = randomInt(random, live.length);
            const entry = live[index] as (typeof live)[number];
            if (roll < 0.75) {
              const toxicity = random() < 0.3 ? random() : 1;
              entry.toxic = await fx.updateToxic(entry.toxic, attributesFor(entry.type), toxicity);
            } else {
              live.splice(index, 1);
              await entry.toxic.remove();
            }
          }
          operations++;
          await delay(1 + randomInt(random, 8));
        }
      };
      // Paced (~100 writes of 1 B..64 KB, a few ms apart) so the toxics change while data flows.
      const writer = async () => {
        for (let offset = 0; offset < data.length; ) {
          const size = 1 + randomInt(random, 64 * 1024);
          await write(client.socket, data.subarray(offset, offset + size));
          offset += size;
          await delay(randomInt(random, 10));
        }
      };

      const chaosDone = chaos();
      await writer();
      // A loss would otherwise only show as a test timeout; compare whatever arrived instead.
      await client.received(data.length, 4000).catch(() => undefined);
      done = true;
      await chaosDone;

      const received = client.data;
      assert.ok(received.equals(data), `echo differs from what was sent: ${firstDifference(received, data)}`);
      if (process.env.SPEC_TIMING) console.log(`      ${operations} toxic changes while streaming`);
      assert.ok(operations >= 30, `expected many toxic changes while streaming, got ${operations}`);
    });

    it('a 2-byte counter stream survives a latency 1000 toxic added and removed back-to-back (nothing lost, duplicated, reordered or held)', async () => {
      // Toxiproxy's TestNoDataDropped: the held chunks are handed on at each removal, in order.
      const fx = await start();
      const { client } = await fx.connect();
      const count = 65536;
      const data = Buffer.alloc(count * 2);
      for (let i = 0; i < count; i++) data.writeUInt16BE(i, i * 2);

      let done = false;
      let cycles = 0;
      const churn = async () => {
        while (!done) {
          const toxic = await fx.addToxic('latency', 'upstream', { latency: 1000, jitter: 0 });
          await delay(cycles % 3);
          await toxic.remove();
          cycles++;
        }
      };
      const churning = churn();
      for (let offset = 0; offset < data.length; offset += 512) {
        await write(client.socket, data.subarray(offset, offset + 512));
        if ((offset / 512) % 2 === 0) await delay(1);
      }
      await client.received(data.length, 3000).catch(() => undefined);
      done = true;
      await churning;
      const received = client.data;
      assert.ok(received.equals(data), `counter stream differs: ${firstDifference(received, data)}`);
      if (process.env.SPEC_TIMING) console.log(`      ${cycles} add/remove cycles while streaming`);
      assert.ok(cycles >= 20, `expected many add/remove cycles, got ${cycles}`);
    });
  });

  describe('chain order', () => {
    async function upstreamDelay(fx: ProxyFixture, send: string) {
      const { client, server } = await fx.connect();
      const sent = now();
      await write(client.socket, send);
      return { arrived: (await server.received(send.length)) - sent, client, server };
    }

    it('two latency toxics in a chain add up: 100 + 100 ms upstream → the server reads after 200 ms (−15/+40 ms)', async () => {
      const fx = await start({ upstream: 'sink' });
      await fx.addToxic('latency', 'upstream', { latency: 100, jitter: 0 }, { name: 'first' });
      await fx.addToxic('latency', 'upstream', { latency: 100, jitter: 0 }, { name: 'second' });
      const { arrived } = await upstreamDelay(fx, 'hello');
      assertNear(arrived, 200, 15, 'two latencies');
    });

    it('removing the middle toxic of three from a live connection leaves the other two chained (50 + 50 → 100 ms −15/+40 ms)', async () => {
      const fx = await start({ upstream: 'sink' });
      await fx.addToxic('latency', 'upstream', { latency: 50, jitter: 0 }, { name: 'a' });
      const middle = await fx.addToxic('noop', 'upstream', {}, { name: 'b' });
      await fx.addToxic('latency', 'upstream', { latency: 50, jitter: 0 }, { name: 'c' });
      const { client, server } = await fx.connect();
      await middle.remove();
      const sent = now();
      await write(client.socket, 'hello');
      assertNear((await server.received(5)) - sent, 100, 15, 'after removing the middle toxic');
      // New connections get the same two-toxic chain.
      const { arrived } = await upstreamDelay(fx, 'again');
      assertNear(arrived, 100, 15, 'on a new connection');
    });

    it('removing the first of two latency toxics hands its held chunk to the second, which adds at most its own 100 ms (+15 ms)', async () => {
      const fx = await start({ upstream: 'sink' });
      const first = await fx.addToxic('latency', 'upstream', { latency: 1000, jitter: 0 }, { name: 'long' });
      await fx.addToxic('latency', 'upstream', { latency: 100, jitter: 0 }, { name: 'short' });
      const { client, server } = await fx.connect();
      await write(client.socket, 'held');
      await delay(200);
      const removing = now();
      await first.remove();
      const arrived = await server.received(4);
      // Not the ~900 ms left of the removed toxic's delay (tolerance + 15 ms).
      assert.ok(
        arrived - removing <= 100 + 15,
        `arrived ${(arrived - removing).toFixed(1)} ms after the removal, expected ≤ 115 ms`,
      );
    });

    it('a close from an earlier toxic waits behind data a later toxic holds ([limit_data 5, latency 100] downstream)', async () => {
      const fx = await start();
      await fx.addToxic('limit_data', 'downstream', { bytes: 5 }, { name: 'limit' });
      await fx.addToxic('latency', 'downstream', { latency: 100, jitter: 0 }, { name: 'late' });
      const { client } = await fx.connect();
      const sent = now();
      await write(client.socket, '0123456789');
      assert.equal(await client.closed, 'end');
      assert.equal(client.data.toString(), '01234', 'exactly the limit arrives, before the close');
      const dataAt = client.chunks[0]?.at ?? 0;
      assertNear(dataAt - sent, 100, 15, 'data delayed by the later latency');
      assert.ok((client.endedAt ?? 0) >= dataAt, 'the close does not overtake the data');
    });
  });

  describe('toxicity', () => {
    it('toxicity 0 leaves every connection unaffected', async () => {
      const fx = await start();
      await fx.addToxic('limit_data', 'upstream', { bytes: 0 }, { toxicity: 0 });
      await fx.addToxic('timeout', 'downstream', { timeout: 0 }, { toxicity: 0 });
      for (let i = 0; i < 10; i++) {
        const { client } = await fx.connect();
        await write(client.socket, 'ping');
        await client.received(4);
        assert.equal(client.data.toString(), 'ping');
        assert.equal(client.endedAt, undefined);
      }
    });

    it('with a seeded server, toxicity 0.5 affects some but not all of 20 connections', async () => {
      const fx = await start({ seed: 42 });
      // limit_data 0 closes an affected connection on its first byte; a spared one echoes.
      await fx.addToxic('limit_data', 'upstream', { bytes: 0 }, { toxicity: 0.5 });
      const clients = await Promise.all(Array.from({ length: 20 }, () => fx.connectClient()));
      const outcomes = await Promise.all(
        clients.map(async (client) => {
          await write(client.socket, 'ping');
          return client.received(4).then(
            () => 'spared',
            () => 'affected',
          );
        }),
      );
      const affected = outcomes.filter((o) => o === 'affected').length;
      assert.ok(affected > 0 && affected < 20, `expected some but not all affected, got ${affected} of 20`);
    });

    it('updating toxicity from 0 to 1 applies the toxic to an open connection it had spared (timeout 100: closed within 150 ms)', async () => {
      // Toxiproxy's TestToxicity: a spared timeout toxic, updated to toxicity 1 and timeout 100.
      const fx = await start();
      const toxic = await fx.addToxic('timeout', 'downstream', { timeout: 0 }, { toxicity: 0 });
      const { client } = await fx.connect();
      await write(client.socket, 'ping');
      await client.received(4);
      const updating = now();
      await fx.updateToxic(toxic, { timeout: 100 }, 1);
      await write(client.socket, 'pong');
      assert.equal(await client.closed, 'end');
      assert.equal(client.data.toString(), 'ping', 'the second echo is swallowed');
      assert.ok((client.endedAt ?? 0) - updating <= 150, 'closed by the timeout within 150 ms');
    });
  });
});
