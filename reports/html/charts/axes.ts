/**
 * What every chart shares: scales (linear, log), "nice" tick values, coordinates rounded for small
 * SVG, and the plot frame with its grid, axes and tick labels. Colours come from CSS classes (see
 * style.ts), so the charts follow the page's palette.
 */
import { html, type Markup } from '../html.ts';

export interface Scale {
  (value: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  ticks(count?: number): number[];
}

/** A coordinate with at most one decimal: small files, no visible difference. */
export function c(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** Round tick values covering [min, max]: steps of 1, 2 or 5 × a power of ten. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max === min) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.ceil(min / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** The smallest round number ≥ max (for a y axis that ends on a tick). */
export function niceMax(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const ticks = niceTicks(0, max, count);
  const last = ticks.at(-1) ?? max;
  if (last >= max) return last;
  const step = ticks.length > 1 ? (ticks[1] as number) - (ticks[0] as number) : max;
  return last + step;
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const f = ((v: number) => r0 + ((v - d0) / span) * (r1 - r0)) as Scale;
  return Object.assign(f, { domain, range, ticks: (n = 5) => niceTicks(d0, d1, n) });
}

/** Base-10 log scale (domain must be > 0); ticks at 1, 2, 5 × powers of ten when few decades. */
export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const l0 = Math.log10(domain[0]);
  const l1 = Math.log10(domain[1]);
  const [r0, r1] = range;
  const span = l1 - l0 || 1;
  const f = ((v: number) => r0 + ((Math.log10(Math.max(v, domain[0])) - l0) / span) * (r1 - r0)) as Scale;
  const ticks = () => {
    const out: number[] = [];
    const multiples = l1 - l0 <= 3 ? [1, 2, 5] : [1];
    for (let p = Math.floor(l0); p <= Math.ceil(l1); p++) {
      for (const m of multiples) {
        const v = m * 10 ** p;
        if (v >= domain[0] * 0.999 && v <= domain[1] * 1.001) out.push(Number(v.toPrecision(12)));
      }
    }
    return out;
  };
  return Object.assign(f, { domain, range, ticks });
}

export interface Frame {
  width: number;
  height: number;
  /** The plot area inside the margins. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function frame(width: number, height: number, margin = { top: 28, right: 16, bottom: 34, left: 62 }) {
  return {
    width,
    height,
    left: margin.left,
    right: width - margin.right,
    top: margin.top,
    bottom: height - margin.bottom,
  };
}

/** Horizontal grid lines with y tick labels on the left. */
export function yAxis(f: Frame, y: Scale, format: (v: number) => string, ticks = y.ticks(5)): Markup {
  return html`<g class="axis y-axis">${ticks.map(
    (t) =>
      html`<line class="grid" x1="${c(f.left)}" x2="${c(f.right)}" y1="${c(y(t))}" y2="${c(y(t))}"/><text x="${c(f.left - 6)}" y="${c(y(t) + 4)}" text-anchor="end">${format(t)}</text>`,
  )}</g>`;
}

/** The x axis line with tick marks and labels below it. */
export function xAxis(f: Frame, x: Scale, format: (v: number) => string, ticks = x.ticks(8)): Markup {
  return html`<g class="axis x-axis"><line class="baseline" x1="${c(f.left)}" x2="${c(f.right)}" y1="${c(f.bottom)}" y2="${c(f.bottom)}"/>${ticks.map(
    (t) =>
      html`<line class="tick" x1="${c(x(t))}" x2="${c(x(t))}" y1="${c(f.bottom)}" y2="${c(f.bottom + 4)}"/><text x="${c(x(t))}" y="${c(f.bottom + 17)}" text-anchor="middle">${format(t)}</text>`,
  )}</g>`;
}

export function axisLabel(f: Frame, text: string, where: 'x' | 'y'): Markup {
  return where === 'x'
    ? html`<text class="axis-label" x="${c(f.right)}" y="${c(f.height - 4)}" text-anchor="end">${text}</text>`
    : html`<text class="axis-label" x="${c(f.left)}" y="${c(f.top - 10)}" text-anchor="start">${text}</text>`;
}

export interface LegendItem {
  label: string;
  cls: string;
  /** A filled swatch (areas, bars) instead of a line. */
  swatch?: boolean;
}

/** A one-line legend at the top right of the frame. */
export function legend(f: Frame, items: readonly LegendItem[]): Markup {
  let x = f.right;
  const parts: Markup[] = [];
  for (const item of [...items].reverse()) {
    const w = 24 + item.label.length * 6.6;
    x -= w;
    parts.push(
      item.swatch
        ? html`<rect class="swatch ${item.cls}" x="${c(x)}" y="${c(f.top - 20)}" width="12" height="10" rx="2"/>`
        : html`<line class="series ${item.cls}" x1="${c(x)}" x2="${c(x + 14)}" y1="${c(f.top - 15)}" y2="${c(f.top - 15)}"/>`,
      html`<text class="legend" x="${c(x + 18)}" y="${c(f.top - 11)}">${item.label}</text>`,
    );
  }
  return html`<g class="legend-items">${parts}</g>`;
}

/** The <svg> element: scales with its container, with an accessible name. */
export function svg(
  f: { width: number; height: number },
  label: string,
  body: Markup,
  cls = 'chart',
): Markup {
  return html`<svg class="${cls}" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" role="img" aria-label="${label}"><title>${label}</title>${body}</svg>`;
}

/**
 * Rows for labels placed at x positions (each label starts at its x): greedy, left to right, each
 * label in the first row where it does not overlap the previous one. Returns the row of each label.
 */
export function labelRows(items: readonly { x: number; text: string }[], charWidth = 6.6, gap = 6): number[] {
  const order = items.map((item, i) => ({ ...item, i })).sort((a, b) => a.x - b.x);
  const rowEnds: number[] = [];
  const rows = new Array<number>(items.length).fill(0);
  for (const item of order) {
    let row = rowEnds.findIndex((end) => end + gap <= item.x);
    if (row < 0) row = rowEnds.length;
    rowEnds[row] = item.x + item.text.length * charWidth;
    rows[item.i] = row;
  }
  return rows;
}
