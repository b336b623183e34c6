import assert from 'node:assert/strict';
import { runCli } from '../../../test/helpers/cli.ts';
import { type HttpTarget, httpTarget } from '../../../test/helpers/http-target.ts';
import { decodeHistogram } from '../../metrics/histogram.ts';
import type { LoadReport } from './load.ts';

/** Exit 0 when the generator kept its schedule; 3 (and says INVALID) when it fell behind, e.g. on a busy CI machine. */
function assertExitMatchesHealth(code: number | string, valid: boolean, output: string) {
  assert.equal(code, valid ? 0 : 3, output);
}

describe('faultline load <url> (the CLI)', function () {
  this.timeout(20_000);
  let target: HttpTarget;
  before(async () => {
    target = await httpTarget((_, res) => res.end('ok'));
  });
  after(async () => {
    await target.close();
  });

  it('prints the percentile distribution, achieved rate, outcomes and generator health', async () => {
    const run = runCli(['load', `${target.url}/hello`, '--rate', '100', '--duration', '1s']);
    const code = await run.exit;
    const out = run.stdout();
    assertExitMatchesHealth(code, /kept its schedule/.test(out), `${out}\n${run.stderr()}`);
    for (const line of [
      /^\s+50%\s+[\d.]+ ms$/m,
      /^\s+99\.9%\s+[\d.]+ ms$/m,
      /^\s+max\s+[\d.]+ ms$/m,
      /achieved [\d.]+ req\/s/,
      /^Outcomes: ok 100, failed 0/m,
      /^Status: 200 100$/m,
      /Generator: send lag .* (kept its schedule|INVALID: the load generator fell behind)/,
    ]) {
      assert.match(out, line);
    }
    assert.equal(target.seen.filter((r) => r.path === '/hello').length, 100);
  });

  it('--json: a machine-readable report whose histogram decodes (HdrHistogram V2)', async () => {
    const run = runCli(['load', target.url, '--rate', '50', '--duration', '500ms', '--json']);
    const code = await run.exit;
    const report = JSON.parse(run.stdout()) as LoadReport;
    assertExitMatchesHealth(code, report.generator.valid, run.stderr());
    assert.equal(report.counters.ok, 25);
    assert.equal(decodeHistogram(report.latencyHistogram).totalCount, 25);
    assert.doesNotMatch(run.stderr(), /req\/s/, 'no progress lines in JSON mode');
  });

  it('bad input: one line saying what is wrong, exit 2', async () => {
    const notUrl = runCli(['load', 'localhost:8080', '--rate', '10']);
    assert.equal(await notUrl.exit, 2);
    assert.match(notUrl.stderr(), /^faultline: "localhost:8080" is not an http\(s\) URL/m);
    const badRate = runCli(['load', target.url, '--rate', '0', '--duration', 'soon']);
    assert.equal(await badRate.exit, 2);
    assert.match(
      badRate.stderr(),
      /executor\.rate: must be > 0.*executor\.duration: duration "soon" is not a duration/,
    );
  });

  it('--stages ramps the rate (ramping-arrival-rate): 0 → 100 req/s over 1 s, then 100 req/s for 500 ms', async () => {
    const before = target.seen.filter((r) => r.path === '/ramp').length;
    const run = runCli(['load', `${target.url}/ramp`, '--stages', '1s:100,500ms:100', '--json']);
    const code = await run.exit;
    const report = JSON.parse(run.stdout()) as LoadReport;
    assertExitMatchesHealth(code, report.generator.valid, run.stderr());
    assert.equal(report.counters.ok, 100);
    assert.equal(target.seen.filter((r) => r.path === '/ramp').length - before, 100);
    assert.equal(report.durationMs, 1500);
    assert.deepEqual(report.stages, [
      { duration: 1000, target: 100 },
      { duration: 500, target: 100 },
    ]);
  });

  it('a malformed --stages is one line saying how to write it, exit 2, before any request', async () => {
    const before = target.seen.length;
    for (const [stages, expected] of [
      [
        '10s',
        /^faultline: --stages: "10s" is not duration:rate \(write each stage as duration:rate, e\.g\./m,
      ],
      ['10s:100,30s:lots', /^faultline: --stages: "30s:lots" is not duration:rate/m],
      [
        'soon:100',
        /^faultline: invalid load options: executor\.stages\.0\.duration: duration "soon" is not a duration/m,
      ],
    ] as const) {
      const run = runCli(['load', target.url, '--stages', stages]);
      assert.equal(await run.exit, 2, run.stderr());
      assert.match(run.stderr(), expected);
      assert.equal(run.stderr().trim().split('\n').length, 1, run.stderr());
    }
    const noRate = runCli(['load', target.url]);
    assert.equal(await noRate.exit, 2);
    assert.match(noRate.stderr(), /^faultline: give --rate or --stages/m);
    assert.equal(target.seen.length, before, 'no request was sent');
  });

  it('a number option that is not a number says so, exit 2', async () => {
    const before = target.seen.length;
    const run = runCli(['load', target.url, '--rate', 'lots']);
    assert.equal(await run.exit, 2);
    assert.match(run.stderr(), /^faultline: --rate: not a number: lots \(/m);
    assert.equal(target.seen.length, before, 'no request was sent');
  });
});
