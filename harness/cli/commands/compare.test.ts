import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { fixtureDir, loadFixture } from '../../../reports/compare/fixtures.ts';
import type { SuiteComparison } from '../../../reports/compare/types.ts';
import { ExitCode, FaultlineError } from '../../core/errors.ts';
import { compareCommand, compareCommandModule } from './compare.ts';

/**
 * The command as main.ts runs it (yargs, strict, FaultlineError → its exit code and one stderr
 * line), in process, with stdout captured.
 */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => {
    stdout += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await yargs(args)
      .command(compareCommandModule)
      .strict()
      .fail((message, error) => {
        if (error) throw error;
        throw new FaultlineError('usage', message, 'see --help', ExitCode.usage);
      })
      .parseAsync();
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    if (err instanceof FaultlineError)
      return { code: err.exitCode, stdout, stderr: `faultline: ${err.oneLine()}\n` };
    throw err;
  } finally {
    process.stdout.write = write;
  }
}

describe('faultline compare (the command)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-compare-cli-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('exit 0 without regression; prints the table and writes the HTML', async () => {
    const out = join(dir, 'same.html');
    const run = await cli([
      'compare',
      fixtureDir('baseline'),
      fixtureDir('rerun'),
      '--out',
      out,
      '--fail-on-regression',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^cache-node-loss: 3 baseline vs 3 candidate run\(s\), spread noise model$/m);
    assert.match(run.stdout, /p99 during fault +[\d.]+ ms \[[\d.]+ ms–[\d.]+ ms\]/);
    assert.match(run.stdout, /No regression in 1 experiment\(s\) → /);
    const page = await readFile(out, 'utf8');
    assert.match(page, /NO REGRESSION/);
    assert.deepEqual(await readdir(dir), ['same.html'], 'written atomically: no temporary left');
  });

  it('a regression: exit 0 by default, exit 1 with --fail-on-regression (HTML written either way)', async () => {
    const out = join(dir, 'worse.html');
    const plain = await cli(['compare', fixtureDir('baseline'), fixtureDir('replica-120ms'), '--out', out]);
    assert.equal(plain.code, 0);
    assert.match(plain.stdout, /p99 during fault .*REGRESSED/);
    const strict = await cli([
      'compare',
      fixtureDir('baseline'),
      fixtureDir('replica-120ms'),
      '--out',
      out,
      '--fail-on-regression',
    ]);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /^faultline: \d+ regression\(s\) beyond the noise \(see .*worse\.html\)\n$/);
    assert.match(await readFile(out, 'utf8'), /REGRESSION/);
  });

  it('accepts single result.json files and run directories', async () => {
    const [a] = await loadFixture('baseline');
    const [b] = await loadFixture('replica-120ms');
    const run = await cli([
      'compare',
      a?.path as string,
      join(b?.path as string, '..'),
      '--out',
      join(dir, 'x.html'),
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /1 baseline vs 1 candidate run\(s\), fixed noise model/);
  });

  it('a percentile with too few requests says so in the table and the page instead of a verdict', async () => {
    const [a] = await loadFixture('baseline');
    const [b] = await loadFixture('rerun');
    const out = join(dir, 'thin.html');
    const run = await cli([
      'compare',
      a?.path as string,
      b?.path as string,
      '--out',
      out,
      '--fail-on-regression',
    ]);
    // One run each: the rerun's p99s are up to 9× the baseline's, on 180–300 requests. Not a regression.
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^ {2}p99 during baseline .* not enough samples \(n=180, need ≥ 368\)$/m);
    assert.match(run.stdout, /^ {2}p99 during fault .* not enough samples \(n=300, need ≥ 368\)$/m);
    assert.match(run.stdout, /^ {2}p50 during fault .* same$/m);
    assert.match(run.stdout, /no regression beyond the noise/);
    const page = await readFile(out, 'utf8');
    assert.match(page, /not enough samples \(n=300, need ≥ 368\)/);
    assert.match(page, /NO REGRESSION/);
  });

  it('--allow-different-durations compares phases of different lengths anyway, and says so', async () => {
    const out = join(dir, 'scaled.html');
    const run = await cli([
      'compare',
      fixtureDir('baseline'),
      fixtureDir('short'),
      '--allow-different-durations',
      '--out',
      out,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^ {2}! phase lengths differ \(.*--duration-scale 0\.4 vs 0\.2\): compared anyway \(--allow-different-durations\)$/m,
    );
    assert.match(run.stdout, /^ {2}p50 during fault /m);
    assert.match(await readFile(out, 'utf8'), /compared anyway/);
  });

  it('--json prints the comparison object', async () => {
    const run = await cli([
      'compare',
      fixtureDir('baseline'),
      fixtureDir('replica-300ms'),
      '--json',
      '--out',
      join(dir, 'y.html'),
    ]);
    const suite = JSON.parse(run.stdout) as SuiteComparison;
    assert.equal(suite.regressed, true);
    assert.equal(
      suite.comparisons[0]?.hypotheses.find((h) => h.status === 'regressed')?.text,
      'p99 < 500ms during fault',
    );
  });

  it('exit 2 with one line for bad input, and no HTML written', async () => {
    const out = join(dir, 'bad.html');
    const truncated = join(dir, 'truncated.json');
    const [first] = await loadFixture('baseline');
    const text = await readFile(first?.path as string, 'utf8');
    await writeFile(truncated, text.slice(0, 1000));
    const cases: [string[], RegExp][] = [
      [[fixtureDir('baseline'), truncated], /^faultline: cannot read .*truncated\.json: .*JSON/],
      [
        [fixtureDir('baseline'), fixtureDir('lb-backend-death')],
        /^faultline: cannot compare different experiments/,
      ],
      [[fixtureDir('baseline'), join(dir, 'missing')], /^faultline: cannot read .*missing/],
      [[fixtureDir('baseline')], /^faultline: Not enough non-option arguments/],
      [[fixtureDir('baseline'), fixtureDir('rerun'), '--out', dir], /^faultline: --out .* is a directory/],
      [
        [fixtureDir('baseline'), fixtureDir('short')],
        /^faultline: cannot compare cache-node-loss metric for metric: phase lengths differ \(.*fault 2 s vs 1 s.*\) \(compare runs of the same phase lengths, or pass --allow-different-durations to compare them anyway\)\n$/,
      ],
    ];
    for (const [args, pattern] of cases) {
      const run = await cli(['compare', ...args, ...(args.includes('--out') ? [] : ['--out', out])]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, pattern);
      assert.equal(run.stderr.split('\n').length, 2, 'one line');
    }
    assert.deepEqual((await readdir(dir)).sort(), ['truncated.json']);
  });

  it('compareCommand (programmatic) returns the comparison, the page and the exit code', async () => {
    const outcome = await compareCommand({
      baseline: fixtureDir('baseline'),
      candidate: fixtureDir('replica-120ms'),
      out: join(dir, 'p.html'),
      json: false,
      failOnRegression: true,
      allowDifferentDurations: false,
    });
    assert.equal(outcome.exitCode, 1);
    assert.equal(outcome.suite.comparisons.length, 1);
    assert.equal(outcome.htmlPath, join(dir, 'p.html'));
  });
});
