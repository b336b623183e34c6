import assert from 'node:assert/strict';
import { loadExperiments } from './catalog.ts';
import { type ExperimentInput, phaseWindows, validateExperiment } from './definition.ts';

const valid = {
  name: 'demo',
  description: 'a demo',
  load: { executor: { executor: 'constant-arrival-rate', rate: 10 }, workload: { workload: 'browse' } },
  phases: { baseline: '2s', fault: '2s', recovery: '2s' },
  faults: [{ kind: 'cache-node-loss', node: 'cache-1' }],
  hypotheses: ['error-rate < 1% during fault'],
};

describe('experiment definitions', () => {
  it('applies defaults: warmup, steady state, seed, the shop target (its options are checked when planned)', () => {
    const e = validateExperiment(valid, 'demo.experiment.ts');
    assert.equal(e.phases.warmup, 3000);
    assert.deepEqual(e.steadyState, ['error-rate < 1% during baseline']);
    assert.equal(e.seed, 1);
    assert.equal(e.target, 'shop');
    assert.deepEqual(e.topology, {});
  });

  it('takes a target by name, by file or as a definition, and the user’s own app', () => {
    assert.equal(validateExperiment({ ...valid, target: './my.target.ts' }, 'x').target, './my.target.ts');
    const app = { command: ['python3', 'app.py'], schema: 'schema.sql' };
    assert.deepEqual(validateExperiment({ ...valid, app }, 'x').app?.command, ['python3', 'app.py']);
    assert.throws(
      () => validateExperiment({ ...valid, target: 'Not A Target' }, 'x'),
      /target: a target name \(e\.g\. shop\), the path of a target\.ts file/,
    );
    assert.throws(
      () => validateExperiment({ ...valid, app: { healthPath: '/up' } }, 'x'),
      /app: give a command/,
    );
  });

  it("types the load for an editor: a registered executor's and workload's own options, and nothing else", () => {
    const typed: ExperimentInput['load'][] = [
      {
        executor: {
          executor: 'ramping-arrival-rate',
          startRate: 10,
          stages: [{ duration: '2s', target: 50 }],
        },
        workload: { workload: 'http', requests: [{ path: '/items/{key}', keys: 100 }] },
      },
      // @ts-expect-error: constant-arrival-rate has no "rat" (and needs its rate)
      { executor: { executor: 'constant-arrival-rate', rat: 100 }, workload: { workload: 'browse' } },
      // @ts-expect-error: no executor of that name
      { executor: { executor: 'constant-rate', rate: 100 }, workload: { workload: 'browse' } },
      {
        executor: { executor: 'constant-arrival-rate', rate: 100 },
        // @ts-expect-error: browse has no "bogus"
        workload: { workload: 'browse', bogus: 5 },
      },
    ];
    // What the types refuse, validation refuses too (an experiment file may be plain JavaScript).
    const problems = typed.map((load) => {
      try {
        validateExperiment({ ...valid, load }, 'x.experiment.ts');
        return 'ok';
      } catch (err) {
        return (err as Error).message.includes('load') ? 'load refused' : (err as Error).message;
      }
    });
    assert.deepEqual(problems, ['ok', 'load refused', 'load refused', 'load refused']);
  });

  it('reports every problem at once, each with its path', () => {
    const bad = {
      ...valid,
      name: 'Bad Name',
      extra: true,
      phases: { baseline: 'soon', fault: '2s' },
      faults: [{ kind: 'cache-node-loss', node: 'cache-1', bogus: 1 }, { kind: 'meteor' }],
      hypotheses: ['p99 is fine', 'p99 < 1s during lunch', 'speed < 3'],
      checkers: ['nope'],
    };
    assert.throws(
      () => validateExperiment(bad, 'bad.experiment.ts'),
      (err: Error & { exitCode: number }) => {
        assert.equal(err.exitCode, 2);
        for (const expected of [
          /^bad\.experiment\.ts: invalid experiment: /,
          /name: lowercase words joined by dashes/,
          /phases\.baseline: duration "soon" is not a duration/,
          /phases\.recovery: /,
          /faults\.0: .*Unrecognized key: "bogus"/,
          /faults\.1: .*meteor/,
          /hypotheses\.0: "p99 is fine" is not/,
          /hypotheses\.1: .*unknown phase "lunch"/,
          /hypotheses\.2: .*unknown metric "speed"/,
          /checkers: .*nope/,
          /Unrecognized key: "extra"/,
        ]) {
          assert.match(err.message, expected);
        }
        return true;
      },
    );
  });

  it('a threshold says its unit: a time in ms/s/m, a rate in %, a count bare', () => {
    const problems = (hypotheses: string[]) => {
      try {
        validateExperiment({ ...valid, hypotheses }, 'units.experiment.ts');
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    };
    assert.equal(problems(['p99 < 300ms during fault', 'error-rate < 1%', 'sessions-lost == 0']), '');
    const message = problems([
      'p99 < 300 during fault',
      'error-rate < 0.01 during fault',
      'sessions-lost == 0ms',
      'p99 < 5% during fault',
    ]);
    assert.match(
      message,
      /hypotheses\.0: "p99 < 300 during fault": p99 is a time: write the unit, e\.g\. 300ms/,
    );
    assert.match(
      message,
      /hypotheses\.1: "error-rate < 0\.01 during fault": error-rate is a rate: write it in %, e\.g\. 1%/,
    );
    assert.match(
      message,
      /hypotheses\.2: "sessions-lost == 0ms": sessions-lost is a count: write the number alone, e\.g\. 0/,
    );
    assert.match(
      message,
      /hypotheses\.3: "p99 < 5% during fault": p99 is a time: write the unit, e\.g\. 5ms/,
    );
  });

  it('a variant that replaces the hypotheses names at least one (none would be a green that judged nothing)', () => {
    assert.throws(
      () => validateExperiment({ ...valid, variants: [{ name: 'v', hypotheses: [] }] }, 'v.experiment.ts'),
      /variants\.0\.hypotheses: /,
    );
  });

  it('a variant may bring its own faults, their parameters checked like the experiment’s', () => {
    const own = validateExperiment(
      { ...valid, variants: [{ name: 'v', faults: [{ kind: 'link-down', link: 'cdn->lb' }] }] },
      'v.experiment.ts',
    );
    assert.deepEqual(own.variants[0]?.faults, [{ kind: 'link-down', link: 'cdn->lb' }]);
    assert.throws(
      () =>
        validateExperiment(
          {
            ...valid,
            variants: [{ name: 'v', faults: [{ kind: 'link-latency', link: 'cdn->lb', latency: -1 }] }],
          },
          'v.experiment.ts',
        ),
      /variants\.0\.faults\.0: invalid link-latency fault: latency: /,
    );
    assert.throws(
      () => validateExperiment({ ...valid, variants: [{ name: 'v', faults: [] }] }, 'v.experiment.ts'),
      /variants\.0\.faults: /,
    );
  });

  it('load takes the same limits as faultline load, checked when the experiment is loaded', () => {
    const load = (extra: Record<string, unknown>) => ({ ...valid, load: { ...valid.load, ...extra } });
    assert.throws(
      () => validateExperiment(load({ connections: 5000 }), 'c.experiment.ts'),
      /load\.connections: /,
    );
    const e = validateExperiment(load({ precise: true, maxSendLagMs: 20 }), 'p.experiment.ts');
    assert.equal(e.load.precise, true);
    assert.equal(e.load.maxSendLagMs, 20);
  });

  it('load may ramp (ramping-arrival-rate) and be precise, its stages within the phases', () => {
    const ramp = (stages: object[]) => ({
      ...valid,
      load: {
        executor: { executor: 'ramping-arrival-rate', startRate: 10, stages },
        workload: { workload: 'http-get', path: '/' },
        precise: true,
      },
    });
    // warmup 3 s + 2 s + 2 s + 2 s = 9 s of phases
    const e = validateExperiment(
      ramp([
        { duration: '3s', target: 100 },
        { duration: '6s', target: 600 },
      ]),
      'ramp.experiment.ts',
    );
    assert.equal(e.load.precise, true);
    assert.deepEqual(e.load.executor.stages, [
      { duration: 3000, target: 100 },
      { duration: 6000, target: 600 },
    ]);
    assert.throws(
      () => validateExperiment(ramp([{ duration: '10s', target: 100 }]), 'long.experiment.ts'),
      /load\.executor: ramping-arrival-rate takes 10s, longer than the phases \(9s\)/,
    );
  });

  it('an unknown executor or workload is refused, listing the known ones', () => {
    const load = { executor: { executor: 'closed-loop', users: 5 }, workload: { workload: 'crawl' } };
    assert.throws(
      () => validateExperiment({ ...valid, load }, 'u.experiment.ts'),
      (err: Error & { exitCode: number }) => {
        assert.equal(err.exitCode, 2);
        assert.match(
          err.message,
          /load\.executor\.executor: unknown executor "closed-loop" \(executors: constant-arrival-rate, ramping-arrival-rate, session-users\)/,
        );
        assert.match(err.message, /load\.workload\.workload: unknown workload "crawl" \(workloads: browse, /);
        return true;
      },
    );
  });

  it('lays phases end to end, scaled for quick runs', () => {
    const e = validateExperiment(valid, 'demo');
    assert.deepEqual(phaseWindows(e, 0.5), [
      { name: 'warmup', startMs: 0, endMs: 1500 },
      { name: 'baseline', startMs: 1500, endMs: 2500 },
      { name: 'fault', startMs: 2500, endMs: 3500 },
      { name: 'recovery', startMs: 3500, endMs: 4500 },
    ]);
  });

  it('the eleven shipped experiments are valid', async () => {
    const names = (await loadExperiments()).map((e) => e.name);
    assert.deepEqual(names, [
      'cache-failover',
      'cache-node-loss',
      'cache-staleness',
      'cache-stampede',
      'cdn-invalidation',
      'cdn-origin-outage',
      'lb-backend-death',
      'primary-loss',
      'primary-partition',
      'replica-lag',
      'session-loss',
    ]);
  });

  it('an unknown experiment name lists the known ones', async () => {
    await assert.rejects(loadExperiments(['nope']), (err: Error & { oneLine(): string }) => {
      assert.match(err.oneLine(), /no experiment named "nope" \(known: .*replica-lag/);
      return true;
    });
  });
});
