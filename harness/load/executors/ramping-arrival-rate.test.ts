import assert from 'node:assert/strict';
import { type HttpTarget, httpTarget } from '../../../test/helpers/http-target.ts';
import { loadAgainst } from '../../../test/helpers/load.ts';
import { loadSchema } from '../load-spec.ts';
import { fitStages } from './ramping-arrival-rate.ts';

describe('ramping-arrival-rate executor', function () {
  this.timeout(20_000);
  let target: HttpTarget;
  beforeEach(async () => {
    target = await httpTarget();
  });
  afterEach(() => target.close());

  it('ramps linearly from startRate to the target: 0 → 200 req/s over 1 s is 100 arrivals, 25 in the first half', async () => {
    const { samples, result } = await loadAgainst(target.url, {
      executor: { executor: 'ramping-arrival-rate', stages: [{ duration: '1s', target: 200 }] },
    });
    assert.equal(samples.length, 100);
    assert.equal(target.seen.filter((r) => r.method === 'GET').length, 100);
    const firstHalf = samples.filter((s) => s.intendedAt - result.startedAt < 500).length;
    assert.ok(Math.abs(firstHalf - 25) <= 1, `${firstHalf} arrivals in the first 500 ms`);
  });

  it('runs as long as its stages unless given a duration; a longer one holds the last target', async () => {
    const stages = [{ duration: '500ms', target: 100 }];
    const spec = (extra: object) =>
      loadSchema.parse({
        executor: { executor: 'ramping-arrival-rate', startRate: 100, stages, ...extra },
        workload: { workload: 'cart-journey' },
      }).executor;
    assert.equal(spec({}).duration, 500);
    assert.equal(spec({ duration: '1s' }).duration, 1000);
    const { samples } = await loadAgainst(target.url, {
      executor: { executor: 'ramping-arrival-rate', startRate: 100, stages, duration: '1s' },
    });
    assert.equal(samples.length, 100, '100 req/s for 500 ms, then held for 500 ms');
  });

  it('fits its stages to the run: holds the last target, or cuts a stage at the rate reached', () => {
    const stages = [
      { durationMs: 1000, target: 100 },
      { durationMs: 1000, target: 300 },
    ];
    assert.deepEqual(fitStages(0, stages, 2000), stages);
    assert.deepEqual(fitStages(0, stages, 3000), [...stages, { durationMs: 1000, target: 300 }]);
    assert.deepEqual(fitStages(0, stages, 1500), [stages[0], { durationMs: 500, target: 200 }]);
    assert.deepEqual(fitStages(50, stages, 500), [{ durationMs: 500, target: 75 }]);
  });

  it('needs at least one stage, each a duration and a target rate', () => {
    const issues = (executor: object) =>
      loadSchema
        .safeParse({
          executor: { executor: 'ramping-arrival-rate', ...executor },
          workload: { workload: 'cart-journey' },
        })
        .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    assert.match(String(issues({ stages: [] })), /executor\.stages: needs at least one stage/);
    assert.match(
      String(issues({ stages: [{ duration: 'soon', target: -1 }] })),
      /executor\.stages\.0\.duration: duration "soon" is not a duration.*executor\.stages\.0\.target: /,
    );
  });
});
