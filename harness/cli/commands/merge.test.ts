/** faultline merge: two generators' shares of one load, as one report (real runs of faultline load). */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../test/helpers/cli.ts';
import { type HttpTarget, httpTarget } from '../../../test/helpers/http-target.ts';
import { decodeHistogram } from '../../metrics/histogram.ts';
import type { LoadReport } from './load.ts';

describe('faultline merge (parts of one load from several generators)', function () {
  this.timeout(30_000);
  let target: HttpTarget;
  let dir: string;
  const parts: string[] = [];
  before(async () => {
    target = await httpTarget((_, res) => res.end('ok'));
    dir = mkdtempSync(join(tmpdir(), 'faultline-merge-'));
    // Two generators side by side, each sending its half of 200 req/s for 1 s.
    const runs = ['1/2', '2/2'].map((part) =>
      runCli(['load', `${target.url}/m`, '--rate', '200', '--duration', '1s', '--part', part, '--json']),
    );
    for (const [i, run] of runs.entries()) {
      await run.exit;
      const file = join(dir, `part-${i + 1}.json`);
      writeFileSync(file, run.stdout());
      parts.push(file);
    }
  });
  after(async () => {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as LoadReport;

  it('each part sends every other request of the schedule: 100 each', () => {
    const [a, b] = parts.map(read) as [LoadReport, LoadReport];
    assert.deepEqual([a.counters.ok, b.counters.ok], [100, 100]);
    assert.deepEqual(
      [a.part, b.part],
      [
        { index: 0, of: 2 },
        { index: 1, of: 2 },
      ],
    );
    assert.equal(target.seen.filter((r) => r.path === '/m').length, 200);
  });

  it('merged: the counts summed, the histograms merged exactly, the generator judged over both', async () => {
    const run = runCli(['merge', ...parts, '--json']);
    const code = await run.exit;
    const merged = JSON.parse(run.stdout()) as LoadReport;
    assert.equal(code, merged.generator.valid ? 0 : 3, run.stderr());
    assert.equal(merged.mergedFrom, 2);
    assert.equal(merged.counters.ok, 200);
    assert.deepEqual(merged.counters.byStatus, { '200': 200 });
    assert.equal(decodeHistogram(merged.latencyHistogram).totalCount, 200);
    assert.equal(decodeHistogram(merged.serviceTimeHistogram).totalCount, 200);
    const [a, b] = parts.map(read) as [LoadReport, LoadReport];
    assert.ok(
      merged.latencyMs.max === Math.max(a.latencyMs.max, b.latencyMs.max),
      'the slowest request of either',
    );
    assert.equal(merged.generatorParts.length, 2);
    assert.ok(Math.abs(merged.achievedRate - (a.achievedRate + b.achievedRate)) < 1e-9);
    const text = runCli(['merge', ...parts]);
    await text.exit;
    assert.match(text.stdout(), /200 req\/s for 1s \(2 generators merged\)/);
  });

  it('refuses, in one line and exit 2: a part given twice, a missing part, another load, a file that is no report', async () => {
    const refused = async (args: string[], pattern: RegExp) => {
      const run = runCli(['merge', ...args]);
      assert.equal(await run.exit, 2, run.stderr());
      assert.match(run.stderr(), pattern);
      assert.equal(run.stderr().trim().split('\n').length <= 2, true, run.stderr());
    };
    const [a, b] = parts as [string, string];
    await refused([a, a], /part-1\.json and .*part-1\.json are both part 1/);
    const third = join(dir, 'other.json');
    writeFileSync(third, JSON.stringify({ ...read(b), part: { index: 1, of: 3 } }));
    await refused([a, third], /other\.json is part of 3, not of 2/);
    const faster = join(dir, 'faster.json');
    writeFileSync(faster, JSON.stringify({ ...read(b), rate: 400 }));
    await refused([a, faster], /faster\.json ran another load/);
    const ofThree = [a, b].map((file, index) => {
      const copy = join(dir, `of-three-${index + 1}.json`);
      writeFileSync(copy, JSON.stringify({ ...read(file), part: { index, of: 3 } }));
      return copy;
    });
    await refused(ofThree, /part 3 of 3 missing/);
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"url": "x"}');
    await refused([a, junk], /junk\.json is not a faultline load --json report/);
    await refused([a], /merge needs two or more reports/);
  });

  it('faultline load --part that is not i/N: one line, exit 2, no request sent', async () => {
    const before = target.seen.length;
    for (const part of ['3/2', '0/2', 'half']) {
      const run = runCli(['load', target.url, '--rate', '10', '--duration', '200ms', '--part', part]);
      assert.equal(await run.exit, 2);
      assert.match(run.stderr(), /--part .*: not i\/N with 1 ≤ i ≤ N/);
    }
    assert.equal(target.seen.length, before);
  });
});
