import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '../../../reports/html/fixtures.ts';
import { runCli } from '../../../test/helpers/cli.ts';
import { ExitCode, FaultlineError } from '../../core/errors.ts';
import { reportCommand, resolveResultPath } from './report.ts';

describe('faultline report', function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-report-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes report.html beside the result and prints its path', async () => {
    const result = join(dir, 'result.json');
    await copyFile(fixturePath('replica-lag'), result);
    const run = runCli(['report', result]);
    assert.equal(await run.exit, 0, run.stderr());
    assert.equal(run.stdout(), `${join(dir, 'report.html')}\n`);
    assert.match(await readFile(join(dir, 'report.html'), 'utf8'), /<h1>replica-lag<\/h1>/);
  });

  it('--out writes where asked', async () => {
    const out = join(dir, 'custom.html');
    const run = runCli(['report', fixturePath('session-loss'), '--out', out]);
    assert.equal(await run.exit, 0, run.stderr());
    assert.equal(run.stdout(), `${out}\n`);
    assert.match(await readFile(out, 'utf8'), /Sessions lost/);
  });

  it('a tampered result: exit 2, one line naming the file, nothing written', async () => {
    const result = join(dir, 'result.json');
    const json = JSON.parse(await readFile(fixturePath('lb-backend-death'), 'utf8'));
    json.hypotheses[0].holds = 'maybe';
    await writeFile(result, JSON.stringify(json));
    const run = runCli(['report', result]);
    assert.equal(await run.exit, ExitCode.usage);
    assert.equal(run.stdout(), '');
    const lines = run.stderr().trimEnd().split('\n');
    assert.equal(lines.length, 1, run.stderr());
    assert.match(
      lines[0] as string,
      /^faultline: .*result\.json is not a faultline result: hypotheses\.0\.holds/,
    );
    assert.deepEqual(await readdir(dir), ['result.json']);
  });

  it('a run directory, or an experiment directory (its latest run), stands for its result.json', async () => {
    const run = join(dir, 'replica-lag', '20261126T115405Z');
    await mkdir(run, { recursive: true });
    await copyFile(fixturePath('replica-lag'), join(run, 'result.json'));
    await symlink('20261126T115405Z', join(dir, 'replica-lag', 'latest'));
    assert.equal(await resolveResultPath(run), join(run, 'result.json'));
    assert.equal(
      await resolveResultPath(join(dir, 'replica-lag')),
      join(dir, 'replica-lag', 'latest', 'result.json'),
    );
    assert.equal(await reportCommand({ result: run }), join(run, 'report.html'));
  });

  it('a directory without a result: a usage error', async () => {
    await assert.rejects(
      reportCommand({ result: dir }),
      (err: unknown) =>
        err instanceof FaultlineError &&
        err.exitCode === ExitCode.usage &&
        err.message === `no result.json in ${dir}`,
    );
  });
});
