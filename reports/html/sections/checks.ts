/**
 * The checker table: what each checker measured and what judged it. Checkers measure; hypotheses
 * decide the verdict. A checker whose measurement a hypothesis judges (the stale-read rate that
 * mitigation=none is meant to show) is shown with that hypothesis' outcome, never with its own
 * check: "FAILS" beside a PASS would say the opposite of the verdict. Any other checker shows its
 * own check (against its options' limit) as a note, in no failing colour: it decides nothing.
 */
import type { RunResult } from '../../../harness/journal/index.ts';
import { badge, holdsBadge, table } from '../components.ts';
import { inUnit } from '../format.ts';
import { html, type Markup } from '../html.ts';
import { measuringChecker } from '../hypothesis-metric.ts';

type Check = RunResult['checks'][number];
type Hypothesis = RunResult['hypotheses'][number];

/** The hypotheses on a metric that this checker measures. */
export function judgingHypotheses(c: Check, hypotheses: readonly Hypothesis[]): Hypothesis[] {
  return hypotheses.filter((h) => measuringChecker(h) === c.checker);
}

function judgedBy(c: Check, hypotheses: readonly Hypothesis[]): Markup {
  const judging = judgingHypotheses(c, hypotheses);
  if (judging.length) {
    return html`${judging.map((h, i) => html`${i ? html`<br>` : ''}${holdsBadge(h.holds)} <code>${h.text}</code>`)}`;
  }
  // valid is the checker's own check (a limit from its options, or that the thing happened at all).
  const own =
    c.valid === true
      ? badge('ok', 'ok')
      : c.valid === false
        ? badge('flagged', 'warn')
        : badge('cannot tell', 'unknown');
  return html`${own} <span class="muted">its own check; no hypothesis judges it, so not in the verdict</span>`;
}

export function checksTable(r: RunResult): Markup {
  return table<Check>(
    [
      { head: 'Checker', cell: (c) => html`<code>${c.checker}</code>` },
      {
        head: 'Measured',
        num: true,
        cell: (c) =>
          c.value === undefined
            ? '—'
            : inUnit(c.value, c.unit === 'ms' ? 'ms' : c.unit === 'ratio' ? 'ratio' : 'count'),
      },
      { head: 'Judged by', cell: (c) => judgedBy(c, r.hypotheses) },
      { head: 'Summary', cell: (c) => c.summary },
    ],
    r.checks,
  );
}
