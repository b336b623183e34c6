/**
 * CDN freshness (cdn-freshness): after a static asset changed at the origin, how much old content
 * the CDN edge kept serving and for how long, with or without an invalidation, and the origin
 * fetches that followed; the old-content share and the CDN miss rate over the run, with each
 * change and invalidation marked.
 */
import { lineChart, type Marker, type Series } from '../charts/line-chart.ts';
import { type CheckerSection, card, type Tile, tiles, unreadable } from '../components.ts';
import { type Evidence, evidenceOf } from '../evidence.ts';
import { count, ms, pct, perSecond } from '../format.ts';
import { html, type Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';
import { faultBands, phaseSpans, xDomain } from './time.ts';

type Change = Evidence<'cdn-freshness'>['changes'][number];
type Limits = Evidence<'cdn-freshness'>['limits'];

const HEIGHT = 170;
const SERIES_CLASSES = ['c1', 'c2', 'c5', 'c6'];

function changeTiles(c: Change, limits: Limits, withEtags: boolean): Tile[] {
  const maxShare = limits?.maxOldShare;
  const maxTime = limits?.maxTimeToFreshMs;
  return [
    {
      label: 'old content after the change',
      value: `${pct(c.oldShare)} (${count(c.old)} of ${count(c.old + c.new)})`,
      // Old answers are what a TTL without invalidation gives: only the limit, when set, judges them.
      ...(maxShare !== undefined && maxShare < 1
        ? { tone: (c.oldShare ?? 0) > maxShare ? ('bad' as const) : ('ok' as const) }
        : {}),
    },
    {
      label: 'time to fresh: last old answer after the change',
      value: c.neverFresh ? 'never' : ms(c.timeToFreshMs),
      ...(c.neverFresh
        ? { tone: 'bad' as const }
        : maxTime !== undefined
          ? { tone: (c.timeToFreshMs ?? 0) > maxTime ? ('bad' as const) : ('ok' as const) }
          : {}),
    },
    {
      label: 'invalidation, after the change',
      value:
        c.invalidatedAt === null
          ? 'none'
          : `${c.invalidateMethod ?? '?'} +${ms(c.invalidatedAt - c.at)}${c.invalidateStatus !== null && c.invalidateStatus !== 200 ? ` (${c.invalidateStatus})` : ''}`,
    },
    ...(c.staleAfterInvalidation !== null
      ? [
          {
            label: 'old answers sent after the invalidation',
            value: count(c.staleAfterInvalidation),
            tone: c.staleAfterInvalidation > 0 ? ('bad' as const) : ('ok' as const),
          },
        ]
      : []),
    {
      label: 'origin fetches: peak after / mean before',
      value: `${perSecond(c.missesPeakAfter)} / ${perSecond(c.missesBaseline)}`,
    },
    ...(withEtags ? [{ label: 'ETag: old → new', value: `${c.oldEtag} → ${c.newEtag}` }] : []),
    ...(c.other
      ? [{ label: 'answers with another ETag', value: count(c.other), tone: 'warn' as const }]
      : []),
  ];
}

function cdnFreshness(m: ReportModel): Markup | undefined {
  const check = m.check('cdn-freshness');
  if (!check) return undefined;
  const e = evidenceOf(check, 'cdn-freshness');
  if (!e) return card({ id: 'cdn-freshness', title: 'CDN freshness', body: unreadable('cdn-freshness') });
  const several = e.changes.length > 1;
  const perChange = e.changes.map(
    (c) =>
      html`${several ? html`<h3>${c.asset}: ${c.oldEtag} → ${c.newEtag}</h3>` : ''}${tiles(changeTiles(c, e.limits, !several))}`,
  );
  const markers: Marker[] = e.changes.flatMap((c) => [
    { x: m.rel(c.at), label: `${c.asset} changed`, cls: 'warn' },
    ...(c.invalidatedAt === null
      ? []
      : [{ x: m.rel(c.invalidatedAt), label: c.invalidateMethod ?? 'invalidated', cls: 'ok' }]),
  ]);
  const shares: Series[] = e.changes.map((c, i) => ({
    name: `${c.asset}: old share`,
    cls: SERIES_CLASSES[i % SERIES_CLASSES.length] as string,
    step: c.oldShareSeries.binMs,
    points: c.oldShareSeries.shares.map((y, j) => ({
      x: m.rel(c.oldShareSeries.fromMs + j * c.oldShareSeries.binMs),
      y,
    })),
  }));
  const common = {
    height: HEIGHT,
    xDomain: xDomain(m),
    bands: faultBands(m),
    phases: phaseSpans(m),
    markers,
  };
  const shareChart = lineChart({
    ...common,
    label: 'Share of old content the CDN served',
    series: shares,
    yMax: 1,
    yFormat: (v) => pct(v),
    yLabel: 'old ETag / old + new, cacheable answers in 500 ms bins',
  });
  const { binMs, perSecond: rates } = e.missRate;
  const missChart = lineChart({
    ...common,
    label: 'CDN misses (origin fetches) per second',
    series: [
      {
        name: 'CDN misses/s',
        cls: 'c4',
        area: true,
        step: binMs,
        points: rates.map((y, i) => ({ x: m.rel(i * binMs), y })),
      },
    ],
    yFormat: (v) => perSecond(v),
    yLabel: `cacheable requests with X-Cache miss, in ${binMs} ms bins`,
  });
  const body = e.changes.length
    ? html`${perChange}${shareChart}${missChart}`
    : html`<p class="empty">No asset change was recorded: nothing to be fresh against.</p>${missChart}`;
  return card(
    { id: 'cdn-freshness', title: 'CDN freshness', body },
    'When a static file changes at the origin, the CDN edge keeps serving its cached copy (the old ETag) until that copy expires, unless the deploy invalidates it: a PURGE of the URL or a BAN of every static file. Either way the edge then fetches from the origin again, which shows as a surge of misses.',
  );
}

export const cdnFreshnessSection: CheckerSection = {
  id: 'cdn-freshness',
  toc: 'CDN freshness',
  render: cdnFreshness,
};
