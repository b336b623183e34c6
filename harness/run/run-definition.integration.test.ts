/**
 * `runExperiment` from a user's script, as the README shows it: a script in the user's project
 * imports 'faultline' (this checkout), passes what `defineExperiment` gives, and gets the judged
 * result and its result.json; a definition that could never run is refused before anything starts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createUserProject, type UserProject } from '../../test/helpers/user-project.ts';
import { PROJECT_ROOT } from '../core/project-root.ts';
import { faultRecords, RESULT_SCHEMA_VERSION, type RunResult } from '../journal/index.ts';
import { configuredLoad } from '../journal/load.ts';

const TSX = pathToFileURL(join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** A short experiment as a script writes it inline: `overrides` replace its fields. */
const definition = (overrides: string) => `defineExperiment({
  name: 'scripted',
  description: 'a link to the database slows down under browsing',
  topology: { web: 1, cache: 0, replicas: 1, sessionStore: 'memory' },
  load: { executor: { executor: 'constant-arrival-rate', rate: 20 }, workload: { workload: 'browse' } },
  phases: { warmup: '300ms', baseline: '500ms', fault: '800ms', recovery: '400ms' },
  faults: [{ kind: 'link-latency', link: 'web-1->pg-primary', latency: '5ms' }],
  hypotheses: ['error-rate < 50% during fault'],
  ${overrides}
})`;

/** Runs `script.ts` of the project with tsx, as `npx tsx script.ts` does; its stdout's JSON lines. */
async function runScript(project: UserProject, env: NodeJS.ProcessEnv = {}): Promise<unknown[]> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', TSX, 'script.ts'], {
    cwd: project.dir,
    env: { ...process.env, ...env },
  });
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe("runExperiment from a user's script (local runtime, for real)", function () {
  this.timeout(120_000);
  let project: UserProject;
  before(async () => {
    project = await createUserProject({ type: 'module' });
  });
  after(() => project?.[Symbol.asyncDispose]());

  it('runs a definition: a judged verdict and its result.json under outDir', async () => {
    await project.write(
      'script.ts',
      `import { defineExperiment, runExperiment } from 'faultline';
const { result, path } = await runExperiment(${definition('')}, { runtime: 'local', outDir: 'results' });
console.log(JSON.stringify({ verdict: result.verdict, status: result.status, path }));
`,
    );
    const [line] = (await runScript(project)) as { verdict: string; status: string; path: string }[];
    assert.ok(line?.verdict === 'pass' || line?.verdict === 'fail', JSON.stringify(line));
    assert.equal(line.status, 'completed');
    assert.ok(line.path.startsWith(join(project.dir, 'results', 'scripted')), line.path);
    const result = JSON.parse(readFileSync(line.path, 'utf8')) as RunResult;
    assert.equal(result.experiment.name, 'scripted');
    assert.equal(result.schemaVersion, RESULT_SCHEMA_VERSION);
    const start = result.topology.start;
    assert.ok(start && start.totalMs > 0, 'the topology start is recorded');
    assert.ok(
      ['lb', 'cdn'].includes(start.chain.at(-1)?.step ?? ''),
      `its chain ends at the edge: ${JSON.stringify(start.chain)}`,
    );
    // It stores its faults and its load as configured: no reader derives them (schema v2).
    const [fault, ...more] = result.faults;
    assert.deepEqual(more, []);
    assert.deepEqual(
      { ...fault, life: undefined },
      {
        id: 'link-latency:web-1->pg-primary',
        kind: 'link-latency',
        target: 'web-1->pg-primary',
        params: { link: 'web-1->pg-primary', latency: '5ms' },
        life: undefined,
      },
    );
    const window = result.phases.find((p) => p.name === 'fault');
    const { requested = NaN, actuated = NaN, verified = NaN, healed = NaN, ...never } = fault?.life ?? {};
    assert.ok(
      (window?.startMs ?? NaN) <= requested &&
        requested <= actuated &&
        actuated <= verified &&
        verified <= healed,
      `each step of its life in order, in the fault phase: ${JSON.stringify({ window, life: fault?.life })}`,
    );
    assert.deepEqual(never, {}, 'verified, healed, nothing failed');
    assert.deepEqual(result.load.configured, {
      executor: { executor: 'constant-arrival-rate', rate: 20, arrivals: 'uniform', duration: 2000 },
      workload: { workload: 'browse', products: 1000, zipfExponent: 1 },
      connections: 64,
      timeout: 5000,
      maxInFlight: 2000,
      precise: false,
      maxSendLagMs: 10,
      workers: 1,
    });
    // What a v1 result is upgraded with gives the same from this run's events and experiment copy.
    assert.deepEqual(result.faults, faultRecords(result));
    assert.deepEqual(result.load.configured, configuredLoad(result));
  });

  it('refuses a bad definition, with every problem, and a fault on a missing link, before anything starts', async () => {
    await project.write(
      'script.ts',
      `import { defineExperiment, FaultlineError, runExperiment } from 'faultline';
for (const definition of [
  ${definition("phases: { fault: 'soon' }, hypotheses: [],")},
  ${definition("faults: [{ kind: 'link-latency', link: 'web-1->cache-9', latency: '5ms' }],")},
]) {
  const err = await runExperiment(definition, { runtime: 'local', outDir: 'refused' }).catch((e) => e);
  console.log(JSON.stringify({ faultline: err instanceof FaultlineError, exitCode: err.exitCode, line: err.oneLine?.() }));
}
`,
    );
    const root = mkdtempSync(join(tmpdir(), 'faultline-refused-'));
    chmodSync(root, 0o755);
    try {
      const [invalid, unplanned] = (await runScript(project, { FAULTLINE_TMP: root })) as {
        faultline: boolean;
        exitCode: number;
        line: string;
      }[];
      assert.equal(invalid?.faultline, true, JSON.stringify(invalid));
      assert.equal(invalid.exitCode, 2);
      assert.match(invalid.line, /^scripted: invalid experiment: .*phases\.fault.*hypotheses/);
      assert.equal(unplanned?.exitCode, 2, JSON.stringify(unplanned));
      assert.match(unplanned.line, /^scripted: faults\.0\.link: no link named "web-1->cache-9"/);
      assert.deepEqual(readdirSync(root), [], 'no session was started');
      assert.equal(existsSync(join(project.dir, 'refused')), false, 'no result was written');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
