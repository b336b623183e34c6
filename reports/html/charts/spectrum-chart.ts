/**
 * The latency percentile spectrum: latency (y) against percentile on a log axis of "nines" (x),
 * as HdrHistogram plots it — 0 %, 90 %, 99 %, 99.9 %, 99.99 % equally spaced, so the tail gets as
 * much room as the median. x = log10(100 / (100 − p)).
 */
import { html, type Markup } from '../html.ts';
import {
  axisLabel,
  c,
  frame,
  legend,
  linearScale,
  logScale,
  niceMax,
  type Scale,
  svg,
  xAxis,
  yAxis,
} from './axes.ts';

export interface SpectrumPoint {
  /** Percentile, 0..100. */
  percentile: number;
  /** Latency at that percentile, ms. */
  value: number;
}

export interface SpectrumSeries {
  name: string;
  cls: string;
  points: readonly SpectrumPoint[];
  dashed?: boolean;
}

export interface SpectrumOptions {
  label: string;
  width?: number;
  height?: number;
  series: readonly SpectrumSeries[];
  yFormat: (v: number) => string;
  /** Log latency axis; default: when the values span more than 30× (a tail far above the median). */
  yLog?: boolean;
}

/** Nines of a percentile: 0 → 0, 90 → 1, 99 → 2, 99.9 → 3; capped for p = 100. */
export function nines(percentile: number): number {
  return percentile >= 100 ? 7 : Math.log10(100 / (100 - percentile));
}

export function percentileLabel(n: number): string {
  if (n === 0) return '0 %';
  const p = 100 - 100 / 10 ** n;
  return `${Number(p.toFixed(Math.max(0, Math.round(n) - 1)))} %`;
}

/**
 * Percentiles to sample a histogram at, for a spectrum of `count` values: evenly spaced in nines up
 * to the resolution the count allows (beyond 1 − 1/count every percentile is the maximum).
 */
export function spectrumPercentiles(count: number, perNine = 20): number[] {
  if (count <= 0) return [];
  const top = Math.min(6, Math.max(1, Math.log10(count)));
  const out: number[] = [];
  for (let i = 0; i <= Math.ceil(top * perNine); i++) {
    const n = Math.min(top, i / perNine);
    out.push(100 - 100 / 10 ** n);
  }
  return out;
}

export function spectrumChart(o: SpectrumOptions): Markup {
  const f = frame(o.width ?? 1080, o.height ?? 280);
  const all = o.series.flatMap((s) => s.points);
  const maxNines = Math.max(2, Math.ceil(Math.max(0, ...all.map((p) => nines(p.percentile))) - 1e-9));
  const x = linearScale([0, maxNines], [f.left, f.right]);
  const values = all.map((p) => p.value).filter((v) => v > 0);
  // The axis starts near the lowest latencies that matter: a handful of near-zero ones at p0
  // (answers that came back at once) would stretch a log axis over decades of empty space.
  const body = all.filter((p) => p.percentile >= 1 && p.value > 0).map((p) => p.value);
  const lo = body.length ? Math.min(...body) : values.length ? Math.min(...values) : 1;
  const hi = values.length ? Math.max(...values) : 1;
  const log = o.yLog ?? hi / Math.max(lo, 1e-3) > 30;
  const y: Scale = log
    ? logScale([10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))], [f.bottom, f.top])
    : linearScale([0, niceMax(hi)], [f.bottom, f.top]);
  const ticks = Array.from({ length: maxNines + 1 }, (_, i) => i);
  const lines = o.series.map((s) => {
    const d = s.points
      .filter((p) => !log || p.value > 0)
      .map((p) => `${c(x(Math.min(maxNines, nines(p.percentile))))},${c(Math.min(f.bottom, y(p.value)))}`)
      .join('L');
    return d
      ? html`<path class="series ${s.cls}${s.dashed ? ' dashed' : ''}" d="M${d}"><title>${s.name}</title></path>`
      : '';
  });
  const verticals = ticks.map(
    (t) => html`<line class="grid" x1="${c(x(t))}" x2="${c(x(t))}" y1="${c(f.top)}" y2="${c(f.bottom)}"/>`,
  );
  const chart = html`${verticals}${yAxis(f, y, o.yFormat, log ? y.ticks() : y.ticks(5))}${lines}${xAxis(f, x, percentileLabel, ticks)}${axisLabel(f, 'percentile (log scale of nines)', 'x')}${axisLabel(f, `latency${log ? ' (log)' : ''}`, 'y')}${legend(
    f,
    o.series.map((s) => ({ label: s.name, cls: s.cls })),
  )}`;
  return svg(f, o.label, chart);
}
