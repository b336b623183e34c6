import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../../harness/journal/index.ts';
import { loadFixture } from '../compare/fixtures.ts';
import { ownMetricResult } from '../html/fixtures.ts';
import { measuredVsThreshold, toJUnit, writeJUnit } from './junit.ts';
import { findAll, parseXml } from './well-formed.ts';

describe('JUnit XML (reports/junit)', () => {
  let baseline: RunResult[];
  let broken: RunResult;
  let lb: RunResult[];
  before(async () => {
    baseline = (await loadFixture('baseline')).map((x) => x.result);
    broken = ((await loadFixture('replica-300ms'))[0] as { result: RunResult }).result;
    lb = (await loadFixture('lb-backend-death')).map((x) => x.result);
  });

  it('is well-formed XML: one testsuite per experiment/variant, one testcase per hypothesis and run', () => {
    const all = [...baseline, broken, ...lb];
    const root = parseXml(toJUnit(all));
    assert.equal(root.name, 'testsuites');
    const suites = findAll(root, 'testsuite');
    assert.deepEqual(
      suites.map((s) => s.attributes.name),
      ['cache-node-loss', 'lb-backend-death [checks=fast]', 'lb-backend-death [checks=haproxy-default]'],
    );
    const hypotheses = all.reduce((n, r) => n + r.hypotheses.length, 0);
    assert.equal(findAll(root, 'testcase').length, hypotheses);
    assert.equal(root.attributes.tests, String(hypotheses));
    for (const s of suites) {
      assert.equal(s.attributes.tests, String(findAll(s, 'testcase').length));
      assert.equal(s.attributes.failures, String(findAll(s, 'failure').length));
      assert.equal(s.attributes.errors, String(findAll(s, 'error').length));
    }
    // Repeats of one experiment are told apart by run number and seed.
    const names = findAll(suites[0] as never, 'testcase').map((t) => t.attributes.name);
    assert.ok(names.includes('p99 < 500ms during fault (run 4 of 4, seed 1)'), names.join('\n'));
  });

  it('a failed hypothesis is a <failure> whose message is "measured X vs threshold op Y"', () => {
    const failed = broken.hypotheses.find((h) => h.holds === false);
    assert.ok(failed, 'the replica-300ms fixture fails "p99 < 500ms during fault"');
    const root = parseXml(toJUnit([broken]));
    const failures = findAll(root, 'failure');
    assert.equal(failures.length, 1);
    const message = failures[0]?.attributes.message ?? '';
    assert.match(message, /^measured \d+(\.\d+)?ms vs threshold < 500ms$/);
    assert.equal(message, measuredVsThreshold(failed));
    assert.equal(Number(/measured ([\d.]+)ms/.exec(message)?.[1]), +(failed.value as number).toFixed(3));
    // The hypothesis that held passes, with what was measured.
    const passed = findAll(root, 'testcase').filter((t) => findAll(t, 'failure').length === 0);
    assert.equal(passed.length, 1);
    assert.match(findAll(passed[0] as never, 'system-out')[0]?.text ?? '', /measured 0% vs threshold < 1%/);
  });

  it("gives a metric of the experiment's own checker in its unit, as result.json names it", async () => {
    const own = (await ownMetricResult()).hypotheses.find((h) => h.metric === 'slow-request-ratio');
    assert.ok(own);
    assert.equal(measuredVsThreshold(own), 'measured 7% vs threshold < 5%');
  });

  it('every case of an invalid run is an <error> carrying the status reason', () => {
    const run = baseline[0] as RunResult;
    const invalid: RunResult = {
      ...run,
      status: 'not-steady',
      verdict: 'invalid',
      statusReason: 'not steady at baseline: error-rate < 1% during baseline (was 0.3)',
    };
    const root = parseXml(toJUnit([invalid]));
    const errors = findAll(root, 'error');
    assert.equal(errors.length, run.hypotheses.length);
    for (const e of errors) {
      assert.equal(
        e.attributes.message,
        'run invalid (not-steady): not steady at baseline: error-rate < 1% during baseline (was 0.3)',
      );
    }
    assert.equal(findAll(root, 'failure').length, 0);
  });

  it('a real invalid run (lb-backend-death, fault not verified): errors, not failures', () => {
    const invalid = lb.find((r) => r.verdict === 'invalid') as RunResult;
    assert.equal(invalid.status, 'fault-not-verified');
    const root = parseXml(toJUnit([invalid]));
    assert.equal(findAll(root, 'failure').length, 0);
    const errors = findAll(root, 'error');
    assert.equal(errors.length, invalid.hypotheses.length);
    for (const e of errors) {
      assert.equal(e.attributes.message, `run invalid (fault-not-verified): ${invalid.statusReason}`);
      assert.equal(e.attributes.type, 'fault-not-verified');
    }
    assert.equal(findAll(root, 'testsuite')[0]?.attributes.errors, String(invalid.hypotheses.length));
  });

  it('escapes markup, quotes and ampersands, and replaces characters XML cannot hold', () => {
    const run = baseline[0] as RunResult;
    const nasty = `p99 < 500ms & "quoted" 'single' </testcase><x> \u0001 \uD800 ]]>\nsecond line`;
    const odd: RunResult = {
      ...run,
      variant: 'a<b>&"c"',
      hypotheses: run.hypotheses.map((h) => ({ ...h, text: nasty, holds: false })),
    };
    const xml = toJUnit([odd]);
    const root = parseXml(xml);
    const testcase = findAll(root, 'testcase')[0];
    assert.equal(testcase?.attributes.name, nasty.replace('\u0001', '\uFFFD').replace('\uD800', '\uFFFD'));
    assert.equal(findAll(root, 'testsuite')[0]?.attributes.name, 'cache-node-loss [a<b>&"c"]');
    assert.doesNotMatch(xml, /<x>/);
    assert.ok(!xml.includes('\u0001'), 'no raw control character');
  });

  it('the checker itself rejects what is not well-formed', () => {
    for (const bad of [
      '<a><b></a>',
      '<a x="1" x="2"/>',
      '<a>&nbsp;</a>',
      '<a>1 < 2</a>',
      '<a/><b/>',
      '<a>\u0001</a>',
    ]) {
      assert.throws(() => parseXml(bad), Error, bad);
    }
  });

  it('writeJUnit writes atomically: the whole file, no temporary left behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faultline-junit-'));
    try {
      const file = await writeJUnit(join(dir, 'sub', 'junit.xml'), baseline);
      assert.equal(await readFile(file, 'utf8'), toJUnit(baseline));
      assert.deepEqual(await readdir(join(dir, 'sub')), ['junit.xml']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
