/**
 * Cache staleness (cache-staleness): how many reads of a product that had changed still got the old
 * version, how long after the change, next to the cache's TTL when the target reports one, with
 * the first stale reads listed.
 */
import { barChart } from '../charts/bar-chart.ts';
import { type CheckerSection, card, type Tile, table, tiles, unreadable } from '../components.ts';
import { evidenceOf } from '../evidence.ts';
import { count, ms, pct, relSeconds } from '../format.ts';
import { html, type Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';

/** The cache TTL the run had, in ms, when its topology options name one (the shop's cacheTtl, s). */
function ttlMs(m: ReportModel): number | undefined {
  const ttl = m.result.topology.options?.cacheTtl;
  return typeof ttl === 'number' ? ttl * 1000 : undefined;
}

function cacheStaleness(m: ReportModel): Markup | undefined {
  const check = m.check('cache-staleness');
  if (!check) return undefined;
  const e = evidenceOf(check, 'cache-staleness');
  if (!e)
    return card({ id: 'cache-staleness', title: 'Cache staleness', body: unreadable('cache-staleness') });
  const ttl = ttlMs(m);
  const fault = e.byPhase.fault;
  const list: Tile[] = [
    {
      label: 'stale reads of changed products',
      value: `${count(e.stale)} of ${count(e.judged)}`,
      tone: e.stale ? 'bad' : 'ok',
    },
    ...(fault ? [{ label: 'stale share during fault', value: pct(fault.staleRate) }] : []),
    {
      label: 'oldest stale read, after the change',
      value: ms(e.maxAgeMs ?? 0),
      ...(ttl !== undefined && (e.maxAgeMs ?? 0) > ttl ? { tone: 'bad' as const } : {}),
    },
    { label: 'staleness age p50 / p99', value: `${ms(e.p50AgeMs)} / ${ms(e.p99AgeMs)}` },
    ...(ttl !== undefined ? [{ label: 'cache TTL', value: ms(ttl) }] : []),
    { label: 'changes (products)', value: `${count(e.changes)} (${count(e.changedProducts)})` },
  ];
  const ages = barChart({
    label: 'Staleness age histogram',
    categories: e.ageHistogram.map((b) => `≤ ${ms(b.le)}`),
    series: [{ name: 'stale reads', cls: 'c4', values: e.ageHistogram.map((b) => b.count) }],
    yFormat: (v) => count(v),
    width: 420,
    xLabel: 'from the change’s acknowledgement to the stale answer',
  });
  type S = (typeof e.examples)[number];
  const first = table<S>(
    [
      { head: 'Due', num: true, cell: (s) => relSeconds(m.rel(s.at)) },
      { head: 'Product', num: true, cell: (s) => String(s.productId) },
      { head: 'Version read', num: true, cell: (s) => String(s.version) },
      { head: 'Current', num: true, cell: (s) => String(s.expected) },
      { head: 'Age', num: true, cell: (s) => ms(s.ageMs) },
      { head: 'Cache', cell: (s) => s.cache ?? '' },
      { head: 'Read from', cell: (s) => s.readFrom ?? '' },
    ],
    e.examples.slice(0, 10),
  );
  const body = html`${tiles(list)}${e.stale ? html`<h3>Staleness age</h3>${ages}<h3>First stale reads</h3>${first}` : ''}`;
  return card(
    { id: 'cache-staleness', title: 'Cache staleness', body },
    `A read of a product is stale when it returns an older version than a change already acknowledged when the read began; its age counts from that change. A cache nobody tells about a change serves the old copy until its TTL${ttl !== undefined ? ` (${ms(ttl)})` : ''} expires.`,
  );
}

export const cacheStalenessSection: CheckerSection = {
  id: 'cache-staleness',
  toc: 'Cache staleness',
  render: cacheStaleness,
};
