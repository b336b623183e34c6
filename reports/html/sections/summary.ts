/** The top of the report: what ran, the verdict and why, and every hypothesis with its measured value. */
import type { RunResult } from '../../../harness/journal/index.ts';
import { card, holdsBadge, type Section, table } from '../components.ts';
import { ms } from '../format.ts';
import { html, type Markup } from '../html.ts';
import { measuredValue, neverHappened, thresholdValue } from '../measured.ts';
import { checksTable } from './checks.ts';

const OPS: Record<string, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=', '!=': '≠' };

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : `${d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')}`;
}

export function header(r: RunResult): Markup {
  const duration = Date.parse(r.endedAt) - Date.parse(r.startedAt);
  const status = r.status === 'completed' ? 'run completed' : r.status.replace(/-/g, ' ');
  const generator = r.generator.valid ? '' : ' · load generator fell behind';
  const reasons = [r.statusReason, r.generator.valid ? undefined : r.generator.reason].filter(Boolean);
  return html`<header class="run"><div><div class="title"><h1>${r.experiment.name}</h1>${r.variant ? html`<span class="pill">${r.variant}</span>` : ''}</div><p class="description">${r.experiment.description}</p><p class="meta">Started ${when(r.startedAt)}${Number.isFinite(duration) ? ` · took ${ms(duration)}` : ''} · runtime ${r.environment.runtime} · seed ${r.environment.seed} · duration scale ${r.environment.durationScale}</p></div><div class="verdict"><span class="big v-${r.verdict}">${r.verdict.toUpperCase()}</span><div class="status">${status}${generator}</div></div>${reasons.map(
    (reason) => html`<div class="reason${r.status === 'error' ? ' bad' : ''}">${reason}</div>`,
  )}</header>`;
}

function measured(h: RunResult['hypotheses'][number]): Markup {
  return neverHappened(h)
    ? html`<strong title="did not happen within the run (infinite)">never</strong>`
    : html`<strong>${measuredValue(h)}</strong>`;
}

export function verdictSection(r: RunResult): Markup {
  type H = RunResult['hypotheses'][number];
  const hypotheses = table<H>(
    [
      { head: 'Verdict', cell: (h) => holdsBadge(h.holds) },
      { head: 'Hypothesis', cell: (h) => html`<code>${h.text}</code>` },
      {
        head: 'Measured',
        num: true,
        cell: measured,
      },
      {
        head: 'Threshold',
        num: true,
        cell: (h) => `${OPS[h.op] ?? h.op} ${thresholdValue(h)}`,
      },
      { head: 'Over', cell: (h) => h.phase ?? 'whole run' },
    ],
    r.hypotheses,
    (h) => (h.holds === false ? 'fault-row' : undefined),
  );
  const checks = checksTable(r);
  const body = html`${hypotheses}${r.checks.length ? html`<h3>Checkers</h3>${checks}` : ''}`;
  const section: Section = { id: 'verdict', title: 'Hypotheses', body };
  return card(
    section,
    'Each hypothesis is judged on the measured value; the run passes only if every one holds and the run itself is valid (completed, generator on schedule). Checkers measure: each is judged by the hypotheses on what it measured; one that no hypothesis judges shows its own check, which does not change the verdict.',
  );
}
