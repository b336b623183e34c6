/**
 * Line and area charts over run time: series of per-bucket values (drawn as steps, one per bucket,
 * or as lines through points), with fault windows shaded, phase boundaries marked and optional
 * event markers. x values are ms since load start; the axis shows seconds.
 */
import { html, type Markup } from '../html.ts';
import {
  axisLabel,
  c,
  frame,
  type LegendItem,
  labelRows,
  legend,
  linearScale,
  logScale,
  niceMax,
  type Scale,
  svg,
  xAxis,
  yAxis,
} from './axes.ts';

export interface Point {
  x: number;
  /** null: no value here (a gap in the line). */
  y: number | null;
}

export interface Series {
  name: string;
  /** Colour class: c1..c6, ok, bad, warn, muted. */
  cls: string;
  points: readonly Point[];
  /** Fill the area under the line. */
  area?: boolean;
  /** Each point covers [x, x + step): drawn as a flat step. Without it, a line through the points. */
  step?: number;
  dashed?: boolean;
}

/** A shaded span of time, e.g. a fault window (from actuation to heal). */
export interface Band {
  from: number;
  to: number;
  label: string;
  cls: string;
}

/** A vertical line at one moment, e.g. "detected", "healed". */
export interface Marker {
  x: number;
  label: string;
  cls: string;
}

export interface Phase {
  name: string;
  from: number;
  to: number;
}

export interface LineChartOptions {
  label: string;
  width?: number;
  height?: number;
  xDomain: readonly [number, number];
  yFormat: (v: number) => string;
  yLabel?: string;
  /** Fixed y range (default: 0 to a round number above the data). */
  yMin?: number;
  yMax?: number;
  /** Log y axis (values ≤ 0 are not drawn). */
  yLog?: boolean;
  series: readonly Series[];
  bands?: readonly Band[];
  markers?: readonly Marker[];
  phases?: readonly Phase[];
}

