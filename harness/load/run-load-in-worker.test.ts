/** The generator's threads against a real HTTP server: one schedule dealt out, every sample back. */
import assert from 'node:assert/strict';
import { type HttpTarget, httpTarget } from '../../test/helpers/http-target.ts';
import { monotonicClock } from '../core/clock.ts';
import type { Sample } from '../samples/sample.ts';
import { SampleBus } from '../samples/sample-bus.ts';
import { type LoadSpecInput, loadSchema } from './load-spec.ts';
import { prepareLoadThread } from './run-load-in-worker.ts';

async function threads(target: HttpTarget, input: Partial<LoadSpecInput> & Pick<LoadSpecInput, 'executor'>) {
  const spec = loadSchema.parse({ workload: { workload: 'http-get', path: '/' }, ...input });
  const bus = new SampleBus();
  const samples: Sample[] = [];
  bus.subscribe((s) => samples.push(s));
  const clock = monotonicClock();
  const thread = await prepareLoadThread(spec, {
    targets: { lb: target.url, cdn: target.url },
    bus,
    seed: 3,
    clock,
  });
  const result = await thread.start();
  return { samples, result };
}

describe('load generator threads (workers)', function () {
  this.timeout(30_000);
  let target: HttpTarget | undefined;
  afterEach(async () => {
    await target?.close();
    target = undefined;
  });

  it('two workers send the one schedule between them: 200 req/s for 1 s is 200 requests, 1/200 s apart', async () => {
    target = await httpTarget();
    const { samples, result } = await threads(target, {
      executor: { executor: 'constant-arrival-rate', rate: 200, duration: '1s' },
      workers: 2,
    });
    assert.equal(samples.length, 200);
    assert.ok(samples.every((s) => s.outcome === 'ok'));
    const intended = samples.map((s) => s.intendedAt).sort((a, b) => a - b);
    const first = intended[0] as number;
    for (const [i, at] of intended.entries())
      assert.ok(Math.abs(at - (first + i * 5)) < 1e-6, `arrival ${i} at +${at - first} ms`);
    assert.ok(result.endedAt > result.startedAt);
    assert.equal(typeof result.health.sendLagMs.p99, 'number');
  });

  it('each worker runs its share of the users, named apart: no two threads share a session', async () => {
    target = await httpTarget();
    const { samples } = await threads(target, {
      executor: { executor: 'session-users', users: 6, pacing: '200ms', duration: '600ms' },
      workers: 3,
    });
    const users = new Set(samples.map((s) => s.sessionId));
    assert.deepEqual([...users].map((u) => u?.replace(/-user-\d+$/, '')).sort(), [
      'w1',
      'w1',
      'w2',
      'w2',
      'w3',
      'w3',
    ]);
    assert.equal(samples.length, 18, '6 users × 3 steps');
  });

  it('one worker is the default, its users named as before', async () => {
    target = await httpTarget();
    const { samples } = await threads(target, {
      executor: { executor: 'session-users', users: 2, pacing: '200ms', duration: '400ms' },
    });
    assert.deepEqual([...new Set(samples.map((s) => s.sessionId))].sort(), ['user-1', 'user-2']);
  });
});
