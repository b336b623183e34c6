/**
 * Cache stampede (cache-stampede): how many identical database reads each refill of a key cost,
 * the database read rate over the run with the largest refills (hot keys expiring) marked, and
 * those refills listed.
 */
import { lineChart, type Marker } from '../charts/line-chart.ts';
import { type CheckerSection, card, type Tile, table, tiles, unreadable } from '../components.ts';
import { evidenceOf } from '../evidence.ts';
import { count, ms, num, perSecond, relSeconds } from '../format.ts';
import { html, type Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';
import { faultBands, phaseSpans, xDomain } from './time.ts';

/** Markers for this many of the largest refills: more would crowd the chart's labels. */
const MARKED = 5;

function cacheStampede(m: ReportModel): Markup | undefined {
  const check = m.check('cache-stampede');
  if (!check) return undefined;
  const e = evidenceOf(check, 'cache-stampede');
  if (!e) return card({ id: 'cache-stampede', title: 'Cache stampede', body: unreadable('cache-stampede') });
  const fault = e.byPhase.fault;
  const limit = e.limits?.maxConcurrentReads;
  const list: Tile[] = [
    {
      label: 'largest refill: identical reads at once',
      value: count(e.maxReads),
      ...(limit !== undefined
        ? { tone: (e.maxReads ?? 0) > limit ? ('bad' as const) : ('ok' as const) }
        : {}),
    },
    ...(fault
      ? [
          {
            label: 'during fault: largest / mean per refill',
            value: `${count(fault.maxReads)} / ${num(fault.meanReads ?? 0)}`,
          },
        ]
      : []),
    { label: 'refills (database reads)', value: `${count(e.refills)} (${count(e.dbReads)})` },
    { label: 'reads that spared the database', value: count(e.spared) },
    ...(typeof m.result.topology.options?.cacheTtl === 'number'
      ? [{ label: 'cache TTL', value: ms(m.result.topology.options.cacheTtl * 1000) }]
      : []),
  ];
  const { binMs, perSecond: rates } = e.dbReadRate;
  const flushes: Marker[] = m.result.events.flatMap((ev) =>
    ev.kind === 'observation' && ev.source === 'cache.flush'
      ? [{ x: m.rel(ev.at), label: `${String(ev.detail?.node)} flushed`, cls: 'bad' }]
      : [],
  );
  const markers: Marker[] = [
    ...flushes,
    ...e.largest
      .slice(0, MARKED)
      .map((r) => ({ x: m.rel(r.at), label: `#${r.productId} ×${r.reads}`, cls: 'warn' })),
  ];
  const chart = lineChart({
    label: 'Database reads of products per second',
    xDomain: xDomain(m),
    bands: faultBands(m),
    phases: phaseSpans(m),
    markers,
    series: [
      {
        name: 'database reads/s',
        cls: 'c1',
        area: true,
        step: binMs,
        points: rates.map((y, i) => ({ x: m.rel(i * binMs), y })),
      },
    ],
    yFormat: (v) => perSecond(v),
    yLabel: `from X-Cache, in ${binMs} ms bins; markers: cache flushes and the largest refills (product ×reads)`,
  });
  type R = (typeof e.largest)[number];
  const largest = table<R>(
    [
      { head: 'Due', num: true, cell: (r) => relSeconds(m.rel(r.at)) },
      { head: 'Product', num: true, cell: (r) => String(r.productId) },
      { head: 'Identical reads', num: true, cell: (r) => String(r.reads) },
      { head: 'Lasted', num: true, cell: (r) => ms(r.doneAt - r.at) },
    ],
    e.largest.slice(0, 10),
  );
  const statuses = Object.entries(e.statuses)
    .map(([s, n]) => `${s} ${count(n)}`)
    .join(' · ');
  const body = html`${tiles(list)}${chart}<p class="muted">X-Cache: ${statuses}</p>${e.largest.length ? html`<h3>Largest refills</h3>${largest}` : ''}`;
  return card(
    { id: 'cache-stampede', title: 'Cache stampede', body },
    'A refill is a set of identical database reads of one key in flight together, as happens when a hot key expires and every request that misses reads the database. A guard keeps it at one per web instance: single-flight shares one read, stale-while-revalidate serves the old copy while one read refreshes it.',
  );
}

export const cacheStampedeSection: CheckerSection = {
  id: 'cache-stampede',
  toc: 'Cache stampede',
  render: cacheStampede,
};
