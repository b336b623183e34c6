/**
 * The comparison's charts, drawn with the HTML report's own SVG helpers (reports/html/charts): the
 * two sides' percentile spectra overlaid per phase, and their time series aligned at fault injection.
 */
import { type Band, lineChart, type Phase, type Series } from '../html/charts/line-chart.ts';
import { spectrumChart } from '../html/charts/spectrum-chart.ts';
import { ms, pct, perSecond } from '../html/format.ts';
import type { Markup } from '../html/html.ts';
import type { Comparison, PhaseSpectra, SeriesPoint, SideSeries, SpectrumPoint } from './types.ts';

const BASELINE = 'c1';

/** The maximum (percentile 100) has no place on a log axis of nines: the curve ends at the last finite one. */
function chartPoints(points: readonly SpectrumPoint[]): { percentile: number; value: number }[] {
  return points.filter((p) => p.percentile < 100).map((p) => ({ percentile: p.percentile, value: p.ms }));
}

const CANDIDATE = 'c2';

export function spectrumOf(c: Comparison, s: PhaseSpectra): Markup {
  const series = [
    ...(s.baseline
      ? [
          {
            name: `${c.baseline.label} (${s.baseline.count} requests)`,
            cls: BASELINE,
            points: chartPoints(s.baseline.points),
          },
        ]
      : []),
    ...(s.candidate
      ? [
          {
            name: `${c.candidate.label} (${s.candidate.count} requests)`,
            cls: CANDIDATE,
            points: chartPoints(s.candidate.points),
          },
        ]
      : []),
  ];
  return spectrumChart({
    label: `Latency percentile spectrum during ${s.phase}: ${c.baseline.label} vs ${c.candidate.label}`,
    width: 540,
    height: 260,
    series,
    yFormat: ms,
  });
}

type Field = 'p50' | 'p99' | 'throughput' | 'errorRate';

const FIELDS: { field: Field; title: string; format: (v: number) => string }[] = [
  { field: 'p99', title: 'p99 latency', format: ms },
  { field: 'p50', title: 'p50 latency', format: ms },
  { field: 'throughput', title: 'throughput', format: perSecond },
  { field: 'errorRate', title: 'error rate', format: pct },
];

function xRange(sides: SideSeries[]): [number, number] {
  const starts = sides.flatMap((s) => s.phases.map((p) => p.startMs));
  const ends = sides.flatMap((s) => s.phases.map((p) => p.endMs));
  const from = starts.length ? Math.min(...starts) : -1000;
  const to = ends.length ? Math.max(...ends) : 1000;
  return [from, to > from ? to : from + 1000];
}

function stepSeries(name: string, cls: string, points: SeriesPoint[], field: Field, width: number): Series {
  return { name, cls, step: width, points: points.map((p) => ({ x: p.t - width / 2, y: p[field] })) };
}

/** One chart per field: both sides' medians over their runs, t = 0 at the first fault actuation. */
export function alignedCharts(c: Comparison): { title: string; chart: Markup }[] {
  const { bucketWidthMs: width, baseline, candidate } = c.series;
  const domain = xRange([baseline, candidate]);
  // Each side's own fault window: a candidate that heals later (or sooner) shows it.
  const bands: Band[] = [
    { side: baseline, label: c.baseline.label, cls: 'fault-c1' },
    { side: candidate, label: c.candidate.label, cls: 'fault-c2' },
  ].flatMap(({ side, label, cls }) =>
    side.faultWindow
      ? [{ from: side.faultWindow.fromMs, to: side.faultWindow.toMs, label: `fault (${label})`, cls }]
      : [],
  );
  const phases: Phase[] = baseline.phases.map((p) => ({ name: p.name, from: p.startMs, to: p.endMs }));
  return FIELDS.map(({ field, title, format }) => {
    const values = [...baseline.median, ...candidate.median].map((p) => p[field]).filter((v) => v > 0);
    const spansDecades = values.length > 0 && Math.max(...values) / Math.min(...values) > 30;
    const log = (field === 'p99' || field === 'p50') && spansDecades;
    return {
      title,
      chart: lineChart({
        label: `${title} aligned at fault injection: ${c.baseline.label} vs ${c.candidate.label}`,
        width: 540,
        height: 220,
        xDomain: domain,
        yFormat: format,
        ...(log ? { yLog: true } : {}),
        ...(field === 'errorRate' ? { yMax: Math.max(0.01, ...values) } : {}),
        series: [
          stepSeries(c.baseline.label, BASELINE, baseline.median, field, width),
          stepSeries(c.candidate.label, CANDIDATE, candidate.median, field, width),
        ],
        bands,
        phases,
      }),
    };
  });
}
