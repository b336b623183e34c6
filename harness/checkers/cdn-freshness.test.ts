import assert from 'node:assert/strict';
import type { RunEvent } from '../samples/event-log.ts';
import type { Sample } from '../samples/sample.ts';
import { analyzeCdnFreshness, cdnFreshness, cdnFreshnessChecker } from './cdn-freshness.ts';
import { metricValue } from './metric-values.ts';
import { dropped, every, failed, observed, ok, phases, record } from './testing.ts';

const OLD = '"v1"';
const NEW = '"v2"';

/** A cacheable request of `asset` at `t` through the edge, answered with `etag` (X-Cache `cache`). */
const get = (
  t: number,
  etag: string | undefined,
  cache = 'hit',
  asset = 'app.css',
  extra: Partial<Sample> = {},
) =>
  ok(t, {
    request: 'GET /static/* (cacheable)',
    cache,
    ...(etag === undefined ? {} : { etag }),
    detail: { cacheable: true, asset },
    ...extra,
  });

/** app.css changes from v1 to v2 at the origin at 10 s (the fault phase's start). */
const change = (at = 10_000): RunEvent =>
  observed(at, 'asset.change', { asset: 'app.css', path: '/static/app.css', oldEtag: OLD, newEtag: NEW });

const invalidate = (at: number, method: 'PURGE' | 'BAN', status = 200): RunEvent =>
  observed(at, 'cdn.invalidate', {
    method,
    pattern: method === 'PURGE' ? '/static/app.css' : '/static/',
    status,
  });

/** app.css every 100 ms over the run: v1 before `freshAt`, v2 from then on (one miss refetching it). */
function servedUntil(freshAt: number): Sample[] {
  return every(0, 30_000, 100, (t) =>
    t < freshAt ? get(t, OLD) : get(t, NEW, t === freshAt ? 'miss' : 'hit'),
  );
}

