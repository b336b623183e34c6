import assert from 'node:assert/strict';
import { ExitCode, FaultlineError } from '../../harness/core/errors.ts';
import type { RunResult } from '../../harness/journal/index.ts';
import { FIXTURES, type FixtureName, loadFixture, ownMetricResult } from './fixtures.ts';
import { renderReport } from './render.ts';

const COMMON = ['verdict', 'topology', 'events', 'load', 'spectrum', 'environment'];
const SPECIFIC = ['stale-reads', 'failover', 'sessions', 'cache'];

/** What each fixture's report must show: its own sections and numbers from its result. */
const EXPECTED: Record<FixtureName, { sections: string[]; texts: string[] }> = {
  'replica-lag': {
    sections: ['stale-reads'],
    texts: [
      'mitigation=none',
      'stale-read-rate &gt; 0% during fault', // the hypothesis, escaped
      '97.5 %', // measured stale-read rate during the fault
      '79 of 224', // stale read-backs
      'Staleness age',
      'Replication replay lag',
      'replica-lag:all',
    ],
  },
  'lb-backend-death': {
    sections: ['failover'],
    texts: [
      'checks=fast',
      'failover-time &lt; 3s',
      '317 ms',
      '403 ms',
      '4.72 %',
      'lb-backend-death:web-2',
      'DOWN',
    ],
  },
  'session-loss': {
    sections: ['sessions'],
    texts: ['sessions=memory', 'sessions-lost &gt; 0', '20 of 40', 'forced re-logins', 'user-33'],
  },
  'cdn-origin-outage': {
    sections: ['cache'],
    texts: ['FAIL', 'FAILS', '16.1 %', '6.06 %', 'CDN edge (Varnish)', 'cdn-origin-outage:cdn-&gt;lb'],
  },
  'cache-node-loss': {
    sections: ['cache'],
    texts: ['INVALID', 'the load generator fell behind', '73.3 %', '44 %', '×2.10', 'App cache (Redis)'],
  },
  'cdn-invalidation': {
    sections: ['cdn-freshness'],
    texts: [
      'invalidate=ban',
      'cdn-time-to-fresh &lt; 500ms',
      'CDN freshness',
      '1 of 166',
      'BAN',
      'asset-change:cdn',
    ],
  },
};

function sectionIds(page: string): string[] {
  return [...page.matchAll(/<section class="card" id="([a-z-]+)"/g)].map((m) => m[1] as string);
}

function count(page: string, needle: string): number {
  return page.split(needle).length - 1;
}

