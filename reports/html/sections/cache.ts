/**
 * Caching (cache-node-loss, cdn-origin-outage): the app's Redis cache — hit ratio per phase and over
 * time (from each node's own counters), DB reads, re-warm after the heal — and the CDN edge —
 * availability of cached vs uncached assets and the share served from cache (stale, under grace,
 * while the origin is down).
 */
import { barChart } from '../charts/bar-chart.ts';
import { lineChart, type Series } from '../charts/line-chart.ts';
import { type CheckerSection, card, type Tile, table, tiles, unreadable } from '../components.ts';
import { evidenceOf } from '../evidence.ts';
import { count, ms, num, pct, perSecond } from '../format.ts';
import { html, type Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';
import { faultBands, phaseSpans, xDomain } from './time.ts';

type Evidence = NonNullable<ReturnType<typeof evidence>>;
const evidence = (m: ReportModel) => evidenceOf(m.check('cache-effect'), 'cache-effect');

function ordered(m: ReportModel, names: string[]): string[] {
  const known = m.result.phases.map((p) => p.name);
  return [...known.filter((n) => names.includes(n)), ...names.filter((n) => !known.includes(n))];
}

/**
 * Hit ratio per node over time from its cumulative keyspace counters (redis.stats observations):
 * each interval's hits / (hits + misses). A node that stopped answering leaves a gap; a restarted
 * one (counters back to zero) starts afresh.
 */
export function hitRatioSeries(m: ReportModel): Series[] {
  const byNode = new Map<string, { at: number; hits: number; misses: number }[]>();
  for (const e of m.result.events) {
    if (e.kind !== 'observation' || e.source !== 'redis.stats') continue;
    const d = e.detail as Record<string, unknown> | undefined;
    if (typeof d?.node !== 'string' || typeof d.hits !== 'number' || typeof d.misses !== 'number') continue;
    const list = byNode.get(d.node) ?? [];
    list.push({ at: e.at, hits: d.hits, misses: d.misses });
    byNode.set(d.node, list);
  }
  const classes = ['c1', 'c4', 'c3', 'c5', 'c2', 'c6'];
  return [...byNode]
    .sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }))
    .map(([node, list], i) => {
      const sorted = list.sort((a, b) => a.at - b.at);
      const gaps = sorted.slice(1).map((s, k) => s.at - (sorted[k] as (typeof sorted)[number]).at);
      const usual = gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 1000;
      const points: { x: number; y: number | null }[] = [];
      for (let k = 1; k < sorted.length; k++) {
        const prev = sorted[k - 1] as (typeof sorted)[number];
        const cur = sorted[k] as (typeof sorted)[number];
        const reset = cur.hits < prev.hits || cur.misses < prev.misses;
        if (cur.at - prev.at > usual * 1.8) points.push({ x: m.rel((prev.at + cur.at) / 2), y: null });
        const hits = reset ? cur.hits : cur.hits - prev.hits;
        const misses = reset ? cur.misses : cur.misses - prev.misses;
        points.push({ x: m.rel(cur.at), y: hits + misses > 0 ? hits / (hits + misses) : null });
      }
      return { name: node, cls: classes[i % classes.length] as string, points };
    });
}

function appCache(m: ReportModel, e: Evidence): Markup {
  const a = e.app;
  const phases = ordered(m, Object.keys(a.byPhase));
  const faultRatio = a.byPhase.fault?.hitRatio ?? null;
  const rewarm = a.rewarm[0];
  const list: Tile[] = [
    { label: 'hit ratio, baseline', value: pct(a.baselineHitRatio) },
    {
      label: 'hit ratio, fault',
      value: pct(faultRatio),
      tone: a.dip !== null && a.dip > 0.05 ? 'warn' : undefined,
    },
    { label: 'dip (points)', value: a.dip === null ? 'n/a' : `${num(a.dip * 100)} pt` },
    { label: 'worst bucket in fault', value: pct(a.faultBucketMin) },
    { label: 'DB read surge', value: a.dbSurge === null ? 'n/a' : `×${a.dbSurge.toFixed(2)}` },
    {
      label: 're-warm after heal',
      value: rewarm ? (rewarm.rewarmMs === null ? 'not re-warmed' : ms(rewarm.rewarmMs)) : 'n/a',
      tone: rewarm && rewarm.rewarmMs === null ? 'bad' : undefined,
    },
  ];
  const series = hitRatioSeries(m);
  const overTime = series.length
    ? lineChart({
        label: 'Cache hit ratio over time per node',
        xDomain: xDomain(m),
        bands: faultBands(m),
        phases: phaseSpans(m),
        series,
        yFormat: (v) => pct(v),
        yMax: 1,
        yLabel: 'hit ratio per node (from its keyspace counters, polled every second)',
      })
    : html`<p class="empty">No cache node statistics were observed.</p>`;
  const ratio = barChart({
    label: 'Cache lookups per phase',
    categories: phases,
    highlight: 'fault',
    series: [
      { name: 'hit', cls: 'ok', values: phases.map((p) => a.byPhase[p]?.hits ?? null) },
      { name: 'miss', cls: 'c4', values: phases.map((p) => a.byPhase[p]?.misses ?? null) },
      { name: 'error', cls: 'bad', values: phases.map((p) => a.byPhase[p]?.errors ?? null) },
    ],
    yFormat: (v) => count(v),
    xLabel: 'as the app reported them (x-cache)',
  });
  const db = barChart({
    label: 'Database reads per second per phase',
    categories: phases,
    highlight: 'fault',
    series: [
      { name: 'DB reads/s', cls: 'c5', values: phases.map((p) => a.byPhase[p]?.dbReadsPerSec ?? null) },
    ],
    yFormat: (v) => num(v),
    valueFormat: (v) => perSecond(v),
    xLabel: 'reads the database served (misses and cache errors fall through)',
  });
  return html`<h3>App cache (Redis)</h3>${tiles(list)}${overTime}<div class="grid2"><div><h3>Lookups per phase</h3>${ratio}</div><div><h3>Database reads</h3>${db}</div></div>`;
}

