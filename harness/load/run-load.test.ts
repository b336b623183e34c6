/**
 * The generator against real HTTP servers on loopback: it keeps an open-loop schedule, measures
 * latency from the intended time (a stall is not hidden), and counts every error, timeout and drop.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { type HttpTarget, httpTarget } from '../../test/helpers/http-target.ts';
import { loadAgainst as load } from '../../test/helpers/load.ts';
import { latencyMs, type Sample } from '../samples/sample.ts';

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function countBy(samples: Sample[], key: (s: Sample) => string | undefined) {
  const counts: Record<string, number> = {};
  for (const s of samples) {
    const k = key(s) ?? '-';
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

/**
 * Valid, or invalid because it really fell behind, saying so. How far behind it falls on this
 * machine is a speed question for `npm run bench -- load`; a spec sharing two cores with another
 * test run must not fail on it.
 */
function assertHonestHealth(health: { valid: boolean; reason?: string }): void {
  if (!health.valid) assert.match(health.reason ?? '', /^the load generator fell behind: send lag p99/);
}

describe('load generator (open loop, undici) against a real HTTP server', function () {
  this.timeout(20_000);
  let target: HttpTarget | undefined;
  afterEach(async () => {
    await target?.close();
    target = undefined;
  });

  it('achieves the target rate: 200 req/s for 2 s sends 400 requests, spread over 2 s (±5%)', async () => {
    target = await httpTarget();
    const { samples, result } = await load(target.url, {
      executor: { executor: 'constant-arrival-rate', rate: 200, duration: '2s' },
    });
    assert.equal(samples.length, 400);
    assert.ok(samples.every((s) => s.outcome === 'ok' && s.status === 200));
    const span = (target.seen.at(-1)?.at ?? 0) - (target.seen[0]?.at ?? 0);
    assert.ok(
      Math.abs(span - 1995) < 100,
      `requests reached the server over ${span.toFixed(0)} ms (expected ~1995 ±100)`,
    );
    assertHonestHealth(result.health);
  });

  it('precise mode keeps the same schedule: every arrival sent, none before it is due', async () => {
    target = await httpTarget();
    const { samples, result } = await load(target.url, {
      executor: { executor: 'constant-arrival-rate', rate: 500, duration: '1s' },
      precise: true,
    });
    assert.equal(samples.length, 500);
    assert.ok(samples.every((s) => s.outcome === 'ok'));
    const early = samples.filter((s) => (s.sentAt as number) < s.intendedAt);
    assert.equal(early.length, 0, `${early.length} requests sent before they were due`);
    assertHonestHealth(result.health);
  });

  it('opens its connections before the schedule starts: the first request does not wait for a handshake', async () => {
    const events: string[] = [];
    const server = createHttpServer((req, res) => {
      events.push(req.method ?? '?');
      res.end('ok');
    });
    server.on('connection', () => events.push('connect'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { samples } = await load(url, {
        executor: { executor: 'constant-arrival-rate', rate: 50, duration: '200ms' },
        connections: 4,
      });
      assert.equal(samples.length, 10, 'the warm-up requests are not samples');
      const firstGet = events.indexOf('GET');
      assert.equal(events.slice(0, firstGet).filter((e) => e === 'connect').length, 4, events.join(' '));
      assert.equal(
        events.slice(firstGet).includes('connect'),
        false,
        `no new connection once running: ${events.join(' ')}`,
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('does not hide a 1 s stall: p99 >= 0.9 s and about half the stalled arrivals wait > 500 ms', async () => {
    const origin = performance.now();
    const held: (() => void)[] = [];
    // Answers at once, except for requests arriving between 1.0 s and 2.0 s: those wait until 2.0 s.
    target = await httpTarget((_, res) => {
      const t = performance.now() - origin;
      if (t >= 1000 && t < 2000) held.push(() => res.end('late'));
      else res.end('ok');
    });
    const release = setTimeout(() => {
      for (const answer of held.splice(0)) answer();
    }, 2000);
    try {
      const { samples } = await load(target.url, {
        executor: { executor: 'constant-arrival-rate', rate: 100, duration: '3s' },
      });
      const latencies = samples.map((s) => latencyMs(s) as number);
      assert.equal(samples.length, 300);
      assert.ok(percentile(latencies, 0.99) >= 900, `p99 ${percentile(latencies, 0.99).toFixed(0)} ms`);
      const late = latencies.filter((l) => l > 500).length;
      assert.ok(
        late >= 40 && late <= 60,
        `${late} requests over 500 ms (expected ~50 ±10: arrivals in the first half of the stall)`,
      );
    } finally {
      clearTimeout(release);
    }
  });

  it('session users behind a slow server: their wait for their own answers is latency, not generator lag', async () => {
    // Every answer takes 300 ms; each user is paced at one step per 100 ms, so every step after the
    // first is due while the user still waits for the previous answer.
    target = await httpTarget((_, res) => {
      setTimeout(() => res.end('ok'), 300);
    });
    const { samples, result } = await load(target.url, {
      executor: { executor: 'session-users', users: 2, duration: '1s', pacing: '100ms' },
    });
    const latencies = samples.map((s) => latencyMs(s) as number);
    assert.ok(
      Math.max(...latencies) > 800,
      `the schedule's debt shows as latency: max ${Math.max(...latencies)} ms`,
    );
    assert.ok(
      samples.some((s) => (s.readyAt ?? 0) > s.intendedAt),
      'late steps are marked ready when their user was',
    );
    assert.equal(result.health.valid, true, result.health.reason);
    assert.ok(result.health.sendLagMs.p99 < 10, `send lag p99 ${result.health.sendLagMs.p99} ms`);
  });

  it('counts errors by their code: refused, reset and timeout (timeouts are info, not dropped)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await load(`http://127.0.0.1:${port}`, {
      executor: { executor: 'constant-arrival-rate', rate: 50, duration: '200ms' },
    });
    assert.deepEqual(
      countBy(refused.samples, (s) => s.error),
      { ECONNREFUSED: 10 },
    );
    assert.ok(refused.samples.every((s) => s.outcome === 'fail'));

    target = await httpTarget((req) => req.socket.resetAndDestroy());
    const reset = await load(target.url, {
      executor: { executor: 'constant-arrival-rate', rate: 50, duration: '200ms' },
    });
    assert.equal(reset.samples.length, 10);
    assert.ok(
      reset.samples.every((s) => s.outcome === 'fail' && /ECONNRESET|UND_ERR_SOCKET/.test(s.error ?? '')),
      JSON.stringify(countBy(reset.samples, (s) => s.error)),
    );
    await target.close();

    target = await httpTarget(() => undefined); // never answers
    const slow = await load(target.url, {
      executor: { executor: 'constant-arrival-rate', rate: 50, duration: '200ms' },
      timeout: '300ms',
    });
    assert.deepEqual(
      countBy(slow.samples, (s) => `${s.outcome}:${s.error}`),
      { 'info:TIMEOUT': 10 },
    );
    const waited = slow.samples.map((s) => s.doneAt - (s.sentAt as number));
    assert.ok(
      waited.every((w) => w >= 290 && w < 450),
      `timed out after ~300 ms (tolerance -10/+150 ms): ${waited.map(Math.round)}`,
    );
  });

  it('counts arrivals over the in-flight cap as dropped, never skipping them silently', async () => {
    target = await httpTarget((_, res) => setTimeout(() => res.end('slow'), 1000));
    const { samples } = await load(target.url, {
      executor: { executor: 'constant-arrival-rate', rate: 100, duration: '500ms' },
      maxInFlight: 5,
    });
    assert.equal(samples.length, 50, 'every arrival is accounted for');
    const dropped = samples.filter((s) => s.error === 'DROPPED');
    assert.equal(dropped.length, 45);
    assert.ok(dropped.every((s) => s.sentAt === undefined && s.outcome === 'fail'));
  });

  it('is deterministic with a seed: the same workload requests in the same order', async () => {
    target = await httpTarget((_, res) => res.end('{}'));
    const spec = {
      executor: { executor: 'constant-arrival-rate' as const, rate: 200, duration: '250ms' },
      workload: { workload: 'browse' as const },
    };
    await load(target.url, spec, 42);
    const first = target.seen.map((r) => r.path);
    target.seen.length = 0;
    await load(target.url, spec, 42);
    assert.deepEqual(
      target.seen.map((r) => r.path),
      first,
    );
    assert.ok(new Set(first).size > 5, 'browsing visits several products');
  });
});
