/** SLO thresholds per phase (the slo checker), when an experiment sets them. */
import { type CheckerSection, card, table } from '../components.ts';
import { evidenceOf } from '../evidence.ts';
import { ms, pct } from '../format.ts';
import type { Markup } from '../html.ts';
import type { ReportModel } from '../model.ts';

function fmt(metric: string, v: number | null): string {
  if (v === null) return 'n/a';
  if (metric === 'errorRate') return pct(v);
  if (metric === 'throughput') return `${v}/s`;
  return ms(v);
}

function slo(m: ReportModel): Markup | undefined {
  const e = evidenceOf(m.check('slo'), 'slo');
  if (!e) return undefined;
  type V = (typeof e.violations)[number];
  const body = table<V>(
    [
      { head: 'Phase', cell: (v) => v.phase },
      { head: 'Metric', cell: (v) => v.metric },
      { head: 'Measured', num: true, cell: (v) => fmt(v.metric, v.value) },
      { head: 'Limit', num: true, cell: (v) => fmt(v.metric, v.limit) },
    ],
    e.violations,
  );
  return card(
    { id: 'slo', title: 'SLO violations', body },
    'Thresholds the slo checker judged per phase; an empty table means every one held.',
  );
}

export const sloSection: CheckerSection = { id: 'slo', toc: 'SLO', render: slo };
