import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { FaultlineError } from '../../harness/core/errors.ts';
import { RESULT_SCHEMA_VERSION, type RunResult } from '../../harness/journal/index.ts';
import { decodeHistogram } from '../../harness/metrics/histogram.ts';
import type { MetricsSnapshotJSON } from '../../harness/metrics/snapshot.ts';
import { ownMetricResult } from '../html/fixtures.ts';
import { compareResults } from './compare.ts';
import { type FixtureSet, loadFixture } from './fixtures.ts';
import { comparisonToHtml } from './html.ts';
import { loadResults } from './inputs.ts';
import { formatDelta } from './metrics.ts';
import { compareSuites } from './suites.ts';
import type { Comparison, MetricComparison } from './types.ts';

/** A usage error (exit 2) whose message is one line and matches `pattern`. */
function assertUsageError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof FaultlineError, String(err));
    assert.equal(err.exitCode, 2);
    assert.doesNotMatch(err.oneLine(), /\n/);
    assert.match(err.message, pattern);
    return true;
  });
}

async function assertRejectsUsage(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof FaultlineError, String(err));
    assert.equal(err.exitCode, 2);
    assert.doesNotMatch(err.oneLine(), /\n/);
    assert.match(err.message, pattern);
    return true;
  });
}

const metric = (c: Comparison, id: string) => {
  const m = c.metrics.find((x) => x.id === id);
  assert.ok(m, `metric ${id} in ${c.metrics.map((x) => x.id).join(', ')}`);
  return m;
};

