import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { configuredLoad } from './load.ts';
import { readResult } from './result.ts';

const fixture = (file: string) =>
  readResult(fileURLToPath(new URL(`../../reports/fixtures/${file}`, import.meta.url)));

describe('configuredLoad (a version 1 result’s load, derived on upgrade)', () => {
  it('is the experiment’s load spec with its defaults, running through the phases', async () => {
    const result = await fixture('cache-node-loss.result.json');
    const phasesMs = (result.phases.at(-1)?.endMs ?? 0) - (result.phases[0]?.startMs ?? 0);
    const expected = {
      executor: { executor: 'constant-arrival-rate', rate: 150, arrivals: 'uniform', duration: phasesMs },
      workload: { workload: 'browse', products: 300, zipfExponent: 1 },
      connections: 64,
      timeout: 5000,
      maxInFlight: 2000,
      precise: false,
      maxSendLagMs: 10,
      // One generator thread: what a run had before workers came.
      workers: 1,
    };
    assert.deepEqual(configuredLoad(result), expected);
    assert.deepEqual(result.load.configured, expected, 'reading the v1 file stored it');
  });

  it('scales a ramping executor’s stages by the run’s duration scale, as the run did', async () => {
    const result = await fixture('cache-node-loss.result.json');
    const load = result.experiment.definition.load as Record<string, unknown>;
    const ramping = {
      ...result,
      environment: { ...result.environment, durationScale: 0.5 },
      experiment: {
        ...result.experiment,
        definition: {
          ...result.experiment.definition,
          load: {
            ...load,
            executor: { executor: 'ramping-arrival-rate', stages: [{ duration: 4000, target: 80 }] },
          },
        },
      },
    };
    assert.deepEqual(configuredLoad(ramping)?.executor, {
      executor: 'ramping-arrival-rate',
      startRate: 0,
      stages: [{ duration: 2000, target: 80 }],
      duration: (result.phases.at(-1)?.endMs ?? 0) - (result.phases[0]?.startMs ?? 0),
    });
  });

  it('is null when the experiment copy holds no load spec it can read', async () => {
    const result = await fixture('cache-node-loss.result.json');
    const bare = { ...result, experiment: { ...result.experiment, definition: {} } };
    assert.equal(configuredLoad(bare), null);
  });
});
