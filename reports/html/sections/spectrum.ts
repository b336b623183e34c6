/** The latency percentile spectrum of each phase, read from its HDR histogram (not re-estimated). */
import { spectrumChart, spectrumPercentiles } from '../charts/spectrum-chart.ts';
import { card } from '../components.ts';
import { ms } from '../format.ts';
import { html, type Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';
import { phaseClass } from './time.ts';

export function spectrumSection(m: ReportModel): Markup {
  const series = m.metrics.phases
    .filter((p) => p.latency.totalCount > 0)
    .map((p) => ({
      name: `${p.phase} (${p.latency.totalCount})`,
      cls: phaseClass(p.phase),
      dashed: p.phase === 'warmup',
      points: spectrumPercentiles(p.latency.totalCount).map((percentile) => ({
        percentile,
        value: p.latency.getValueAtPercentile(percentile) / 1000,
      })),
    }));
  const body = series.length
    ? spectrumChart({ label: 'Latency percentile spectrum per phase', series, yFormat: (v) => ms(v) })
    : html`<p class="empty">No request completed: there is no latency to show.</p>`;
  return card(
    { id: 'spectrum', title: 'Latency percentile spectrum', body },
    'Latency at each percentile, per phase, on a log axis of nines (90 %, 99 %, 99.9 % … equally spaced). Each line ends where its sample count stops resolving percentiles (at the maximum). Numbers in the legend are requests measured.',
  );
}
