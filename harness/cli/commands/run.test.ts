import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../test/helpers/cli.ts';
import { FaultlineError } from '../../core/errors.ts';
import { exitCodeOf, type RunCommandOptions, runCommand } from './run.ts';

const options = (extra: Partial<RunCommandOptions>): RunCommandOptions => ({
  experiments: [],
  runtime: 'local',
  durationScale: 0.1,
  out: join(tmpdir(), 'faultline-run-spec-never-written'),
  json: true,
  ...extra,
});

/** The usage error (exit 2) runCommand refuses with; nothing can have started before it. */
async function refused(extra: Partial<RunCommandOptions>): Promise<FaultlineError> {
  const error = await runCommand(options(extra)).then(
    (outcomes) => assert.fail(`not refused: ${outcomes.length} runs`),
    (err: unknown) => err,
  );
  assert.ok(error instanceof FaultlineError, `a FaultlineError, got ${error}`);
  assert.equal(error.exitCode, 2, error.oneLine());
  return error;
}

describe('faultline run: what it runs, and never a green without a verdict', () => {
  it('an unknown variant of a named experiment is exit 2 listing its variants', async () => {
    const err = await refused({ experiments: ['replica-lag'], variant: 'mitigation=lsm' });
    assert.equal(
      err.oneLine(),
      'replica-lag has no variant "mitigation=lsm" (variants: mitigation=none, mitigation=primary-after-write, mitigation=lsn, mitigation=write-through-cache)',
    );
  });

  it('a variant a named experiment lacks is exit 2, even when another named one has it', async () => {
    const err = await refused({ experiments: ['replica-lag', 'cache-node-loss'], variant: 'mitigation=lsn' });
    assert.equal(err.oneLine(), 'cache-node-loss has no variant "mitigation=lsn" (it has no variants)');
  });

  it('a variant no experiment has is exit 2 listing every experiment’s variants', async () => {
    const err = await refused({ variant: 'sessions=disk' });
    assert.match(err.message, /^no experiment has a variant "sessions=disk"$/);
    assert.match(err.hint, /replica-lag: mitigation=none, .*; session-loss: sessions=memory, sessions=redis/);
  });

  it('--out naming a file is exit 2 before anything starts (not an error when writing the result)', async () => {
    const file = join(tmpdir(), `faultline-run-spec-${process.pid}.txt`);
    await writeFile(file, '');
    try {
      const err = await refused({ experiments: ['replica-lag'], out: file });
      assert.equal(
        err.oneLine(),
        `--out ${file} is not a directory (give a directory for the results, e.g. --out runs)`,
      );
    } finally {
      await rm(file, { force: true });
    }
  });

  describe('against another target (--target)', () => {
    const dir = join(tmpdir(), `faultline-run-spec-${process.pid}`);
    const harness = fileURLToPath(new URL('../../index.ts', import.meta.url));
    /** An experiment like cache-node-loss whose variants set these topology options. */
    async function experimentWith(name: string, variants: Record<string, unknown>[]): Promise<string> {
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${name}.experiment.ts`);
      await writeFile(
        file,
        `import { defineExperiment } from ${JSON.stringify(harness)};
export default defineExperiment({
  name: ${JSON.stringify(name)},
  description: 'a spec experiment',
  topology: { web: 2, cache: 1, replicas: 1 },
  load: { executor: { executor: 'constant-arrival-rate', rate: 10 }, workload: { workload: 'browse' } },
  phases: { baseline: '1s', fault: '1s', recovery: '1s' },
  faults: [{ kind: 'cache-node-loss' }],
  hypotheses: ['error-rate < 1% during fault'],
  variants: ${JSON.stringify(variants.map((topology, i) => ({ name: `v${i}`, topology })))},
});
`,
      );
      return file;
    }
    after(() => rm(dir, { recursive: true, force: true }));

    it('skips the variants that target cannot take; when that is all of them, exit 2 before anything starts', async () => {
      const file = await experimentWith('shop-only', [{ mitigation: 'lsn' }, { stampedeGuard: 'xfetch' }]);
      const err = await refused({ experiments: [file], target: 'pyshop' });
      assert.equal(
        err.oneLine(),
        '--target pyshop takes none of the selected variants (choose variants or experiments that target runs; faultline list shows them)',
      );
    });

    it('a variant asked for by name is refused, not skipped', async () => {
      const file = await experimentWith('named-shop-only', [{ mitigation: 'lsn' }]);
      const err = await refused({ experiments: [file], target: 'pyshop', variant: 'v0' });
      assert.match(err.message, /pyshop implements no read-your-writes mitigation/);
    });

    it('a variant wrong for its own target too is an error, never skipped', async () => {
      const file = await experimentWith('typo', [{ mitigatoin: 'lsn' }]);
      const err = await refused({ experiments: [file], target: 'pyshop' });
      assert.match(err.message, /Unrecognized key: "mitigatoin"/);
    });
  });

  it('no runs means no exit 0', () => {
    assert.notEqual(exitCodeOf([]), 0);
  });

  it('a bare --repeat (no number) is exit 2, not silently its default', async () => {
    const run = runCli(['run', 'replica-lag', '--repeat']);
    assert.equal(await run.exit, 2);
    assert.match(run.stderr(), /^faultline: --repeat needs a number \(e\.g\. --repeat 3\)$/m);
  });

  it('--duration-scale that is not a number says so, exit 2', async () => {
    const run = runCli(['run', 'replica-lag', '--duration-scale', 'abc']);
    assert.equal(await run.exit, 2);
    assert.match(run.stderr(), /^faultline: --duration-scale: not a number: abc \(/m);
  });
});
