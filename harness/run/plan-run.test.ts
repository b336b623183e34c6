import assert from 'node:assert/strict';
import { FaultlineError } from '../core/errors.ts';
import { type ExperimentInput, validateExperiment } from '../experiment/definition.ts';
import { runVariant } from './run-experiment.ts';

const base: ExperimentInput = {
  name: 'planned',
  description: 'checked before anything starts',
  topology: { web: 1, cache: 1, replicas: 2 },
  load: { executor: { executor: 'constant-arrival-rate', rate: 10 }, workload: { workload: 'browse' } },
  phases: { baseline: '1s', fault: '1s', recovery: '1s' },
  faults: [{ kind: 'cache-node-loss', node: 'cache-1' }],
  hypotheses: ['error-rate < 1% during fault'],
};

/** Runs the experiment with a starter that records whether anything was started. */
async function refusedBeforeStart(input: ExperimentInput, variant?: string): Promise<FaultlineError> {
  const experiment = validateExperiment(input, 'planned.experiment.ts');
  let started = false;
  const error = await runVariant(
    experiment,
    experiment.variants.find((v) => v.name === variant),
    {
      runtime: 'local',
      outDir: '/nonexistent',
      startTopology: async () => {
        started = true;
        throw new Error('the topology was started');
      },
    },
  ).then(
    () => assert.fail('the run was not refused'),
    (err: unknown) => err,
  );
  assert.equal(started, false, 'nothing was started');
  assert.ok(error instanceof FaultlineError, `a FaultlineError, got ${error}`);
  assert.equal(error.exitCode, 2, error.oneLine());
  return error;
}

describe('a run is checked before anything starts', () => {
  it('a fault on a link the topology lacks names the field and lists the links there are', async () => {
    const err = await refusedBeforeStart({
      ...base,
      faults: [{ kind: 'link-latency', link: 'web-1->cache-9', latency: '100ms' }],
    });
    assert.match(err.message, /^planned: faults\.0\.link: no link named "web-1->cache-9" in this topology$/);
    assert.match(
      err.hint,
      /^links: cdn->lb, lb->web-1, web-1->pg-primary, .*web-1->cache-1, .*pg-replica-2->pg-primary$/,
    );
  });

  it('a fault on a service the variant’s topology lacks names the variant, the field and the services', async () => {
    const err = await refusedBeforeStart(
      { ...base, variants: [{ name: 'no-cache', topology: { cache: 0 } }] },
      'no-cache',
    );
    assert.match(err.message, /^planned \[no-cache\]: faults\.0\.node: no service named "cache-1"/);
    assert.match(err.hint, /^services: lb, cdn, pg-primary, pg-replica-1, pg-replica-2, sessions, web-1$/);
  });

  it('a variant’s own faults are the ones checked (and run) in place of the experiment’s', async () => {
    const err = await refusedBeforeStart(
      { ...base, variants: [{ name: 'own', faults: [{ kind: 'link-down', link: 'web-1->cache-9' }] }] },
      'own',
    );
    assert.match(err.message, /^planned \[own\]: faults\.0\.link: no link named "web-1->cache-9"/);
  });

  it('every bad target at once, including faults that name theirs in a list', async () => {
    const err = await refusedBeforeStart({
      ...base,
      faults: [
        { kind: 'replica-lag', replicas: ['pg-replica-1', 'pg-replica-3'] },
        { kind: 'service-pause', service: 'toxiproxy' },
        { kind: 'link-down', link: 'cdn->lb' },
      ],
    });
    assert.match(err.message, /faults\.0\.replicas\.1: no service named "pg-replica-3"/);
    assert.match(err.message, /faults\.1\.service: toxiproxy cannot be faulted/);
    assert.doesNotMatch(err.message, /replicas\.0|faults\.2/);
  });

  it('a fault that needs what the topology lacks: cache-master-kill on a cache without Sentinel', async () => {
    const err = await refusedBeforeStart({
      ...base,
      faults: [{ kind: 'cache-master-kill', node: 'cache-1' }],
    });
    assert.match(err.message, /faults\.0: cache-master-kill needs a cache that fails over/);
  });

  it('a fault that needs what the app lacks: asset-change on an app without a staticDir', async () => {
    const err = await refusedBeforeStart({
      ...base,
      app: { command: ['python3', 'app.py'] },
      faults: [{ kind: 'asset-change', asset: 'app.css', invalidate: 'purge' }],
    });
    assert.match(err.message, /faults\.0: asset-change needs the app’s static files: .* has no staticDir/);
  });
});