function cdn(m: ReportModel, e: Evidence): Markup {
  const c = e.cdn;
  const phases = ordered(m, Object.keys(c.byPhase));
  const f = c.byPhase.fault;
  const list: Tile[] = f
    ? [
        {
          label: 'cached assets available (fault)',
          value: pct(f.cacheable.availability),
          tone: (f.cacheable.availability ?? 0) < 0.99 ? 'bad' : 'ok',
        },
        {
          label: 'uncached assets available (fault)',
          value: pct(f.uncached.availability),
          tone: (f.uncached.availability ?? 1) < 0.99 ? 'warn' : undefined,
        },
        { label: 'served from cache (fault)', value: pct(f.servedFromCache) },
      ]
    : [];
  const availability = barChart({
    label: 'CDN availability per phase',
    categories: phases,
    highlight: 'fault',
    series: [
      {
        name: 'cacheable',
        cls: 'c1',
        values: phases.map((p) => c.byPhase[p]?.cacheable.availability ?? null),
      },
      { name: 'uncached', cls: 'c4', values: phases.map((p) => c.byPhase[p]?.uncached.availability ?? null) },
    ],
    yFormat: (v) => pct(v),
    yMax: 1,
    xLabel: 'ok answers / requests',
  });
  const share = barChart({
    label: 'Share served from the CDN cache per phase',
    categories: phases,
    highlight: 'fault',
    series: [
      { name: 'from cache', cls: 'c5', values: phases.map((p) => c.byPhase[p]?.servedFromCache ?? null) },
    ],
    yFormat: (v) => pct(v),
    yMax: 1,
    xLabel: 'hits / ok answers (stale under grace while the origin is down)',
  });
  type Row = [string, (typeof c.byPhase)[string]];
  const rows = table<Row>(
    [
      { head: 'Phase', cell: ([p]) => p },
      {
        head: 'Cacheable ok / requests',
        num: true,
        cell: ([, v]) => `${count(v.cacheable.ok)} / ${count(v.cacheable.requests)}`,
      },
      { head: 'Cache hits', num: true, cell: ([, v]) => count(v.cacheable.hits) },
      {
        head: 'Uncached ok / requests',
        num: true,
        cell: ([, v]) => `${count(v.uncached.ok)} / ${count(v.uncached.requests)}`,
      },
      { head: 'From cache', num: true, cell: ([, v]) => pct(v.servedFromCache) },
    ],
    phases.map((p) => [p, c.byPhase[p]] as Row).filter((r) => r[1] !== undefined),
    ([p]) => (p === 'fault' ? 'fault-row' : undefined),
  );
  return html`<h3>CDN edge (Varnish)</h3>${tiles(list)}<div class="grid2"><div><h3>Availability, cached vs uncached</h3>${availability}</div><div><h3>Served from cache (stale share)</h3>${share}</div></div>${rows}`;
}

function cache(m: ReportModel): Markup | undefined {
  const check = m.check('cache-effect');
  if (!check) return undefined;
  const e = evidence(m);
  if (!e) return card({ id: 'cache', title: 'Caching', body: unreadable('cache-effect') });
  const parts = [e.app.lookups > 0 ? appCache(m, e) : '', e.cdn.samples > 0 ? cdn(m, e) : ''];
  const body = html`${parts}${e.app.lookups === 0 && e.cdn.samples === 0 ? html`<p class="empty">No cache lookups and no static-asset requests in this run.</p>` : ''}`;
  return card(
    { id: 'cache', title: 'Caching', body },
    'What the fault did to caching: lookups that hit, missed or failed (and fell through to the database), and for the CDN whether assets stayed available while the origin was gone.',
  );
}

export const cacheSection: CheckerSection = { id: 'cache', toc: 'Caching', render: cache };