describe('compareResults (reports/compare) on the committed fixtures', () => {
  const sets: Partial<Record<FixtureSet, RunResult[]>> = {};
  const load = (set: FixtureSet) => sets[set] as RunResult[];
  before(async () => {
    for (const set of [
      'baseline',
      'rerun',
      'replica-120ms',
      'replica-300ms',
      'lb-backend-death',
      'short',
    ] as const) {
      sets[set] = (await loadFixture(set)).map((x) => x.result);
    }
  });

  it('the same run against itself: no regression, every judged metric unchanged', () => {
    const run = load('baseline')[0] as RunResult;
    const c = compareResults([run], [run]);
    assert.equal(c.regressed, false);
    assert.deepEqual(c.regressions, []);
    assert.equal(c.noise.kind, 'fixed');
    assert.ok(c.metrics.every((m) => ['unchanged', 'not-judged', 'not-enough-samples'].includes(m.status)));
    assert.ok(c.metrics.filter((m) => m.status === 'unchanged').every((m) => m.delta === 0));
    assert.ok(c.hypotheses.every((h) => h.status === 'unchanged'));
    assert.deepEqual(c.warnings, []);
  });

  it("shows a hypothesis on an experiment's own checker's metric in the unit result.json stores", async () => {
    const run = await ownMetricResult();
    const c = compareResults([run], [run]);
    const own = c.hypotheses.find((h) => h.metric === 'slow-request-ratio');
    assert.equal(own?.unit, 'ratio');
    assert.match(comparisonToHtml(c), /7(\.0)?\s?%/, 'measured as a percentage, not 0.07');
    assert.doesNotMatch(comparisonToHtml(c), />0\.07</);
  });

  it('three runs against three independent reruns of the same experiment: the noise is not a regression', () => {
    const c = compareResults(load('baseline'), load('rerun'));
    assert.equal(c.noise.kind, 'spread');
    assert.equal(c.regressed, false, c.regressions.join('\n'));
  });

  it('the clearly worse candidate (replica 120 ms slower during the fault): p50 and p99 during fault regress', () => {
    const c = compareResults(load('baseline'), load('replica-120ms'));
    assert.equal(c.regressed, true);
    assert.equal(c.noise.kind, 'spread');
    const p99 = metric(c, 'fault.p99');
    assert.equal(p99.status, 'regressed');
    assert.ok((p99.candidate?.median ?? 0) > 100, 'every miss waits ≥ 120 ms on the replica');
    assert.ok((p99.candidate?.median ?? 0) > (p99.baseline?.max ?? Number.POSITIVE_INFINITY));
    assert.equal(metric(c, 'fault.p50').status, 'regressed');
    // Latency only, and nothing before the fault (its slow queries may still drag into recovery);
    // errors, throughput and the hypotheses are unchanged.
    const regressed = c.metrics.filter((m) => m.status === 'regressed');
    assert.ok(
      regressed.every((m) => m.group === 'latency' && (m.phase === 'fault' || m.phase === 'recovery')),
    );
    assert.ok(c.metrics.filter((m) => m.phase === 'baseline').every((m) => m.status !== 'regressed'));
    assert.ok(c.regressions.some((r) => r.startsWith('p99 during fault: worse by')));
    // 3 × 300 requests a side: enough for p99, and the intervals are far apart.
    assert.equal(p99.samples?.n, 900);
    assert.ok((p99.samples?.intervals?.candidate.lo ?? 0) > (p99.samples?.intervals?.baseline.hi ?? 0));
    assert.ok(c.hypotheses.every((h) => h.status === 'unchanged'));
    assert.match(c.warnings[0] ?? '', /experiment definition changed \(faults\)/);
  });

  it('single runs: a conservative fixed tolerance, and it says so', () => {
    const base = load('baseline')[0] as RunResult;
    const c = compareResults([base], [load('replica-120ms')[0] as RunResult]);
    assert.equal(c.noise.kind, 'fixed');
    assert.match(c.noise.description, /single run.*25 %.*--repeat/);
    assert.equal(metric(c, 'fault.p50').status, 'regressed');
  });

  it('a percentile needs enough requests behind it: p99 of one run’s 180 or 300 requests is no verdict', () => {
    // One run against a rerun of the same experiment: the p99s differ by up to 9× (the maximum of a
    // handful of requests), which the fixed 25 % rule alone called three regressions.
    const c = compareResults([load('baseline')[0] as RunResult], [load('rerun')[0] as RunResult]);
    assert.equal(c.regressed, false, c.regressions.join('\n'));
    for (const [id, n, needed] of [
      ['baseline.p99', 180, 368],
      ['fault.p99', 300, 368],
      ['recovery.p99', 280, 368],
      ['fault.p999', 300, 3688],
    ] as const) {
      const m = metric(c, id);
      assert.equal(m.status, 'not-enough-samples', `${id}: ${m.reason}`);
      assert.equal(m.reason, `not enough samples (n=${n}, need ≥ ${needed})`);
      assert.deepEqual(m.samples, { n, needed, intervals: null });
    }
    // The same requests place a median well: p50 is still judged.
    assert.equal(metric(c, 'fault.p50').status, 'unchanged');
    assert.equal(metric(c, 'fault.p50').samples?.needed, 6);
  });

  it('a p99 twice as high by two runs each is not a regression when the sampling intervals overlap', () => {
    const [b1, , b3] = load('baseline') as [RunResult, RunResult, RunResult];
    const [r1, r2] = load('rerun') as [RunResult, RunResult];
    const c = compareResults([b1, b3], [r1, r2]);
    assert.equal(c.regressed, false, c.regressions.join('\n'));
    const p99 = metric(c, 'fault.p99');
    // By the runs alone it regressed: the candidate median is outside the baseline's band, 2× worse.
    assert.ok((p99.candidate?.median ?? 0) > 1.05 * (p99.baseline?.max ?? Number.POSITIVE_INFINITY));
    assert.ok((p99.relative ?? 0) > 0.9);
    assert.equal(p99.status, 'unchanged');
    assert.match(p99.reason, /but within the sampling noise \(95 % intervals: baseline .* candidate .*\)/);
    const { baseline, candidate } = p99.samples?.intervals ?? {};
    assert.ok(baseline && candidate && candidate.lo <= baseline.hi, 'the intervals overlap');
    // 2 × 180 requests are still too few for p99 during the baseline phase.
    assert.equal(metric(c, 'baseline.p99').reason, 'not enough samples (n=360, need ≥ 368)');
  });

  it('a hypothesis that held in every baseline run and fails in the candidate is a regression', () => {
    const c = compareResults(load('baseline'), load('replica-300ms'));
    const h = c.hypotheses.find((x) => x.text === 'p99 < 500ms during fault');
    assert.equal(h?.status, 'regressed');
    assert.deepEqual([h?.baseline?.held, h?.candidate?.failed], [3, 1]);
    assert.ok(c.regressions.includes('hypothesis "p99 < 500ms during fault" no longer holds'));
    assert.equal(c.noise.kind, 'fixed');
  });

  it('refuses different experiments, different variants and mixed sides with one clear line', () => {
    const [fast, slowChecks] = [...load('lb-backend-death')].sort((a, b) =>
      (a.variant ?? '').localeCompare(b.variant ?? ''),
    ) as [RunResult, RunResult];
    assertUsageError(
      () => compareResults(load('baseline'), [fast]),
      /^cannot compare different experiments: the baseline is cache-node-loss, the candidate lb-backend-death \[checks=fast\]$/,
    );
    assertUsageError(
      () => compareResults([fast], [slowChecks]),
      /^cannot compare different variants of lb-backend-death: the baseline has variant checks=fast, the candidate variant checks=haproxy-default$/,
    );
    assertUsageError(
      () => compareResults([...load('baseline'), fast], load('rerun')),
      /the baseline mixes cache-node-loss, lb-backend-death/,
    );
    assertUsageError(() => compareResults([], load('rerun')), /no baseline results/);
    assertUsageError(
      () => compareSuites(load('baseline'), load('lb-backend-death')),
      /different experiments/,
    );
  });

  it('whole suites: each experiment/variant compared with its own, the rest listed', () => {
    const [fast] = load('lb-backend-death').filter((r) => r.variant === 'checks=fast');
    const suite = compareSuites(
      [...load('baseline'), ...load('lb-backend-death')],
      [...load('replica-120ms'), fast as RunResult],
    );
    assert.deepEqual(
      suite.comparisons.map((c) => [c.experiment, c.variant, c.regressed]),
      [
        ['cache-node-loss', null, true],
        ['lb-backend-death', 'checks=fast', false],
      ],
    );
    assert.deepEqual(suite.onlyInBaseline, ['lb-backend-death [checks=haproxy-default]']);
    assert.deepEqual(suite.onlyInCandidate, []);
    assert.equal(suite.regressed, true);
    const page = comparisonToHtml(suite);
    assert.match(page, /Only in the baseline/);
    assert.match(page, /href="#cmp-lb-backend-death-checks-fast-"/);
  });

  it('a directory of runs counts each run once (latest links, or copies of them, are not runs)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faultline-compare-dir-'));
    try {
      const runs = await loadFixture('baseline');
      const experimentDir = join(dir, 'cache-node-loss');
      for (const r of runs)
        await cp(join(r.path, '..'), join(experimentDir, basename(join(r.path, '..'))), { recursive: true });
      await symlink(basename(join(runs[0]?.path as string, '..')), join(experimentDir, 'latest'));
      await cp(join(runs[1]?.path as string, '..'), join(dir, 'copy-of-latest'), { recursive: true });
      const loaded = await loadResults(dir);
      assert.equal(loaded.length, 3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to compare phases of different lengths metric for metric, unless allowed', () => {
    // The same experiment at --duration-scale 0.4 and 0.2: a 2 s fault against a 1 s one.
    const message =
      /^cannot compare cache-node-loss metric for metric: phase lengths differ \(warmup 1\.2 s vs 0\.6 s, baseline 1\.2 s vs 0\.6 s, fault 2 s vs 1 s, recovery 1\.6 s vs 0\.8 s; --duration-scale 0\.4 vs 0\.2\)$/;
    assertUsageError(() => compareResults(load('baseline'), load('short')), message);
    assertUsageError(
      () => compareSuites(load('short'), load('rerun')),
      /phase lengths differ \(warmup 0\.6 s vs 1\.2 s/,
    );
    // Within one side too: repeat runs of different lengths have no common spread.
    assertUsageError(
      () => compareResults([...load('baseline'), ...load('short')], load('rerun')),
      /phase lengths differ/,
    );
    assert.throws(
      () => compareResults(load('baseline'), load('short')),
      (err: FaultlineError) => /--allow-different-durations/.test(err.hint ?? ''),
    );
    const c = compareResults(load('baseline'), load('short'), { allowDifferentDurations: true });
    assert.ok(c.metrics.some((m) => m.status !== 'not-judged'));
    assert.ok(
      c.warnings.includes(
        'phase lengths differ (warmup 1.2 s vs 0.6 s, baseline 1.2 s vs 0.6 s, fault 2 s vs 1 s, recovery 1.6 s vs 0.8 s; --duration-scale 0.4 vs 0.2): compared anyway (--allow-different-durations)',
      ),
      c.warnings.join('\n'),
    );
    const suite = compareSuites(load('baseline'), load('short'), { allowDifferentDurations: true });
    assert.equal(suite.comparisons.length, 1);
  });

  it('refuses another schema version', () => {
    const run = load('baseline')[0] as RunResult;
    const future = { ...run, schemaVersion: RESULT_SCHEMA_VERSION + 1 } as unknown as RunResult;
    assertUsageError(
      () => compareResults([run], [future]),
      new RegExp(
        `schema version ${RESULT_SCHEMA_VERSION + 1}; this faultline reads version ${RESULT_SCHEMA_VERSION}`,
      ),
    );
  });

  describe('bad files: one line naming the file and the problem, exit 2', () => {
    let dir: string;
    let text: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'faultline-compare-'));
      const [first] = await loadFixture('baseline');
      text = await readFile(first?.path as string, 'utf8');
    });
    after(() => rm(dir, { recursive: true, force: true }));

    it('a truncated result.json', async () => {
      const file = join(dir, 'truncated.json');
      await writeFile(file, text.slice(0, text.length / 2));
      await assertRejectsUsage(loadResults(file), new RegExp(`^cannot read ${file}: .*JSON`));
    });

    it('a wrong schema version', async () => {
      const file = join(dir, 'future.json');
      await writeFile(
        file,
        JSON.stringify({ ...JSON.parse(text), schemaVersion: RESULT_SCHEMA_VERSION + 1 }),
      );
      await assertRejectsUsage(
        loadResults(file),
        new RegExp(`^${file} is not a faultline result: schemaVersion`),
      );
    });

    it('a missing file or a directory without results', async () => {
      await assertRejectsUsage(loadResults(join(dir, 'nope.json')), /^cannot read .*nope\.json/);
      await assertRejectsUsage(loadResults(dir), /^no result\.json under/);
    });

    it('a tampered histogram is named with its file when compared', async () => {
      const json = JSON.parse(text) as RunResult & { metrics: MetricsSnapshotJSON };
      const phase = json.metrics.phases[1];
      if (phase) phase.latency = `${phase.latency.slice(0, 40)}AAAA`;
      const file = join(dir, 'tampered.json');
      await writeFile(file, JSON.stringify(json));
      const [tampered] = await loadResults(file); // the schema is intact: only the histogram is not
      assertUsageError(
        () =>
          compareResults(load('baseline'), [tampered?.result as RunResult], {
            sources: { candidate: [file] },
          }),
        new RegExp(`^${file}: .*latency`),
      );
    });
  });

  it('spectra merge the decoded histograms: counts add up over the runs of each side', () => {
    const baseline = load('baseline');
    const candidate = load('replica-120ms');
    const c = compareResults(baseline, candidate);
    const decoded = (runs: RunResult[], phase: string) =>
      runs.map((r) => {
        const p = (r.metrics as unknown as MetricsSnapshotJSON).phases.find((x) => x.phase === phase);
        return decodeHistogram(p?.latency as string);
      });
    assert.deepEqual(
      c.spectra.map((s) => s.phase),
      ['warmup', 'baseline', 'fault', 'recovery'],
    );
    for (const s of c.spectra) {
      for (const [side, runs] of [
        [s.baseline, baseline],
        [s.candidate, candidate],
      ] as const) {
        const histograms = decoded(runs, s.phase);
        const counts = histograms.map((h) => h.totalCount);
        assert.deepEqual(side?.runCounts, counts);
        assert.equal(
          side?.count,
          counts.reduce((a, b) => a + b, 0),
        );
        // The merged maximum is the largest of the runs' maxima, exactly (no re-estimation).
        const max = Math.max(...histograms.map((h) => h.maxValue)) / 1000;
        const top = side?.points.at(-1);
        assert.equal(top?.percentile, 100);
        assert.ok(Math.abs((top?.ms ?? 0) - max) <= max * 0.001, `${top?.ms} vs ${max}`);
        const ms = side?.points.map((p) => p.ms) ?? [];
        assert.deepEqual(
          ms,
          [...ms].sort((a, b) => a - b),
          'a spectrum never goes down',
        );
      }
    }
  });

  it('the aligned charts shade each side’s own fault window', () => {
    // The short candidate's fault lasts half as long: two bands, of different widths.
    const c = compareResults(load('baseline'), load('short'), { allowDifferentDurations: true });
    const page = comparisonToHtml(c);
    const band = (cls: string) => {
      const m = new RegExp(
        `<g class="band ${cls}"><rect x="[\\d.]+" y="[\\d.]+" width="([\\d.]+)"[^>]*><title>([^<]*)</title>`,
      ).exec(page);
      assert.ok(m, `a ${cls} band`);
      return { width: Number(m[1]), title: m[2] };
    };
    const base = band('fault-c1');
    const cand = band('fault-c2');
    assert.equal(base.title, 'fault (baseline)');
    assert.equal(cand.title, 'fault (candidate)');
    const ratio = (c.series.candidate.faultWindow?.toMs ?? 0) / (c.series.baseline.faultWindow?.toMs ?? 1);
    assert.ok(ratio > 0.4 && ratio < 0.7, `the candidate's fault is shorter: ${ratio}`);
    assert.ok(Math.abs(cand.width / base.width - ratio) < 0.05, `${cand.width} / ${base.width} vs ${ratio}`);
  });

  it('time series are aligned at the first fault actuation', () => {
    const c = compareResults(load('baseline'), load('replica-120ms'));
    for (const side of [c.series.baseline, c.series.candidate]) {
      assert.equal(side.alignedOn, 'fault-actuated');
      assert.equal(side.faultWindow?.fromMs, 0);
      const fault = side.phases.find((p) => p.name === 'fault');
      // The fault is injected at the start of its phase: actuation follows within a second.
      assert.ok(fault && fault.startMs <= 0 && fault.startMs > -1000, JSON.stringify(fault));
      assert.equal(side.runs.length, 3);
      assert.ok(side.median.some((p) => p.t < 0) && side.median.some((p) => p.t > 0));
    }
    // The slow replica shows in the fault window, not before.
    const during = (points: typeof c.series.candidate.median) =>
      Math.max(...points.filter((p) => p.t > 0 && p.t <= 1500).map((p) => p.p50));
    assert.ok(during(c.series.candidate.median) > 100);
    assert.ok(during(c.series.baseline.median) < 50);
  });

  it('aligned throughput has no spike where the load stopped: a sliver of a bucket is left out', () => {
    const c = compareResults(load('baseline'), load('rerun'));
    for (const side of [c.series.baseline, c.series.candidate]) {
      const rates = side.median.map((p) => p.throughput).sort((a, b) => a - b);
      const typical = rates[Math.floor(rates.length / 2)] ?? 0;
      const peak = rates.at(-1) ?? 0;
      assert.ok(peak < 2 * typical, `peak ${peak.toFixed(0)}/s vs typical ${typical.toFixed(0)}/s`);
      // One median point per bucket width: no two buckets of a run share a bin, none is skipped.
      const steps = side.median.slice(1).map((p, i) => p.t - (side.median[i]?.t ?? 0));
      assert.ok(new Set(steps).size <= 1, `steps ${[...new Set(steps)].join(', ')}`);
    }
  });

  it('renders one self-contained page: verdict, tables and charts, every string escaped, nothing external', () => {
    const c = compareResults(load('baseline'), load('replica-120ms'), {
      labels: { baseline: 'last night <b>', candidate: 'tonight & "now"' },
      sources: { candidate: ['<img src=x onerror=alert(1)>', 'b', 'c'] },
    });
    const page = comparisonToHtml(c);
    assert.match(page, /^<!doctype html>/);
    assert.match(page, /REGRESSION/);
    assert.match(page, /p99 during fault/);
    assert.ok((page.match(/<svg /g) ?? []).length >= 8, 'four spectra and four aligned charts');
    assert.doesNotMatch(page, /<img|<b>|<script|https?:\/\/(?!www\.w3\.org)/);
    assert.match(page, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(page, /last night &lt;b&gt;/);
    assert.match(page, /tonight &amp; &quot;now&quot;/);
  });
});

describe('formatDelta: how a change of median reads', () => {
  const change = (delta: number | null, relative: number | null, unit: MetricComparison['unit'] = 'ms') =>
    ({ delta, relative, unit }) as MetricComparison;

  it('signed, in the metric unit, with the relative change', () => {
    assert.equal(formatDelta(change(12.5, 0.1333)), '+12.5 ms (+13.3 %)');
    assert.equal(formatDelta(change(-0.02, -0.5, 'ratio')), '−2 % (−50.0 %)');
    assert.equal(formatDelta(change(0, 0, 'count')), '±0 (±0.0 %)');
  });

  it('a terminal gets a plain minus; a change from 0 says so; no delta is a dash', () => {
    assert.equal(formatDelta(change(-3, -0.25), '-'), '-3.00 ms (-25.0 %)');
    assert.equal(formatDelta(change(4, Number.POSITIVE_INFINITY, 'per-second')), '+4.0/s (from 0)');
    assert.equal(formatDelta(change(null, null)), '—');
  });
});
