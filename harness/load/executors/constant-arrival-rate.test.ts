import assert from 'node:assert/strict';
import { type HttpTarget, httpTarget } from '../../../test/helpers/http-target.ts';
import { loadAgainst } from '../../../test/helpers/load.ts';
import { loadSchema } from '../load-spec.ts';

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] as number));

describe('constant-arrival-rate executor', function () {
  this.timeout(20_000);
  let target: HttpTarget;
  beforeEach(async () => {
    target = await httpTarget();
  });
  afterEach(() => target.close());

  it('uniform: rate × duration arrivals, one every 1/rate s', async () => {
    const { samples } = await loadAgainst(target.url, {
      executor: { executor: 'constant-arrival-rate', rate: 100, duration: '500ms' },
    });
    assert.equal(samples.length, 50);
    assert.equal(target.seen.filter((r) => r.method === 'GET').length, 50);
    for (const gap of gaps(samples.map((s) => s.intendedAt).sort((a, b) => a - b))) {
      assert.ok(Math.abs(gap - 10) < 1e-6, `gap ${gap} ms`);
    }
  });

  it('poisson: seeded exponential gaps, the same schedule for the same seed', async () => {
    const executor = { executor: 'constant-arrival-rate', rate: 200, duration: '1s', arrivals: 'poisson' };
    const schedule = async (seed: number) => {
      const { samples, result } = await loadAgainst(target.url, { executor }, seed);
      return samples.map((s) => Math.round(s.intendedAt - result.startedAt)).sort((a, b) => a - b);
    };
    const first = await schedule(7);
    assert.ok(first.length > 150 && first.length < 250, `${first.length} arrivals at ~200/s for 1 s`);
    assert.ok(new Set(gaps(first)).size > 5, 'gaps vary');
    const again = await schedule(7);
    assert.equal(again.length, first.length, 'the same seed, the same number of arrivals');
    assert.ok(
      again.every((t, i) => Math.abs(t - (first[i] as number)) <= 1),
      'the same seed, the same intended times (±1 ms of clock start)',
    );
  });

  it('needs a rate above 0 and a duration; arrivals are uniform unless told', () => {
    const parsed = loadSchema.parse({
      executor: { executor: 'constant-arrival-rate', rate: 5, duration: '2s' },
      workload: { workload: 'cart-journey' },
    });
    assert.deepEqual(parsed.executor, {
      executor: 'constant-arrival-rate',
      rate: 5,
      duration: 2000,
      arrivals: 'uniform',
    });
    const bad = loadSchema.safeParse({
      executor: { executor: 'constant-arrival-rate', rate: 0 },
      workload: { workload: 'cart-journey' },
    });
    assert.deepEqual(
      bad.error?.issues.map((i) => i.path.join('.')),
      ['executor.rate', 'executor.duration'],
    );
  });
});
