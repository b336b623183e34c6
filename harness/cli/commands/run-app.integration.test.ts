/**
 * `faultline run` with the user's own app as the web tier (docs/targets.md), as a user types it: a
 * command and the requests to send, judged like any run; and bad app flags refused with one line,
 * exit 2, before anything starts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { judgedRun, runCli } from '../../../test/helpers/cli.ts';
import { writeEchoApp } from '../../../test/helpers/echo-app.ts';

const BIN = resolve('bin/faultline.js');

describe('faultline run with your own app (local runtime)', function () {
  this.timeout(120_000);
  let app: string;
  let out: string;
  before(() => {
    app = mkdtempSync(join(tmpdir(), 'faultline-user-app-'));
    out = mkdtempSync(join(tmpdir(), 'faultline-user-runs-'));
    writeEchoApp(app);
  });
  after(() => {
    rmSync(app, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it('runs lb-backend-death against the app, sending the requests given, and judges it', async () => {
    const run = runCli(
      [
        'run',
        'lb-backend-death',
        '--variant',
        'checks=fast',
        '--runtime',
        'local',
        '--duration-scale',
        '0.4',
        '--app-command',
        'python3 app.py',
        '--app-request',
        'GET / weight=3',
        '--app-request',
        'GET /healthz',
        '--out',
        out,
        '--json',
      ],
      {},
      { cwd: app, bin: BIN },
    );
    const result = await judgedRun(run);
    assert.equal(result.topology.app, 'command: python3 app.py');
    assert.equal(result.topology.target, 'shop');
    const { phases } = result.metrics as { phases: { phase: string; requests: { request: string }[] }[] };
    const fault = phases.find((p) => p.phase === 'fault');
    const names = fault?.requests.map((r) => r.request).sort();
    assert.deepEqual(names, ['GET /', 'GET /healthz'], 'the requests given, and only those');
    const failover = result.hypotheses.find((h) => h.metric === 'failover-time');
    assert.equal(failover?.holds, true, JSON.stringify(failover));
  });

  for (const [flags, pattern] of [
    [['--app-command', 'no-such-binary-xyz'], /the app's command "no-such-binary-xyz" is not found on PATH/],
    [
      ['--app-command', 'python3 app.py', '--app-request', 'FETCH /'],
      /--app-request "FETCH \/": unknown method/,
    ],
    [['--app-health', '/up'], /--app-health and --app-schema describe your app, but no --app-command/],
    [
      ['--app-command', 'python3 app.py', '--app-schema', 'missing.sql'],
      /app schema .*missing\.sql cannot be read/,
    ],
    [['--target', 'nope'], /no target named "nope"/],
  ] as [string[], RegExp][]) {
    it(`refuses ${flags.join(' ')}: one line, exit 2, nothing started`, async () => {
      const run = runCli(
        ['run', 'lb-backend-death', '--runtime', 'local', '--out', out, ...flags],
        {},
        { cwd: app, bin: BIN },
      );
      assert.equal(await run.exit, 2, run.stderr());
      assert.match(run.stderr(), pattern);
      assert.equal(run.stderr().trim().split('\n').length, 1, run.stderr());
      assert.doesNotMatch(run.stderr(), /starting topology/);
    });
  }
});
