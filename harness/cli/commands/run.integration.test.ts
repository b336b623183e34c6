import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli, waitForOutput } from '../../../test/helpers/cli.ts';

describe('faultline run and list (the CLI)', function () {
  this.timeout(120_000);
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'faultline-cli-runs-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('run: one JSON line per run, result.json and report.html written with a latest link, exit 0 when every hypothesis holds', async () => {
    const run = runCli([
      'run',
      'cache-node-loss',
      '--runtime',
      'local',
      '--duration-scale',
      '0.4',
      '--out',
      out,
      '--json',
    ]);
    const code = await run.exit;
    const line = JSON.parse(run.stdout().trim()) as { verdict: string; path: string };
    assert.equal(code, { pass: 0, fail: 1, invalid: 3 }[line.verdict]);
    assert.equal(line.verdict, 'pass', run.stderr());
    const result = JSON.parse(readFileSync(line.path, 'utf8')) as {
      schemaVersion: number;
      healAudit: string[];
    };
    assert.equal(result.schemaVersion, 2);
    assert.deepEqual(result.healAudit, []);
    assert.ok(
      existsSync(
        join(out, 'cache-node-loss', readlinkSync(join(out, 'cache-node-loss', 'latest')), 'result.json'),
      ),
    );
    // The run writes the result; the CLI renders the page beside it.
    assert.match(readFileSync(join(dirname(line.path), 'report.html'), 'utf8'), /<h1>cache-node-loss<\/h1>/);
  });

  it('run: Ctrl-C heals, writes the partial result marked aborted, and exits 3', async () => {
    const run = runCli([
      'run',
      'lb-backend-death',
      '--runtime',
      'local',
      '--variant',
      'checks=fast',
      '--out',
      out,
    ]);
    await waitForOutput(run, /lb-backend-death \[checks=fast\]: fault/, 60_000, 'stderr');
    run.child.kill('SIGINT');
    assert.equal(await run.exit, 3);
    assert.match(run.stderr(), /faultline: stopped by the user; partial results were written/);
    const result = JSON.parse(
      readFileSync(join(out, 'lb-backend-death', 'latest', 'result.json'), 'utf8'),
    ) as {
      status: string;
      verdict: string;
      healAudit: string[];
      events: { kind: string }[];
    };
    assert.equal(result.status, 'aborted');
    assert.equal(result.verdict, 'invalid');
    assert.ok(
      result.events.some((e) => e.kind === 'fault-healed'),
      'the injected fault was healed',
    );
    assert.deepEqual(result.healAudit, []);
  });

  it('run: an invalid experiment file is a usage error listing every problem, exit 2', async () => {
    const file = join(out, 'broken.experiment.ts');
    writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(file, "export default { name: 'Broken', phases: {} };\n");
    const run = runCli(['run', file, '--out', out]);
    assert.equal(await run.exit, 2);
    assert.match(
      run.stderr(),
      /broken\.experiment\.ts: invalid experiment: name: .*description: .*load: .*phases\.baseline: .*faults: .*hypotheses: /,
    );
  });

  it('list: the eleven experiments with their variants and every fault kind', async () => {
    const run = runCli(['list']);
    assert.equal(await run.exit, 0);
    for (const name of [
      'replica-lag',
      'cache-node-loss',
      'cdn-origin-outage',
      'lb-backend-death',
      'session-loss',
      'primary-loss',
      'primary-partition',
      'cache-staleness',
      'cache-stampede',
      'cdn-invalidation',
      'invalidate=purge',
      'asset-change',
      'cache-failover',
      'failover=sentinel',
      'cache-master-kill',
      'guard=single-flight',
      'mitigation=lsn',
      'replication=sync',
      'link-latency',
      'service-pause',
      'primary-kill',
      'primary-partition',
      'writes-behind-cache',
    ]) {
      assert.match(run.stdout(), new RegExp(name));
    }
  });
});
