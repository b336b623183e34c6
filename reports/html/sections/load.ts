/**
 * What users saw over time: the load as configured beside the throughput it achieved, throughput,
 * error rate and latency (p50, p99) per time bucket with the fault windows shaded, and the same
 * numbers per phase in a table.
 */
import { formatDuration } from '../../../harness/core/duration.ts';
import { type PhaseNumbers, phaseNumbers } from '../../../harness/metrics/phase-numbers.ts';
import { lineChart } from '../charts/line-chart.ts';
import { type Column, card, kv, table } from '../components.ts';
import { count, ms, pct, perSecond } from '../format.ts';
import { html, type Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';
import { alignmentNote, bucketRate, partialBucketNotes } from './buckets.ts';
import { bucketSeries, faultBands, phaseSpans, xDomain } from './time.ts';

function median(values: number[]): number {
  const sorted = values.filter((v) => v > 0).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function loadCharts(m: ReportModel): Markup {
  const common = { xDomain: xDomain(m), bands: faultBands(m), phases: phaseSpans(m) };
  // Timeline rates are per second of the time each bucket covers, so the partial buckets at the
  // load's ends are drawn at their rate, over that time only.
  const throughput = lineChart({
    ...common,
    label: 'Throughput over time',
    yLabel: 'requests/s',
    yFormat: (v) => `${v}`,
    series: [
      bucketSeries(m, 'completed/s', 'c1', (p) => bucketRate(m, p, p.throughput), { area: true }),
      bucketSeries(m, 'ok/s', 'ok', (p) => bucketRate(m, p, p.goodput)),
    ],
  });
  const errors = lineChart({
    ...common,
    label: 'Error rate over time',
    yLabel: 'error rate (failed, timed out or dropped)',
    yFormat: (v) => pct(v),
    yMax: Math.max(0.01, ...m.timeline.map((p) => p.errorRate)) > 0.5 ? 1 : undefined,
    series: [
      bucketSeries(m, 'error rate', 'bad', (p) => (p.ok + p.fail + p.info + p.dropped ? p.errorRate : null), {
        area: true,
      }),
    ],
  });
  const p50s = m.timeline.map((p) => p.p50);
  const p99max = Math.max(0, ...m.timeline.map((p) => p.p99));
  const latency = lineChart({
    ...common,
    label: 'Latency over time',
    yLabel: 'latency from intended send time',
    yFormat: (v) => ms(v),
    yLog: median(p50s) > 0 && p99max > 30 * median(p50s),
    series: [
      bucketSeries(m, 'p50', 'c1', (p) => (p.p50 > 0 ? p.p50 : null)),
      bucketSeries(m, 'p99', 'c2', (p) => (p.p99 > 0 ? p.p99 : null)),
      bucketSeries(m, 'max', 'muted', (p) => (p.max > 0 ? p.max : null), { dashed: true }),
    ],
  });
  return html`<h3>Throughput</h3>${throughput}<h3>Error rate</h3>${errors}<h3>Latency p50 / p99</h3>${latency}`;
}

type PhaseRow = Pick<
  PhaseNumbers,
  | 'requests'
  | 'ok'
  | 'fail'
  | 'info'
  | 'dropped'
  | 'errorRate'
  | 'throughput'
  | 'p50'
  | 'p90'
  | 'p99'
  | 'p999'
  | 'max'
> & { phase: string; from?: number; to?: number; causes: string };

/** Each phase's numbers as the slo checker computes them, with its window and main failure causes. */
export function phaseRows(m: ReportModel): PhaseRow[] {
  const { phases } = phaseNumbers({ phases: m.result.phases, metrics: m.metrics });
  return m.metrics.phases.map((p) => {
    const window = m.result.phases.find((w) => w.name === p.phase);
    const causes = [
      ...Object.entries(p.counters.byError),
      ...Object.entries(p.counters.byStatus).filter(([s]) => !/^[23]\d\d$/.test(s)),
    ]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([k, n]) => `${k} ×${n}`)
      .join(', ');
    return {
      phase: p.phase,
      ...(window ? { from: m.rel(window.startMs), to: m.rel(window.endMs) } : {}),
      ...(phases[p.phase] as PhaseNumbers),
      causes,
    };
  });
}

export function phaseTable(m: ReportModel): Markup {
  const columns: Column<PhaseRow>[] = [
    { head: 'Phase', cell: (r) => html`<strong>${r.phase}</strong>` },
    {
      head: 'Window',
      num: true,
      cell: (r) =>
        r.from === undefined || r.to === undefined
          ? ''
          : `${(r.from / 1000).toFixed(1)}–${(r.to / 1000).toFixed(1)} s`,
    },
    { head: 'Requests', num: true, cell: (r) => count(r.requests) },
    { head: 'Failed', num: true, cell: (r) => count(r.fail) },
    { head: 'Timed out', num: true, cell: (r) => count(r.info) },
    { head: 'Dropped', num: true, cell: (r) => count(r.dropped) },
    { head: 'Error rate', num: true, cell: (r) => pct(r.errorRate) },
    { head: 'Throughput', num: true, cell: (r) => perSecond(r.throughput) },
    { head: 'p50', num: true, cell: (r) => ms(r.p50) },
    { head: 'p99', num: true, cell: (r) => ms(r.p99) },
    { head: 'p99.9', num: true, cell: (r) => ms(r.p999) },
    { head: 'max', num: true, cell: (r) => ms(r.max) },
    { head: 'Errors by cause', cell: (r) => html`<span class="mono">${r.causes}</span>` },
  ];
  return table(columns, phaseRows(m), (r) => (r.phase === 'fault' ? 'fault-row' : undefined));
}

/** "rate 150, arrivals uniform": a spec's options in the order given, without its name. */
function options(spec: Record<string, unknown>, skip: readonly string[]): string {
  const value = (v: unknown): string =>
    Array.isArray(v)
      ? `[${v.map(value).join('; ')}]`
      : v && typeof v === 'object'
        ? Object.entries(v)
            .map(([k, x]) => `${k} ${value(x)}`)
            .join(', ')
        : String(v);
  return value(Object.fromEntries(Object.entries(spec).filter(([k]) => !skip.includes(k))));
}

/** Completed requests per second over all the phases: what the configured load achieved. */
function achievedThroughput(m: ReportModel): number | null {
  const { phases } = phaseNumbers({ phases: m.result.phases, metrics: m.metrics });
  let completed = 0;
  let durationMs = 0;
  for (const p of Object.values(phases)) {
    if (p.throughput === null || !p.durationMs) continue;
    completed += p.throughput * (p.durationMs / 1000);
    durationMs += p.durationMs;
  }
  return durationMs ? completed / (durationMs / 1000) : null;
}

/** The load as the experiment configured it (scaled like the phases), beside what it achieved. */
export function configuredLoadPanel(m: ReportModel): Markup {
  const load = m.result.load.configured;
  if (!load) return html`<p class="empty">This result holds no load spec this report reads.</p>`;
  const { executor, workload } = load;
  const args = options(executor, ['executor', 'duration']);
  const achieved = achievedThroughput(m);
  return kv([
    [
      'executor',
      html`<code>${executor.executor}</code> ${args} <span class="muted">for ${formatDuration(executor.duration)}</span>`,
    ],
    ['workload', html`<code>${workload.workload}</code> ${options(workload, ['workload'])}`],
    [
      'client',
      `${count(load.connections)} connections, timeout ${ms(load.timeout)}, at most ${count(load.maxInFlight)} in flight`,
    ],
    [
      'achieved',
      achieved === null ? 'n/a' : html`${perSecond(achieved)} completed over the phases (per phase below)`,
    ],
  ]);
}

export function loadSection(m: ReportModel): Markup {
  const notes = [alignmentNote(m), ...partialBucketNotes(m)].filter((n) => n !== undefined).join(' ');
  return card(
    {
      id: 'load',
      title: 'Load over time',
      body: html`<h3>Load as configured</h3>${configuredLoadPanel(m)}${loadCharts(m)}<h3>Per phase</h3>${phaseTable(m)}`,
    },
    html`Per ${ms(m.metrics.bucketWidthMs)} bucket. The red band is the fault window, from actuation to heal. Throughput counts responses by when they completed; error rate and latency count requests by when they were due (coordinated-omission-correct), so a stall shows where it began. ${notes}`,
  );
}
