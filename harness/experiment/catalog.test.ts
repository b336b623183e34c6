import assert from 'node:assert/strict';
import {
  createUserProject,
  type UserProject,
  userExperimentSource,
} from '../../test/helpers/user-project.ts';
import { ExitCode, FaultlineError } from '../core/errors.ts';
import { loadExperiments } from './catalog.ts';

/** The one-line usage error (exit 2) that loading `selectors` fails with. */
async function usageFailure(selectors: string[], code: string): Promise<string> {
  const err = await loadExperiments(selectors).then(
    () => assert.fail('expected a usage error'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof FaultlineError, String(err));
  assert.equal(err.code, code);
  assert.equal(err.exitCode, ExitCode.usage);
  assert.doesNotMatch(err.oneLine(), /\n/);
  return err.oneLine();
}

describe('experiment catalog', () => {
  describe('experiment files in a user project that installed faultline', () => {
    let plain: UserProject;
    let esm: UserProject;
    before(async () => {
      plain = await createUserProject();
      esm = await createUserProject({ type: 'module' });
    });
    after(async () => {
      await plain?.[Symbol.asyncDispose]();
      await esm?.[Symbol.asyncDispose]();
    });

    // First, while harness/index.ts is not loaded yet: the shipped experiment's import() of it and
    // the CommonJS user file's require('faultline') then meet ("not yet fully loaded").
    it('loads a .ts file outside a "type": "module" package together with a shipped experiment', async () => {
      const file = await plain.write('my.experiment.ts', userExperimentSource('mine'));
      const loaded = await loadExperiments(['cache-node-loss', file]);
      assert.deepEqual(
        loaded.map((e) => e.name),
        ['cache-node-loss', 'mine'],
      );
    });

    it('loads .ts and .mts, with and without "type": "module"', async () => {
      const files = [
        await plain.write('chaos/a.experiment.mts', userExperimentSource('a')),
        await esm.write('b.experiment.ts', userExperimentSource('b')),
        await esm.write('c.experiment.mts', userExperimentSource('c')),
      ];
      assert.deepEqual(
        (await loadExperiments(files)).map((e) => e.name),
        ['a', 'b', 'c'],
      );
    });

    it('loads every experiment file as an ES module: top-level await works outside "type": "module"', async () => {
      const file = await plain.write(
        'tla.experiment.ts',
        userExperimentSource('x').replace("name: 'x'", "name: await Promise.resolve('tla')"),
      );
      assert.equal((await loadExperiments([file]))[0]?.name, 'tla');
    });

    it('refuses a file without a default export, naming it', async () => {
      for (const project of [plain, esm]) {
        const file = await project.write(
          'named.experiment.ts',
          `import { defineExperiment } from 'faultline';\nexport const x = defineExperiment;\n`,
        );
        assert.match(
          await usageFailure([file], 'experiment.export'),
          /named\.experiment\.ts has no default export/,
        );
      }
    });

    it('refuses a file that does not load, with its first line', async () => {
      const file = await plain.write(
        'broken.experiment.ts',
        `import { nothing } from 'no-such-package';\nnothing();\n`,
      );
      assert.match(
        await usageFailure([file], 'experiment.load'),
        /cannot load .*broken\.experiment\.ts: .*no-such-package/,
      );
    });
  });

  it('refuses a path that does not exist before loading anything', async () => {
    const line = await usageFailure(['cache-node-loss', './no/such.experiment.ts'], 'experiment.file');
    assert.match(line, /no experiment file .*no\/such\.experiment\.ts/);
  });

  it('refuses a path that is not a TypeScript file', async () => {
    assert.match(
      await usageFailure(['./package.json'], 'experiment.file'),
      /package\.json is not a TypeScript file/,
    );
  });

  it('refuses an unknown name, listing the known ones', async () => {
    assert.match(
      await usageFailure(['cache-node-los'], 'experiment.unknown'),
      /no experiment named "cache-node-los".*cache-node-loss/,
    );
  });
});