describe('checkers/cdn-freshness', () => {
  it('without invalidation the edge serves the old version until its copy expires: that is the time to fresh', () => {
    const run = record({ samples: servedUntil(13_000), events: [change()] });
    const [c] = analyzeCdnFreshness(run).changes;
    // 200 answers from 10 s on, the 30 sent before 13 s still v1; the last of them done at 12.905 s.
    assert.deepEqual(
      [c?.old, c?.new, c?.other, c?.oldShare, c?.timeToFreshMs, c?.neverFresh],
      [30, 170, 0, 0.15, 2905, false],
    );
    assert.deepEqual([c?.invalidatedAt, c?.invalidateMethod, c?.staleAfterInvalidation], [null, null, null]);
    const result = cdnFreshnessChecker().check(run);
    assert.deepEqual([result.valid, result.value, result.unit], [true, 2905, 'ms']);
    assert.match(
      result.summary,
      /app\.css: 15\.00% of answers after the change were old \(30 of 200\), fresh 2905 ms after the change; no invalidation/,
    );
  });

  it('draws the old share per 500 ms bin from 2 s before the change: all old, then none', () => {
    const [c] = analyzeCdnFreshness(record({ samples: servedUntil(13_000), events: [change()] })).changes;
    assert.deepEqual([c?.oldShareSeries.fromMs, c?.oldShareSeries.binMs], [8000, 500]);
    assert.deepEqual(c?.oldShareSeries.shares.slice(0, 12), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    assert.equal(c?.oldShareSeries.shares.length, 44, 'to the run’s end at 30 s');
  });

  it('after a PURGE of the URL nothing old is sent: the old version lasts only until the edge answered it', () => {
    const samples = every(0, 30_000, 100, (t) => get(t, t <= 10_100 ? OLD : NEW));
    const run = record({ samples, events: [change(), invalidate(10_150, 'PURGE')] });
    const [c] = analyzeCdnFreshness(run).changes;
    assert.deepEqual(
      [c?.invalidatedAt, c?.invalidateMethod, c?.invalidateStatus, c?.staleAfterInvalidation],
      [10_150, 'PURGE', 200, 0],
    );
    assert.deepEqual([c?.old, c?.timeToFreshMs], [2, 105]);
    assert.equal(
      cdnFreshnessChecker({ maxOldShare: 0.05, maxTimeToFreshMs: '500ms' }).check(run).valid,
      true,
    );
  });

  it('a refused PURGE invalidates nothing: the old answers sent after it are counted and its status noted', () => {
    const run = record({
      samples: servedUntil(13_000),
      events: [change(), invalidate(10_150, 'PURGE', 405)],
    });
    const result = cdnFreshnessChecker().check(run);
    const [c] = analyzeCdnFreshness(run).changes;
    assert.equal(c?.staleAfterInvalidation, 28, 'v1 sent from 10.2 s to 12.9 s');
    assert.match(result.summary, /PURGE 150 ms after it \(answered 405\), 28 old answers sent after it/);
  });

  it('never fresh when the last answer of the run is still old: no time, invalid only under maxTimeToFreshMs', () => {
    const run = record({ samples: servedUntil(40_000), events: [change()] });
    const [c] = analyzeCdnFreshness(run).changes;
    assert.deepEqual([c?.oldShare, c?.timeToFreshMs, c?.neverFresh], [1, null, true]);
    const lenient = cdnFreshnessChecker().check(run);
    assert.deepEqual([lenient.valid, lenient.value], [true, undefined]);
    assert.match(lenient.summary, /never fresh: its last answer was still old/);
    const strict = cdnFreshnessChecker({ maxTimeToFreshMs: '10s' }).check(run);
    assert.equal(strict.valid, false);
    assert.match(strict.summary, /limits: fresh within 10\.0 s/);
    assert.equal(metricValue(run, 'cdn-time-to-fresh'), Number.POSITIVE_INFINITY);
  });

  it('an old answer that is not the last does not make it never fresh (e.g. one edge node behind)', () => {
    const samples = [...servedUntil(11_000), get(20_000, OLD), get(25_000, NEW)];
    const [c] = analyzeCdnFreshness(record({ samples, events: [change()] })).changes;
    assert.deepEqual([c?.timeToFreshMs, c?.neverFresh], [10_005, false]);
  });

  it('judges only cacheable 200 answers of the changed asset with an ETag, sent after the change; weak ETags are the same version', () => {
    const samples = [
      get(9_900, OLD),
      get(10_000, `W/${OLD}`),
      get(10_100, '"v0"'),
      get(10_200, NEW),
      get(10_300, OLD, 'hit', 'app.js'),
      get(10_400, undefined),
      get(10_500, OLD, 'hit', 'app.css', { status: 304 }),
      failed(10_600, {
        request: 'GET /static/* (cacheable)',
        etag: OLD,
        detail: { cacheable: true, asset: 'app.css' },
      }),
      dropped(10_700, {
        request: 'GET /static/* (cacheable)',
        detail: { cacheable: true, asset: 'app.css' },
      }),
      ok(10_800, {
        request: 'GET /static/* (uncached)',
        etag: OLD,
        detail: { cacheable: false, asset: 'app.css' },
      }),
    ];
    const [c] = analyzeCdnFreshness(record({ samples, events: [change()] })).changes;
    assert.deepEqual([c?.old, c?.new, c?.other, c?.oldShare, c?.timeToFreshMs], [1, 1, 1, 0.5, 5]);
  });

  it('valid when the old share is within maxOldShare (0..1, default 1) and it became fresh within maxTimeToFreshMs', () => {
    const run = record({ samples: servedUntil(13_000), events: [change()] });
    assert.equal(cdnFreshnessChecker({ maxOldShare: 0.15 }).check(run).valid, true);
    assert.equal(cdnFreshnessChecker({ maxOldShare: 0.1 }).check(run).valid, false);
    assert.equal(cdnFreshnessChecker({ maxTimeToFreshMs: 3000 }).check(run).valid, true);
    assert.equal(cdnFreshnessChecker({ maxTimeToFreshMs: '2s' }).check(run).valid, false);
    assert.match(cdnFreshnessChecker({ maxOldShare: 0.1 }).check(run).summary, /limits: old share ≤ 10\.00%/);
  });

  it('unknown without an asset change, or without an old or new answer of the changed asset after it', () => {
    const none = cdnFreshnessChecker().check(record({ samples: servedUntil(13_000) }));
    assert.equal(none.valid, 'unknown');
    assert.match(none.summary, /no asset change was recorded \(source "asset.change"\)/);
    const otherAsset = every(0, 30_000, 100, (t) => get(t, OLD, 'hit', 'app.js'));
    const silent = cdnFreshnessChecker().check(record({ samples: otherAsset, events: [change()] }));
    assert.equal(silent.valid, 'unknown');
    assert.match(
      silent.summary,
      /no cacheable request of app\.css got its old or new ETag after the change \(300 cacheable/,
    );
    assert.equal(
      metricValue(record({ samples: otherAsset, events: [change()] }), 'cdn-old-content-share'),
      undefined,
    );
  });

  it('counts the origin fetches a BAN of /static/ causes: the peak in the 5 s after it against the mean before the change', () => {
    const samples = [
      ...servedUntil(11_000),
      // One origin fetch of app.js a second before the change.
      ...every(0, 10_000, 1000, (t) => get(t + 50, '"js1"', 'miss', 'app.js')),
      // The BAN empties the edge: every asset is fetched again at once (20 in one bin: 40/s).
      ...every(10_500, 11_000, 25, (t) => get(t, '"x"', 'miss', `asset-${t}.png`)),
      // A later burst, more than 5 s after the BAN, and cache-busting misses: neither counts.
      ...every(20_000, 20_500, 10, (t) => get(t, '"x"', 'miss', 'logo.png')),
      ...every(10_500, 11_000, 5, (t) =>
        ok(t, {
          request: 'GET /static/* (uncached)',
          cache: 'miss',
          detail: { cacheable: false, asset: 'app.css' },
        }),
      ),
    ];
    const run = record({ samples, events: [change(), invalidate(10_500, 'BAN')] });
    const a = analyzeCdnFreshness(run);
    const [c] = a.changes;
    assert.deepEqual([c?.invalidateMethod, c?.missesBaseline, c?.missesPeakAfter], ['BAN', 1, 40]);
    assert.equal(a.missRate.binMs, 500);
    assert.deepEqual(a.missRate.perSecond.slice(20, 23), [0, 40, 2], 'app.css refetched at 11 s');
    assert.equal(a.missRate.perSecond[40], 100);
    assert.equal(metricValue(run, 'cdn-origin-fetches-peak'), 40);
  });

  it('leaves the warmup (the edge filling up) out of the baseline', () => {
    const samples = [
      ...every(0, 2000, 100, (t) => get(t, OLD, 'miss')),
      ...every(2000, 10_000, 1000, (t) => get(t, OLD, 'miss')),
    ];
    const run = record({
      samples,
      events: [change()],
      phases: phases(['warmup', 2000], ['baseline', 8000], ['fault', 10_000], ['recovery', 10_000]),
    });
    assert.equal(analyzeCdnFreshness(run).changes[0]?.missesBaseline, 1);
  });

  it('judges each change of an asset until its next one, and each change on its own', () => {
    const samples = [
      ...every(10_000, 15_000, 100, (t) => get(t, t < 11_000 ? OLD : NEW)),
      ...every(15_000, 20_000, 100, (t) => get(t, t < 17_000 ? NEW : '"v3"')),
    ];
    const second = observed(15_000, 'asset.change', {
      asset: 'app.css',
      path: '/static/app.css',
      oldEtag: NEW,
      newEtag: '"v3"',
    });
    const a = analyzeCdnFreshness(record({ samples, events: [change(), second] }));
    assert.deepEqual(
      a.changes.map((c) => [c.old, c.new, c.other, c.timeToFreshMs]),
      [
        [10, 40, 0, 905],
        [20, 30, 0, 1905],
      ],
    );
    assert.equal(
      metricValue(record({ samples, events: [change(), second] }), 'cdn-time-to-fresh'),
      1905,
      'the worst',
    );
  });

  it('resolves its metrics, run-wide, to the checker’s numbers: old share as a ratio, time in ms, fetches per second', () => {
    const run = record({ samples: servedUntil(13_000), events: [change()] });
    assert.equal(metricValue(run, 'cdn-old-content-share'), 0.15);
    assert.equal(metricValue(run, 'cdn-old-content-share', 'baseline'), 0.15, 'the phase is ignored');
    assert.equal(metricValue(run, 'cdn-time-to-fresh'), cdnFreshnessChecker().check(run).value);
    assert.equal(metricValue(run, 'cdn-origin-fetches-peak'), 2, 'the one refetch at 13 s');
    assert.deepEqual(
      Object.entries(cdnFreshness.metrics).map(([name, m]) => [name, m.unit, m.scope, m.better]),
      [
        ['cdn-old-content-share', 'ratio', 'run', 'lower'],
        ['cdn-time-to-fresh', 'ms', 'run', 'lower'],
        ['cdn-origin-fetches-peak', 'per-second', 'run', 'lower'],
      ],
    );
    assert.equal(metricValue(record({}), 'cdn-origin-fetches-peak'), undefined);
  });

  it('keeps evidence its schema reads, and rejects an old-content share limit outside 0..1', () => {
    const result = cdnFreshnessChecker().check(record({ samples: servedUntil(13_000), events: [change()] }));
    assert.ok(cdnFreshness.evidence.safeParse(JSON.parse(JSON.stringify(result.evidence))).success);
    assert.throws(() => cdnFreshnessChecker({ maxOldShare: 5 }), /maxOldShare/);
    assert.throws(() => cdnFreshnessChecker({ maxTimeToFreshMs: 'soon' }), /maxTimeToFreshMs/);
  });
});
