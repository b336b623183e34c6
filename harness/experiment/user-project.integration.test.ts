/**
 * faultline used from a user's own project, as its README says: the project installed faultline
 * (node_modules/faultline links this checkout, as `npm install <path>` does), writes an experiment
 * importing only 'faultline', type-checks it and runs it with `npx faultline run ./my.experiment.ts`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { runCli } from '../../test/helpers/cli.ts';
import {
  createUserProject,
  readmeExample,
  type UserProject,
  userExperimentSource,
} from '../../test/helpers/user-project.ts';
import { PROJECT_ROOT } from '../core/project-root.ts';

/** `npx faultline ...` in the project: its node_modules/.bin/faultline, from its directory. */
function faultline(project: UserProject, args: string[]) {
  return runCli(args, {}, { cwd: project.dir, bin: join('node_modules', '.bin', 'faultline') });
}

interface JudgedResult {
  status: string;
  verdict: string;
  generator: { valid: boolean };
}

/**
 * A judged run of the project: pass or fail, or invalid when a busy machine held the load generator
 * back (exit 0, 1 or 3); whichever, it completed and its result.json holds the verdict it printed.
 */
function assertJudged(
  code: number | string,
  verdict: string | undefined,
  result: JudgedResult,
  output: string,
) {
  const exits: Record<string, number> = { pass: 0, fail: 1, invalid: 3 };
  assert.equal(code, exits[verdict ?? ''], output);
  assert.equal(result.verdict, verdict);
  assert.equal(result.status, 'completed', 'verified, healed, and the heal audit found nothing left');
  if (verdict === 'invalid')
    assert.equal(result.generator.valid, false, 'invalid only as the generator fell behind');
}

/** The tsconfig the README gives users: what faultline's TypeScript sources need. */
const TSCONFIG = {
  compilerOptions: {
    module: 'nodenext',
    target: 'es2022',
    lib: ['es2023', 'esnext.disposable'],
    types: ['node'],
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
  },
};

/** `tsc -p .` in the project with the project's own TypeScript: exit code and output. */
async function typecheck(project: UserProject): Promise<{ code: number; output: string }> {
  const tsc = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  return promisify(execFile)(process.execPath, [tsc, '-p', '.'], { cwd: project.dir }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (err: { code: number; stdout: string }) => ({ code: err.code, output: err.stdout }),
  );
}

for (const type of [undefined, 'module'] as const) {
  describe(`a user's project ${type ? 'with "type": "module"' : 'without "type" (CommonJS)'}`, function () {
    this.timeout(120_000);
    let project: UserProject;
    before(async () => {
      project = await createUserProject(type ? { type } : {});
      await project.write('my.experiment.ts', userExperimentSource('my-cache-loss'));
      await project.write('tsconfig.json', JSON.stringify(TSCONFIG, null, 2));
    });
    after(() => project?.[Symbol.asyncDispose]());

    it('type-checks an experiment importing from "faultline" against its types', async () => {
      const ok = await typecheck(project);
      assert.equal(ok.code, 0, ok.output);
      await project.write(
        'typo.experiment.ts',
        userExperimentSource('typo').replace('hypotheses:', 'hypothesis:'),
      );
      const typo = await typecheck(project);
      assert.notEqual(typo.code, 0);
      assert.match(typo.output, /typo\.experiment\.ts.*'hypothesis' does not exist/);
    });

    it("loads 'faultline' in a script of the project run with tsx", async () => {
      await project.write(
        'script.ts',
        "import { defineExperiment, runExperiment, startTopology } from 'faultline';\n" +
          'console.log([defineExperiment, runExperiment, startTopology].map((f) => typeof f).join());\n',
      );
      const tsx = pathToFileURL(join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', tsx, 'script.ts'], {
        cwd: project.dir,
      });
      assert.equal(stdout.trim(), 'function,function,function');
    });

    it('runs `faultline run ./my.experiment.ts`: a judged verdict and its result.json', async () => {
      const run = faultline(project, ['run', './my.experiment.ts', '--runtime', 'local', '--json']);
      const code = await run.exit;
      const line = JSON.parse(run.stdout().trim() || '{}') as { verdict?: string; path?: string };
      const path = line.path ?? '';
      assert.ok(
        path.startsWith(join(project.dir, 'runs', 'my-cache-loss')),
        `${run.stdout()}${run.stderr()}`,
      );
      const result = JSON.parse(readFileSync(path, 'utf8')) as JudgedResult & {
        experiment: { name: string };
      };
      assertJudged(code, line.verdict, result, `${run.stdout()}${run.stderr()}`);
      assert.equal(result.experiment.name, 'my-cache-loss');
      assert.ok(existsSync(join(project.dir, 'runs', 'my-cache-loss', 'latest')));
    });
  });
}

/** Runs `faultline run <path>` in the project and returns its one stderr line, after checking nothing ran. */
async function refused(project: UserProject, path: string): Promise<string> {
  const run = faultline(project, ['run', path, '--runtime', 'local']);
  assert.equal(await run.exit, 2, run.stderr());
  assert.equal(run.stdout(), '');
  const lines = run.stderr().trimEnd().split('\n');
  assert.equal(lines.length, 1, run.stderr());
  assert.equal(existsSync(join(project.dir, 'runs')), false);
  return lines[0] as string;
}

describe("a user's project: bad experiment paths", function () {
  this.timeout(30_000);
  let project: UserProject;
  before(async () => {
    project = await createUserProject();
  });
  after(() => project?.[Symbol.asyncDispose]());
  const refusedHere = (path: string) => refused(project, path);

  it('a file that does not exist is one line, exit 2, before anything starts', async () => {
    assert.match(
      await refusedHere('./nope.experiment.ts'),
      /^faultline: no experiment file .*nope\.experiment\.ts/,
    );
  });

  it('a file that exports no experiment is one line, exit 2, before anything starts', async () => {
    await project.write(
      'empty.experiment.ts',
      "import { defineExperiment } from 'faultline';\nvoid defineExperiment;\n",
    );
    assert.match(
      await refusedHere('./empty.experiment.ts'),
      /^faultline: .*empty\.experiment\.ts has no default export/,
    );
  });
});

