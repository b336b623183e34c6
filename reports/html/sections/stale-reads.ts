/** Stale reads (replica-lag): how many read-backs missed their own write, how stale, in which phase. */
import { barChart } from '../charts/bar-chart.ts';
import { lineChart } from '../charts/line-chart.ts';
import { type CheckerSection, card, type Tile, table, tiles, unreadable } from '../components.ts';
import { evidenceOf } from '../evidence.ts';
import { count, ms, pct, relSeconds } from '../format.ts';
import { html, type Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';
import { faultBands, observationSeries, phaseSpans, xDomain } from './time.ts';

const order = (m: ReportModel, names: string[]) => {
  const known = m.result.phases.map((p) => p.name);
  return [...known.filter((n) => names.includes(n)), ...names.filter((n) => !known.includes(n))];
};

function staleReads(m: ReportModel): Markup | undefined {
  const check = m.check('stale-reads');
  if (!check) return undefined;
  const e = evidenceOf(check, 'stale-reads');
  if (!e) return card({ id: 'stale-reads', title: 'Stale reads', body: unreadable('stale-reads') });
  const phases = order(m, Object.keys(e.byPhase));
  const fault = e.byPhase.fault;
  const list: Tile[] = [
    {
      label: 'stale read-backs (all phases)',
      value: `${count(e.stale)} of ${count(e.reads)}`,
      tone: e.stale ? 'bad' : 'ok',
    },
    { label: 'stale rate, whole run', value: pct(e.staleRate) },
    ...(fault
      ? [
          {
            label: 'stale rate during fault',
            value: pct(fault.staleRate),
            tone: fault.stale ? ('bad' as const) : ('ok' as const),
          },
        ]
      : []),
    { label: 'staleness age p50 / p99', value: `${ms(e.ageMs.p50)} / ${ms(e.ageMs.p99)}` },
    { label: 'versions behind, worst', value: count(e.versionsBehind.max) },
    {
      label: 'read-your-writes violations',
      value: count(e.rywViolations),
      tone: e.rywViolations ? 'bad' : 'ok',
    },
    {
      label: 'monotonic-read violations',
      value: count(e.monotonicViolations),
      tone: e.monotonicViolations ? 'bad' : 'ok',
    },
    { label: 'not judged (concurrent / failed)', value: `${count(e.concurrent)} / ${count(e.failed)}` },
  ];
  const rate = barChart({
    label: 'Stale-read rate per phase',
    categories: phases,
    highlight: 'fault',
    series: [{ name: 'stale rate', cls: 'bad', values: phases.map((p) => e.byPhase[p]?.staleRate ?? null) }],
    yFormat: (v) => pct(v),
    yMax: 1,
    width: 350,
    xLabel: 'stale / judged read-backs',
  });
  const ages = barChart({
    label: 'Staleness age histogram',
    categories: e.ageMs.histogram.map((b) => `≤ ${ms(b.le)}`),
    series: [{ name: 'stale reads', cls: 'c4', values: e.ageMs.histogram.map((b) => b.count) }],
    yFormat: (v) => count(v),
    width: 350,
    xLabel: 'from the write’s ack to the stale answer',
  });
  const behind = barChart({
    label: 'Versions behind histogram',
    categories: e.versionsBehind.histogram.map((b) => `≤ ${b.le}`),
    series: [{ name: 'stale reads', cls: 'c5', values: e.versionsBehind.histogram.map((b) => b.count) }],
    yFormat: (v) => count(v),
    width: 350,
    xLabel: 'versions behind the acknowledged one',
  });
  const lag = observationSeries(m, 'pg.replication', 'replica', 'replayLagMs');
  const lagChart = lag.length
    ? html`<h3>Replication replay lag (polled from pg_stat_replication)</h3>${lineChart({
        label: 'Replication replay lag per replica',
        xDomain: xDomain(m),
        bands: faultBands(m),
        phases: phaseSpans(m),
        series: lag,
        yFormat: (v) => ms(v),
        yLabel: 'replay lag',
      })}`
    : '';
  type S = Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const samples = table<S>(
    [
      {
        head: 'Due',
        num: true,
        cell: (s) => (typeof s.intendedAt === 'number' ? relSeconds(m.rel(s.intendedAt)) : ''),
      },
      { head: 'Session', cell: (s) => str(s.sessionId) },
      { head: 'Served by', cell: (s) => str(s.servedBy) },
      { head: 'Read from', cell: (s) => str(s.readFrom) },
      { head: 'Version read', num: true, cell: (s) => str(s.version) },
      { head: 'Behind', num: true, cell: (s) => str(s.versionsBehind) },
      { head: 'Age', num: true, cell: (s) => (typeof s.ageMs === 'number' ? ms(s.ageMs) : '') },
    ],
    e.staleSamples.slice(0, 10),
  );
  const body = html`${tiles(list)}<div class="grid3"><div><h3>Stale rate per phase</h3>${rate}</div><div><h3>Staleness age</h3>${ages}</div><div><h3>Versions behind</h3>${behind}</div></div>${lagChart}<h3>First stale reads</h3>${samples}`;
  return card(
    { id: 'stale-reads', title: 'Stale reads', body },
    'A read-back is stale when it returns an older version of a product than the write the same user just had acknowledged. Only read-backs that began after the acknowledgement are judged.',
  );
}

export const staleReadsSection: CheckerSection = {
  id: 'stale-reads',
  toc: 'Stale reads',
  render: staleReads,
};