export function secondsTick(v: number): string {
  return `${Number((v / 1000).toFixed(2))} s`;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** SVG path data for one series: segments split at null values. */
function pathOf(s: Series, x: Scale, y: Scale, xMax: number): string[] {
  const segments: string[][] = [];
  let current: string[] = [];
  const [d0, d1] = x.domain;
  for (const p of s.points) {
    if (p.y === null || !Number.isFinite(p.y) || p.x > d1 || p.x + (s.step ?? 0) < d0) {
      if (current.length) segments.push(current);
      current = [];
      continue;
    }
    const py = c(y(p.y));
    if (s.step) {
      current.push(`${c(x(clamp(p.x, d0, xMax)))},${py}`, `${c(x(clamp(p.x + s.step, d0, xMax)))},${py}`);
    } else {
      current.push(`${c(x(p.x))},${py}`);
    }
  }
  if (current.length) segments.push(current);
  return segments.map((seg) => `M${seg.join('L')}`);
}

/** Sparse point series (polled observations) get a dot per point, so single points show too. */
function dots(s: Series, x: Scale, y: Scale): Markup | string {
  const points = s.points.filter(
    (p) => p.y !== null && Number.isFinite(p.y) && p.x >= x.domain[0] && p.x <= x.domain[1],
  );
  if (s.step || points.length > 60) return '';
  return html`${points.map((p) => html`<circle class="dot ${s.cls}" cx="${c(x(p.x))}" cy="${c(y(p.y as number))}" r="2.5"/>`)}`;
}

function areaOf(line: string, y0: number): string {
  const coords = line.slice(1).split('L');
  const first = coords[0]?.split(',')[0];
  const last = coords.at(-1)?.split(',')[0];
  return `${line}L${last},${c(y0)}L${first},${c(y0)}Z`;
}

export function lineChart(o: LineChartOptions): Markup {
  const f = frame(o.width ?? 1080, o.height ?? 230);
  const x = linearScale(o.xDomain, [f.left, f.right]);
  const values = o.series.flatMap((s) =>
    s.points.flatMap((p) => (p.y !== null && Number.isFinite(p.y) ? [p.y] : [])),
  );
  const dataMax = values.length ? Math.max(...values) : 0;
  let y: Scale;
  if (o.yLog) {
    const positive = values.filter((v) => v > 0);
    const lo = o.yMin ?? (positive.length ? 10 ** Math.floor(Math.log10(Math.min(...positive))) : 0.1);
    const hi = o.yMax ?? (positive.length ? 10 ** Math.ceil(Math.log10(Math.max(...positive))) : 1);
    y = logScale([lo, Math.max(hi, lo * 10)], [f.bottom, f.top]);
  } else {
    y = linearScale([o.yMin ?? 0, o.yMax ?? niceMax(dataMax)], [f.bottom, f.top]);
  }
  const clipX = (v: number) => clamp(x(v), f.left, f.right);
  // Band labels one line apart: bands that start together (e.g. two sides' fault windows) stay legible.
  const bands = (o.bands ?? []).map(
    (b, i) =>
      html`<g class="band ${b.cls}"><rect x="${c(clipX(b.from))}" y="${c(f.top)}" width="${c(Math.max(1, clipX(b.to) - clipX(b.from)))}" height="${c(f.bottom - f.top)}"><title>${b.label}</title></rect><text x="${c(clipX(b.from) + 4)}" y="${c(f.top + 25 + i * 13)}">${b.label}</text></g>`,
  );
  const phases = (o.phases ?? []).map((p, i) => {
    const from = clipX(p.from);
    const to = clipX(p.to);
    // A phase cut off by the x range keeps its boundary but loses a label that would not fit.
    const fits = to - from > p.name.length * 7.5 + 8;
    return html`<g class="phase">${i > 0 && p.from >= o.xDomain[0] ? html`<line x1="${c(from)}" x2="${c(from)}" y1="${c(f.top)}" y2="${c(f.bottom)}"/>` : ''}${fits ? html`<text x="${c((from + to) / 2)}" y="${c(f.top + 11)}" text-anchor="middle">${p.name}</text>` : ''}</g>`;
  });
  const series = o.series.map((s) => {
    const lines = pathOf(s, x, y, o.xDomain[1]);
    const y0 = o.yLog ? f.bottom : y(Math.max(0, y.domain[0]));
    return html`<g class="series-group">${s.area ? lines.map((l) => html`<path class="area ${s.cls}" d="${areaOf(l, y0)}"/>`) : ''}${lines.map((l) => html`<path class="series ${s.cls}${s.dashed ? ' dashed' : ''}" d="${l}"><title>${s.name}</title></path>`)}${dots(s, x, y)}</g>`;
  });
  const rows = labelRows((o.markers ?? []).map((m) => ({ x: clipX(m.x) + 3, text: m.label })));
  const below = o.bands?.length ? 40 + (o.bands.length - 1) * 13 : 26;
  const markers = (o.markers ?? []).map(
    (m, i) =>
      html`<g class="marker ${m.cls}"><line x1="${c(clipX(m.x))}" x2="${c(clipX(m.x))}" y1="${c(f.top)}" y2="${c(f.bottom)}"/><text x="${c(clipX(m.x) + 3)}" y="${c(f.top + below + (rows[i] ?? 0) * 13)}">${m.label}</text></g>`,
  );
  const items: LegendItem[] = o.series.map((s) => ({
    label: s.name,
    cls: s.cls,
    swatch: !!s.area && !s.step,
  }));
  const body = html`${bands}${yAxis(f, y, o.yFormat, o.yLog ? y.ticks() : y.ticks(4))}${phases}${series}${markers}${xAxis(f, x, secondsTick)}${o.yLabel ? axisLabel(f, o.yLabel, 'y') : ''}${legend(f, items)}`;
  return svg(f, o.label, body);
}
