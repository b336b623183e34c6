import assert from 'node:assert/strict';
import { executorKinds } from './executors/registry.ts';
import { experimentLoadSchema, loadForPhases, loadSchema, phasesProblem } from './load-spec.ts';
import { workloadKinds } from './workloads/registry.ts';

const issues = (result: { error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('load spec', () => {
  it('knows every executor and workload from their registries, each with a description', () => {
    assert.deepEqual(
      [...executorKinds.keys()],
      ['constant-arrival-rate', 'ramping-arrival-rate', 'session-users'],
    );
    assert.deepEqual(
      [...workloadKinds.keys()],
      ['browse', 'read-after-write', 'static-assets', 'cart-journey', 'ledger', 'http-get', 'http'],
    );
    for (const kind of [...executorKinds.values(), ...workloadKinds.values()]) {
      assert.ok(kind.description.length > 20, kind.name);
    }
  });

  it('refuses an unknown or missing executor or workload, listing the known ones', () => {
    const unknown = issues(
      loadSchema.safeParse({
        executor: { executor: 'closed-loop', rate: 1 },
        workload: { workload: 'crawl' },
      }),
    );
    assert.deepEqual(unknown, [
      'executor.executor: unknown executor "closed-loop" (executors: constant-arrival-rate, ramping-arrival-rate, session-users)',
      'workload.workload: unknown workload "crawl" (workloads: browse, read-after-write, static-assets, cart-journey, ledger, http-get, http)',
    ]);
    assert.match(
      String(issues(experimentLoadSchema.safeParse({ executor: {}, workload: { workload: 'browse' } }))),
      /executor\.executor: needs "executor" \(executors: constant-arrival-rate, /,
    );
  });

  it('an experiment’s executor runs through its phases, its own durations scaled like them', () => {
    const load = experimentLoadSchema.parse({
      executor: { executor: 'ramping-arrival-rate', stages: [{ duration: '10s', target: 100 }] },
      workload: { workload: 'browse' },
    });
    const half = loadSchema.parse(loadForPhases(load, 15_000, 0.5));
    assert.deepEqual(half.executor, {
      executor: 'ramping-arrival-rate',
      startRate: 0,
      stages: [{ duration: 5000, target: 100 }],
      duration: 15_000,
    });
    const constant = experimentLoadSchema.parse({
      executor: { executor: 'constant-arrival-rate', rate: 10 },
      workload: { workload: 'browse' },
    });
    assert.equal(loadSchema.parse(loadForPhases(constant, 4000, 0.5)).executor.duration, 4000);
  });

  it('an executor longer than the phases does not fit them', () => {
    const ramp = { executor: 'ramping-arrival-rate', stages: [{ duration: 30_000, target: 5 }] };
    assert.equal(phasesProblem(ramp, 30_000), undefined);
    assert.equal(
      phasesProblem(ramp, 20_000),
      'ramping-arrival-rate takes 30s, longer than the phases (20s): shorten it or lengthen the phases',
    );
    assert.equal(phasesProblem({ executor: 'constant-arrival-rate', rate: 5 }, 1), undefined);
  });
});
