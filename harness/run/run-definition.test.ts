import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultlineError } from '../core/errors.ts';
import type { ExperimentInput } from '../experiment/definition.ts';
import { runExperiment } from './run-definition.ts';

const base: ExperimentInput = {
  name: 'scripted',
  description: 'refused before anything starts',
  load: { executor: { executor: 'constant-arrival-rate', rate: 10 }, workload: { workload: 'browse' } },
  phases: { baseline: '1s', fault: '1s', recovery: '1s' },
  faults: [{ kind: 'cache-node-loss' }],
  hypotheses: ['error-rate < 1% during fault'],
  variants: [{ name: 'sessions=memory' }, { name: 'sessions=redis' }],
};

/** The one-line usage error (exit 2) the run is refused with. */
async function refused(definition: ExperimentInput, options = {}): Promise<string> {
  const err = await runExperiment(definition, { runtime: 'local', outDir: '/nonexistent', ...options }).then(
    () => assert.fail('the run was not refused'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof FaultlineError, `a FaultlineError, got ${err}`);
  assert.equal(err.exitCode, 2, err.oneLine());
  return err.oneLine();
}

describe('runExperiment for scripts refuses what could never run', () => {
  it('an experiment with variants and none named, listing them', async () => {
    assert.equal(
      await refused(base),
      "scripted has variants: name the one to run, e.g. { variant: 'sessions=memory' } (variants: sessions=memory, sessions=redis)",
    );
  });

  it('a variant the experiment does not have', async () => {
    assert.match(
      await refused(base, { variant: 'sessions=disk' }),
      /^scripted has no variant "sessions=disk"/,
    );
  });

  it('a duration scale that is not above 0', async () => {
    assert.match(
      await refused(base, { variant: 'sessions=redis', durationScale: 0 }),
      /durationScale must be > 0/,
    );
  });

  it('an outDir that is a file, before anything starts (not when the result is written)', async () => {
    const file = join(tmpdir(), `faultline-outdir-spec-${process.pid}`);
    await writeFile(file, '');
    try {
      assert.equal(
        await refused(base, { variant: 'sessions=redis', outDir: file }),
        `outDir ${file} is not a directory (give a directory for the results, e.g. outDir runs)`,
      );
    } finally {
      await rm(file, { force: true });
    }
  });
});