interface OwnKindsResult extends JudgedResult {
  experiment: { definition: { faults: unknown; checkers: unknown } };
  events: { kind: string; fault?: string }[];
  checks: { checker: string; valid: unknown; value?: number; evidence: Record<string, unknown> }[];
  hypotheses: {
    text: string;
    metric: string;
    unit?: string;
    checker?: string;
    phase?: string;
    value: number | null;
    holds: unknown;
  }[];
}

describe("a user's project with a fault and a checker of its own (README's example)", function () {
  this.timeout(120_000);
  const example = readmeExample('Your own fault and checker');
  let project: UserProject;
  before(async () => {
    project = await createUserProject({ type: 'module' });
    await project.write('my.experiment.ts', example);
    await project.write('tsconfig.json', JSON.stringify(TSCONFIG, null, 2));
  });
  after(() => project?.[Symbol.asyncDispose]());

  it('type-checks against the types faultline exports', async () => {
    const ok = await typecheck(project);
    assert.equal(ok.code, 0, ok.output);
  });

  // Each a change to the README's example, refused in one line (exit 2) before anything starts.
  for (const [refusal, from, to, message] of [
    [
      'a bad parameter of its own fault is one line, exit 2, naming it, before anything starts',
      'latency: 200 }]',
      'latency: 0 }]',
      /^faultline: changed\.experiment\.ts: invalid experiment: faults\.0: invalid slow-link fault: latency: /,
    ],
    [
      "its own fault may not take a built-in kind's name",
      "kind: 'slow-link', //",
      "kind: 'link-latency', //",
      /faults\.0: fault kind "link-latency" is built in/,
    ],
    [
      "a hypothesis on a metric its checker does not declare is one line, exit 2, listing the checker's",
      "'slow-request-ratio < 5% during fault']",
      "'slow-ratio < 5% during fault']",
      /hypotheses\.1: "slow-ratio < 5% during fault": unknown metric "slow-ratio" \(metrics: .*; of the experiment's own checkers: slow-request-ratio\)/,
    ],
  ] as const) {
    it(refusal, async () => {
      assert.ok(example.includes(from), `the README example still has ${from}`);
      await project.write('changed.experiment.ts', example.replace(from, to));
      assert.match(await refused(project, './changed.experiment.ts'), message);
    });
  }

  it("runs: result.json holds the fault's life, the checker's result, its metric judged, and names both", async () => {
    const args = ['run', './my.experiment.ts', '--runtime', 'local', '--duration-scale', '0.5'];
    const run = faultline(project, args);
    const code = await run.exit;
    const output = `${run.stdout()}${run.stderr()}`;
    // The summary: the verdict, each hypothesis with what it measured, and where the result is.
    const verdict = /^(PASS|FAIL|INVALID) /.exec(run.stdout())?.[1]?.toLowerCase();
    const path = /^ {8}→ (.*)$/m.exec(run.stdout())?.[1];
    assert.ok(path, output);
    const result = JSON.parse(readFileSync(path, 'utf8')) as OwnKindsResult;
    assertJudged(code, verdict, result, output);
    assert.deepEqual(result.experiment.definition.faults, [
      { kind: 'slow-link', link: 'web-1->cache-1', latency: 200 },
    ]);
    assert.deepEqual(result.experiment.definition.checkers, [
      { name: 'slow-requests', options: { slowMs: 50 } },
    ]);
    const life = result.events.filter((e) => e.fault === 'slow-link:web-1->cache-1').map((e) => e.kind);
    assert.deepEqual(life, ['fault-requested', 'fault-actuated', 'fault-verified', 'fault-healed']);
    const check = result.checks.find((c) => c.checker === 'slow-requests');
    assert.ok(check, JSON.stringify(result.checks));
    assert.ok((check.evidence.requests as number) > 0, JSON.stringify(check));
    assert.ok((check.evidence.slow as number) > 0, `the slow link was felt: ${JSON.stringify(check)}`);
    assert.equal(check.value, check.evidence.slow);
    assert.equal(check.valid, false);
    // The hypothesis on the checker's own metric, judged from the same analysis as its result.
    const slowRatio = result.hypotheses.find((h) => h.metric === 'slow-request-ratio');
    assert.ok(slowRatio, JSON.stringify(result.hypotheses));
    const { requests, slow } = check.evidence as { requests: number; slow: number };
    assert.deepEqual(slowRatio, {
      text: 'slow-request-ratio < 5% during fault',
      metric: 'slow-request-ratio',
      phase: 'fault',
      op: '<',
      threshold: 0.05,
      unit: 'ratio',
      checker: 'slow-requests',
      value: slow / requests,
      holds: slow / requests < 0.05,
    });
    if (!slowRatio.holds) assert.notEqual(verdict, 'pass', 'a hypothesis that does not hold fails');
    // Printed as a percentage, as a built-in ratio is (rounded as the report rounds).
    const printed =
      /^ {8}(holds|FAILS) {3}slow-request-ratio < 5% during fault \(measured ([\d.]+) %\)$/m.exec(
        run.stdout(),
      );
    assert.ok(printed, run.stdout());
    assert.equal(printed[1], slowRatio.holds ? 'holds' : 'FAILS');
    assert.ok(Math.abs(Number(printed[2]) - (100 * slow) / requests) <= 0.05, run.stdout());
  });
});
