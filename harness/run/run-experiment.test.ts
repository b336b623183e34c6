import assert from 'node:assert/strict';
import { FaultlineError } from '../core/errors.ts';
import { validateExperiment } from '../experiment/definition.ts';
import { runVariant } from './run-experiment.ts';

const experiment = validateExperiment(
  {
    name: 'unstartable',
    description: 'its topology fails to start',
    load: { executor: { executor: 'constant-arrival-rate', rate: 10 }, workload: { workload: 'browse' } },
    phases: { baseline: '1s', fault: '1s', recovery: '1s' },
    faults: [{ kind: 'cache-node-loss' }],
    hypotheses: ['error-rate < 1% during fault'],
  },
  'unstartable',
);

describe('running an experiment', () => {
  it('a topology that fails to start with a plain error is one line naming the run, exit 3', async () => {
    await assert.rejects(
      runVariant(experiment, undefined, {
        runtime: 'local',
        outDir: '/nonexistent',
        startTopology: async () => {
          throw new Error('initdb: could not access directory\nsecond line');
        },
      }),
      (err: unknown) => {
        assert.ok(err instanceof FaultlineError, `a FaultlineError, got ${err}`);
        assert.equal(err.exitCode, 3);
        assert.equal(err.message, 'unstartable: initdb: could not access directory');
        return true;
      },
    );
  });
});
