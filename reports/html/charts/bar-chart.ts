/**
 * Bar charts and histograms: one bar per category, or a group of bars per category (one per
 * series), with the value written above each bar. Categories are labels ("≤ 5 ms", "fault").
 */
import { html, type Markup } from '../html.ts';
import { c, frame, legend, linearScale, niceMax, svg, yAxis } from './axes.ts';

export interface BarSeries {
  name: string;
  cls: string;
  /** One value per category; null = no bar (nothing measured). */
  values: readonly (number | null)[];
}

export interface BarChartOptions {
  label: string;
  categories: readonly string[];
  series: readonly BarSeries[];
  yFormat: (v: number) => string;
  /** Format of the value above a bar (default yFormat). */
  valueFormat?: (v: number) => string;
  yMax?: number;
  width?: number;
  height?: number;
  /** Category highlighted (e.g. the fault phase). */
  highlight?: string;
  /** Text under the x axis. */
  xLabel?: string;
}

export function barChart(o: BarChartOptions): Markup {
  const f = frame(o.width ?? 530, o.height ?? 230, {
    top: 30,
    right: 12,
    bottom: o.xLabel ? 44 : 32,
    left: 58,
  });
  const values = o.series.flatMap((s) =>
    s.values.filter((v): v is number => v !== null && Number.isFinite(v)),
  );
  const y = linearScale([0, o.yMax ?? niceMax(Math.max(0, ...values))], [f.bottom, f.top]);
  const n = Math.max(1, o.categories.length);
  const slot = (f.right - f.left) / n;
  const groupWidth = Math.min(slot * 0.78, 40 * o.series.length + 8);
  const barWidth = groupWidth / Math.max(1, o.series.length);
  const format = o.valueFormat ?? o.yFormat;
  const bars = o.categories.map((category, i) => {
    const x0 = f.left + slot * i + (slot - groupWidth) / 2;
    const highlight = o.highlight === category;
    return html`<g class="bar-group${highlight ? ' highlight' : ''}">${highlight ? html`<rect class="slot-highlight" x="${c(f.left + slot * i + 2)}" y="${c(f.top)}" width="${c(slot - 4)}" height="${c(f.bottom - f.top)}"/>` : ''}${o.series.map(
      (s, k) => {
        const v = s.values[i];
        if (v === null || v === undefined || !Number.isFinite(v)) return '';
        const top = y(Math.min(v, y.domain[1]));
        const x = x0 + k * barWidth;
        return html`<rect class="bar ${s.cls}" x="${c(x + 1)}" y="${c(top)}" width="${c(Math.max(1, barWidth - 2))}" height="${c(Math.max(0, f.bottom - top))}"><title>${s.name} · ${category}: ${format(v)}</title></rect><text class="bar-value" x="${c(x + barWidth / 2)}" y="${c(top - 4)}" text-anchor="middle">${format(v)}</text>`;
      },
    )}<text class="category" x="${c(f.left + slot * i + slot / 2)}" y="${c(f.bottom + 16)}" text-anchor="middle">${category}</text></g>`;
  });
  const body = html`${yAxis(f, y, o.yFormat, y.ticks(4))}<line class="baseline" x1="${c(f.left)}" x2="${c(f.right)}" y1="${c(f.bottom)}" y2="${c(f.bottom)}"/>${bars}${o.xLabel ? html`<text class="axis-label" x="${c((f.left + f.right) / 2)}" y="${c(f.height - 6)}" text-anchor="middle">${o.xLabel}</text>` : ''}${
    o.series.length > 1
      ? legend(
          f,
          o.series.map((s) => ({ label: s.name, cls: s.cls, swatch: true })),
        )
      : ''
  }`;
  return svg(f, o.label, body);
}