describe('renderReport (from the committed fixtures)', () => {
  for (const name of Object.keys(FIXTURES) as FixtureName[]) {
    describe(name, () => {
      let result: RunResult;
      let page: string;
      before(async () => {
        result = await loadFixture(name);
        page = renderReport(result);
      });

      it('is one HTML document with inline CSS and nothing external', () => {
        assert.match(page, /^<!doctype html>\n<html lang="en">/);
        assert.match(page, /<style>[\s\S]+<\/style>/);
        assert.doesNotMatch(page, /src="http|href="http/);
        assert.doesNotMatch(page, /https?:\/\//, 'no URL of any kind');
        assert.doesNotMatch(page, /<(link|img|iframe|object|embed)\b/);
        assert.doesNotMatch(page, /url\(/, 'no CSS url()');
        assert.equal(count(page, '<script'), 1, 'only the JSON data block');
        assert.match(page, /<script type="application\/json" id="faultline-result">/);
        for (const tag of ['section', 'svg', 'table', 'header', 'main']) {
          assert.equal(count(page, `<${tag}`), count(page, `</${tag}>`), `<${tag}> balanced`);
        }
      });

      it('shows the verdict, the status and every hypothesis with its measured value', () => {
        assert.ok(
          page.includes(`<span class="big v-${result.verdict}">${result.verdict.toUpperCase()}</span>`),
        );
        assert.ok(page.includes(result.experiment.name));
        for (const h of result.hypotheses) {
          const text = h.text.replace(/</g, '&lt;').replace(/>/g, '&gt;');
          assert.ok(page.includes(`<code>${text}</code>`), `hypothesis ${h.text}`);
        }
        const holds = result.hypotheses.filter((h) => h.holds === true).length;
        const fails = result.hypotheses.filter((h) => h.holds === false).length;
        assert.equal(count(page, '<span class="badge b-holds">holds</span>') >= holds, true);
        assert.equal(count(page, '<span class="badge b-fails">FAILS</span>') >= fails, true);
      });

      it('shades the fault window in every chart over time', () => {
        assert.ok(result.events.some((e) => e.kind === 'fault-actuated'));
        // throughput, error rate, latency, plus the experiment's own time charts
        assert.ok(count(page, '<g class="band fault">') >= 3, 'fault bands');
        assert.match(
          page,
          /<g class="band fault"><rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+"><title>/,
        );
      });

      it('has the sections this experiment needs, and not the others', () => {
        const ids = sectionIds(page);
        for (const id of [...COMMON, ...EXPECTED[name].sections])
          assert.ok(ids.includes(id), `section ${id}`);
        for (const id of SPECIFIC.filter((s) => !EXPECTED[name].sections.includes(s))) {
          assert.ok(!ids.includes(id), `no section ${id}`);
        }
        assert.match(page, /Latency percentile spectrum/);
        assert.match(page, /99\.9 %|99 %/, 'a log percentile axis');
      });

      it('shows the numbers that matter for this experiment', () => {
        for (const text of EXPECTED[name].texts) assert.ok(page.includes(text), `"${text}" in the page`);
        if (result.environment.gitSha) assert.ok(page.includes(result.environment.gitSha));
        assert.ok(page.includes(result.environment.node));
      });

      it('highlights the faulted service or link in the topology', () => {
        assert.match(page, /class="node [a-z]+ faulted"|class="edge faulted"/);
      });
    });
  }

  it("shows a hypothesis on the experiment's own checker's metric in its unit, as result.json names it", async () => {
    const page = renderReport(await ownMetricResult());
    const row = /<tr[^>]*><td>(?:(?!<\/tr>)[\s\S])*slow-request-ratio(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(
      page,
    )?.[0];
    assert.ok(row, 'its row in the hypotheses table');
    assert.match(row, /<strong>7 %<\/strong>/);
    assert.match(row, /&lt; 5 %/);
  });

  it('shows how long the topology took to start and the chain of waits that decided it', async () => {
    const result = await loadFixture('cache-node-loss');
    assert.equal(result.topology.start, undefined, 'results from before do not say');
    assert.doesNotMatch(renderReport(result), /topology start/);
    result.topology.start = {
      totalMs: 2650,
      chain: [
        { step: 'pg-primary', ms: 382 },
        { step: 'pg-replica-2', ms: 985 },
        { step: 'web-2', ms: 755 },
        { step: 'lb', ms: 727 },
      ],
    };
    const page = renderReport(result);
    assert.match(
      page,
      /topology start<\/(?:th|td|dt)>\s*<(?:td|dd)>2\.65 s: pg-primary 382 ms → pg-replica-2 985 ms → web-2 755 ms → lb 727 ms/,
    );
  });

  describe('hostile strings from a result', () => {
    const evil = '</script><img src=x onerror=alert(1)>"\'&';
    let page: string;
    let result: RunResult;
    before(async () => {
      result = await loadFixture('lb-backend-death');
      result.experiment.name = `<b>${evil}</b>`;
      result.experiment.description = evil;
      result.variant = `"><script>alert(2)</script>`;
      result.statusReason = evil;
      result.environment.versions[evil] = evil;
      result.environment.runtime = evil;
      result.topology.options.sessionStore = evil;
      (result.hypotheses[0] as RunResult['hypotheses'][number]).text = `p99 < 1s ${evil}`;
      (result.checks[0] as RunResult['checks'][number]).summary = evil;
      result.events.push(
        { at: 3000, kind: 'fault-requested', fault: `x:${evil}` },
        { at: 3001, kind: 'observation', fault: `x:${evil}`, source: evil, detail: { [evil]: evil } },
        { at: 3100, kind: 'phase-start', phase: evil },
      );
      result.faults.push({
        id: `x:${evil}`,
        kind: 'x',
        target: evil,
        params: { [evil]: evil },
        life: { actuated: 3000 },
      });
      page = renderReport(result);
    });

    it('escapes them everywhere: no markup, script or handler gets through', () => {
      assert.equal(count(page, '<script'), 1);
      assert.doesNotMatch(page, /<img|<b>|onerror=alert\(1\)>|<script>alert/);
      assert.ok(page.includes('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;'));
      assert.doesNotMatch(page, /src="http|href="http/);
    });

    it('keeps the embedded data intact and unable to close its script element', () => {
      const json = /<script type="application\/json" id="faultline-result">([\s\S]*?)<\/script>/.exec(
        page,
      )?.[1];
      assert.ok(json);
      assert.doesNotMatch(json, /</);
      const data = JSON.parse(json) as { experiment: string; variant: string; statusReason: string };
      assert.equal(data.experiment, result.experiment.name);
      assert.equal(data.variant, result.variant);
      assert.equal(data.statusReason, evil);
    });
  });

  describe('results it must not break on', () => {
    it('evidence in an unexpected shape: the section says so', async () => {
      const result = await loadFixture('replica-lag');
      (result.checks[0] as RunResult['checks'][number]).evidence = { reads: 'many' };
      const page = renderReport(result);
      assert.match(page, /The stale-reads evidence in this result is not in the shape this report reads/);
    });

    it('no fault actuated and no checks: no band, no specific section', async () => {
      const result = await loadFixture('cache-node-loss');
      result.events = result.events.filter((e) => !e.kind.startsWith('fault-'));
      result.faults = [];
      result.checks = [];
      const page = renderReport(result);
      assert.equal(count(page, 'class="band fault"'), 0);
      assert.ok(!sectionIds(page).includes('cache'));
      assert.match(page, /No fault was actuated/);
    });

    it('a run stopped before any load: still a whole page that says so', async () => {
      const result = await loadFixture('replica-lag');
      result.status = 'aborted';
      result.statusReason = 'stopped by the user';
      result.verdict = 'invalid';
      result.events = [];
      result.faults = [];
      result.checks = [];
      (result.metrics as { phases: unknown[] }).phases = [];
      result.hypotheses = result.hypotheses.map((h) => ({ ...h, value: null, holds: 'unknown' as const }));
      const page = renderReport(result);
      assert.match(page, /<span class="big v-invalid">INVALID<\/span>/);
      assert.match(page, /stopped by the user/);
      assert.match(page, /No request completed/);
      assert.equal(count(page, '<span class="badge b-unknown">unknown</span>'), result.hypotheses.length);
      assert.match(page, /n\/a/);
      assert.equal(count(page, '<svg'), count(page, '</svg>'));
    });

    it('metrics that do not decode: a usage error (exit 2)', async () => {
      const result = await loadFixture('session-loss');
      const metrics = result.metrics as { phases: { latency: string }[] };
      (metrics.phases[0] as { latency: string }).latency = 'HISTFAAAAnot-a-histogram';
      assert.throws(
        () => renderReport(result),
        (err: unknown) => err instanceof FaultlineError && err.exitCode === ExitCode.usage,
      );
    });
  });
});
