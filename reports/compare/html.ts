/**
 * The comparison as one self-contained HTML page: inline CSS (the HTML report's stylesheet), SVG
 * charts drawn here, no script and no external URL. Every string from a result is escaped by the
 * `html` template (reports/html/html.ts).
 */
import { badge, card, kv, table } from '../html/components.ts';
import { html, type Markup, raw } from '../html/html.ts';
import { metricUnit } from '../html/hypothesis-metric.ts';
import { STYLE } from '../html/style.ts';
import { alignedCharts, spectrumOf } from './charts.ts';
import { formatDelta, formatValue } from './metrics.ts';
import type {
  Comparison,
  HypothesisComparison,
  HypothesisSide,
  MetricComparison,
  RunInfo,
  Spread,
  SuiteComparison,
} from './types.ts';

const EXTRA_STYLE = `
.verdict-line { display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: baseline; margin: 6px 0 14px; }
.big.regressed { background: var(--bad-bg); color: var(--bad); }
.big.clean { background: var(--ok-bg); color: var(--ok); }
.big { display: inline-block; font-size: 18px; font-weight: 800; letter-spacing: 0.05em; padding: 4px 14px; border-radius: 8px; }
ul.flat { margin: 6px 0 0; padding-left: 18px; }
.warnings { border-left: 4px solid var(--warn); background: var(--warn-bg); padding: 8px 12px; border-radius: 4px; color: #6b3a06; margin: 10px 0; }
.regressions { border-left: 4px solid var(--bad); background: var(--bad-bg); padding: 8px 12px; border-radius: 4px; color: #7f1d1d; margin: 10px 0; }
.spread { color: var(--ink-3); font-size: 12px; }
td.delta-bad { color: var(--bad); font-weight: 700; } td.delta-good { color: var(--ok); font-weight: 700; }
.key { display: inline-block; width: 12px; height: 4px; border-radius: 2px; vertical-align: middle; margin-right: 4px; }
details > summary { cursor: pointer; color: var(--ink-2); margin: 10px 0 6px; font-size: 13px; }
.key.c1 { background: var(--c1); } .key.c2 { background: var(--c2); }
svg .band.fault-c1 rect { fill: var(--c1); } svg .band.fault-c1 text { fill: var(--c1); }
svg .band.fault-c2 rect { fill: var(--c2); } svg .band.fault-c2 text { fill: var(--c2); }
`;

function name(c: Pick<Comparison, 'experiment' | 'variant'>): string {
  return c.variant ? `${c.experiment} [${c.variant}]` : c.experiment;
}

function anchor(c: Comparison): string {
  return `cmp-${name(c).replace(/[^a-zA-Z0-9]+/g, '-')}`;
}

function spreadCell(unit: MetricComparison['unit'], s: Spread | null): Markup {
  if (!s) return html`<span class="muted">—</span>`;
  const range =
    s.values.length > 1
      ? html`<br><span class="spread">${formatValue(unit, s.min)} – ${formatValue(unit, s.max)} (${s.values.length} runs)</span>`
      : '';
  return html`${formatValue(unit, s.median)}${range}`;
}

function statusBadge(status: MetricComparison['status'] | HypothesisComparison['status']): Markup {
  switch (status) {
    case 'regressed':
      return badge('REGRESSED', 'bad');
    case 'improved':
    case 'fixed':
      return badge(status, 'ok');
    case 'not-judged':
      return badge('not judged', 'unknown');
    case 'new':
    case 'removed':
      return badge(status, 'info');
    default:
      return badge('same', 'unknown');
  }
}

function holdsText(s: HypothesisSide | null): Markup {
  if (!s) return html`<span class="muted">—</span>`;
  const n = s.values.length;
  const tone = s.failed ? 'bad' : s.unknown ? 'unknown' : 'ok';
  const text = s.failed
    ? `fails ${s.failed}/${n}`
    : s.unknown
      ? `unknown ${s.unknown}/${n}`
      : `holds ${s.held}/${n}`;
  return badge(text, tone);
}

function measured(h: HypothesisComparison, s: HypothesisSide | null): string {
  if (!s) return '—';
  const unit = metricUnit(h);
  return s.values
    .map((v) => (v === null ? 'n/a' : unit ? formatValue(unit, v) : String(+v.toFixed(3))))
    .join(', ');
}

function runsTable(c: Comparison): Markup {
  const rows = [
    ...c.baseline.runs.map((r) => ({ side: c.baseline.label, r })),
    ...c.candidate.runs.map((r) => ({ side: c.candidate.label, r })),
  ];
  return table<{ side: string; r: RunInfo }>(
    [
      { head: 'Side', cell: ({ side }) => side },
      { head: 'Started', cell: ({ r }) => r.startedAt },
      { head: 'Seed', num: true, cell: ({ r }) => r.seed },
      {
        head: 'Verdict',
        cell: ({ r }) =>
          badge(r.verdict, r.verdict === 'pass' ? 'ok' : r.verdict === 'fail' ? 'bad' : 'warn'),
      },
      { head: 'Used', cell: ({ r }) => (r.used ? 'yes' : html`<span class="muted">no (invalid)</span>`) },
      { head: 'Git', cell: ({ r }) => html`<code>${r.gitSha?.slice(0, 10) ?? '—'}</code>` },
      {
        head: 'Result file',
        cell: ({ r }) =>
          html`<code>${r.source ?? '—'}</code>${r.statusReason ? html`<br><span class="muted">${r.statusReason}</span>` : ''}`,
      },
    ],
    rows,
    ({ r }) => (r.used ? undefined : 'muted'),
  );
}

function hypothesesTable(c: Comparison): Markup {
  return table<HypothesisComparison>(
    [
      { head: 'Hypothesis', cell: (h) => html`<code>${h.text}</code>` },
      {
        head: c.baseline.label,
        cell: (h) => html`${holdsText(h.baseline)}<br><span class="spread">${measured(h, h.baseline)}</span>`,
      },
      {
        head: c.candidate.label,
        cell: (h) =>
          html`${holdsText(h.candidate)}<br><span class="spread">${measured(h, h.candidate)}</span>`,
      },
      { head: 'Verdict', cell: (h) => statusBadge(h.status) },
    ],
    c.hypotheses,
    (h) => (h.status === 'regressed' ? 'fault-row' : undefined),
  );
}

const TOO_FEW =
  'the phase, its runs merged, has fewer requests than a 95 % interval of this percentile needs: the numbers cannot tell a change from noise';

function metricsTable(c: Comparison, rows: readonly MetricComparison[]): Markup {
  return table<MetricComparison>(
    [
      { head: 'Metric', cell: (m) => m.label },
      { head: c.baseline.label, num: true, cell: (m) => spreadCell(m.unit, m.baseline) },
      { head: c.candidate.label, num: true, cell: (m) => spreadCell(m.unit, m.candidate) },
      { head: 'Δ median', num: true, cell: (m) => formatDelta(m) },
      {
        head: 'Verdict',
        // "not enough samples (n=…, need ≥ …)" in place of a verdict.
        cell: (m) => (m.status === 'not-enough-samples' ? badge(m.reason, 'unknown') : statusBadge(m.status)),
      },
      {
        head: 'Why',
        cell: (m) =>
          html`<span class="muted">${m.status === 'not-enough-samples' ? TOO_FEW : m.reason}</span>`,
      },
    ],
    rows,
    (m) =>
      m.status === 'regressed'
        ? 'fault-row'
        : m.status === 'not-judged' || m.status === 'not-enough-samples'
          ? 'muted'
          : undefined,
  );
}

function comparisonSection(c: Comparison): Markup {
  const verdict = c.regressed
    ? html`<span class="big regressed">REGRESSION</span>`
    : html`<span class="big clean">NO REGRESSION</span>`;
  const sides = html`<span><span class="key c1"></span>${c.baseline.label}: ${c.baseline.used} run(s)</span> <span><span class="key c2"></span>${c.candidate.label}: ${c.candidate.used} run(s)</span>`;
  const regressions = c.regressions.length
    ? html`<div class="regressions"><strong>Regressions</strong><ul class="flat">${c.regressions.map((r) => html`<li>${r}</li>`)}</ul></div>`
    : '';
  const warnings = c.warnings.length
    ? html`<div class="warnings"><strong>Before trusting this</strong><ul class="flat">${c.warnings.map((w) => html`<li>${w}</li>`)}</ul></div>`
    : '';
  const judged = c.metrics.filter((m) => m.status !== 'not-judged');
  const unjudged = c.metrics.filter((m) => m.status === 'not-judged');
  const spectra = c.spectra.map((s) => html`<div><h3>${s.phase}</h3>${spectrumOf(c, s)}</div>`);
  const aligned = alignedCharts(c).map((x) => html`<div><h3>${x.title}</h3>${x.chart}</div>`);
  const body = html`<div class="verdict-line">${verdict}${sides}</div>${regressions}${warnings}
<p class="caption">Noise model: ${c.noise.description}.</p>
<h3>Hypotheses</h3>${hypothesesTable(c)}
<h3>Key metrics</h3><p class="caption">Median over the usable runs of each side, with their range.</p>${metricsTable(c, judged)}
${unjudged.length ? html`<details><summary>${unjudged.length} more, not judged (warm-up, checkers without a known direction)</summary>${metricsTable(c, unjudged)}</details>` : ''}
<h3>Percentile spectra</h3><p class="caption">Each side's latency histograms decoded and merged (not averaged percentiles); x is the percentile on a log scale of nines.</p><div class="grid2">${spectra}</div>
<h3>Aligned at fault injection</h3><p class="caption">t = 0 is each run's first fault actuation (${c.series.baseline.alignedOn}); lines are the median over runs per ${c.series.bucketWidthMs} ms bucket; the shaded bands are each side's fault window (actuation to last heal, median over its runs).</p><div class="grid2">${aligned}</div>
<h3>Runs</h3>${runsTable(c)}`;
  return card({ id: anchor(c), title: name(c), body });
}

function overview(suite: SuiteComparison): Markup {
  const rows = suite.comparisons.map((c) => ({ c }));
  const listed = table<{ c: Comparison }>(
    [
      { head: 'Experiment', cell: ({ c }) => html`<a href="#${anchor(c)}">${name(c)}</a>` },
      { head: 'Verdict', cell: ({ c }) => (c.regressed ? badge('REGRESSED', 'bad') : badge('ok', 'ok')) },
      { head: 'Runs', num: true, cell: ({ c }) => `${c.baseline.used} vs ${c.candidate.used}` },
      { head: 'Regressions', cell: ({ c }) => c.regressions.join('; ') || '—' },
    ],
    rows,
  );
  const single = [
    ...(suite.onlyInBaseline.length
      ? ([['Only in the baseline', suite.onlyInBaseline.join(', ')]] as const)
      : []),
    ...(suite.onlyInCandidate.length
      ? ([['Only in the candidate', suite.onlyInCandidate.join(', ')]] as const)
      : []),
  ];
  return card({
    id: 'overview',
    title: 'Overview',
    body: html`${listed}${single.length ? kv(single.map(([k, v]) => [k, v])) : ''}`,
  });
}

/** The whole page for a suite comparison (or a single comparison). */
export function comparisonToHtml(input: SuiteComparison | Comparison): string {
  const suite: SuiteComparison =
    'comparisons' in input
      ? input
      : { comparisons: [input], onlyInBaseline: [], onlyInCandidate: [], regressed: input.regressed };
  const first = suite.comparisons[0];
  const title =
    suite.comparisons.length === 1 && first
      ? `${name(first)}: ${first.baseline.label} vs ${first.candidate.label}`
      : `${suite.comparisons.length} experiments: ${first?.baseline.label ?? 'baseline'} vs ${first?.candidate.label ?? 'candidate'}`;
  const verdict = suite.regressed
    ? html`<span class="big regressed">REGRESSION</span>`
    : html`<span class="big clean">NO REGRESSION</span>`;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>faultline compare — ${title}</title><style>${raw(STYLE + EXTRA_STYLE)}</style></head>
<body><main>
<header class="run"><div><div class="title"><h1>${title}</h1></div><p class="description">faultline compare: hypotheses, key metrics and latency of two sets of runs, side by side.</p></div><div class="verdict">${verdict}</div></header>
${suite.comparisons.length > 1 || suite.onlyInBaseline.length || suite.onlyInCandidate.length ? overview(suite) : ''}
${suite.comparisons.map(comparisonSection)}
<footer>Written by faultline compare from result.json files only.</footer>
</main></body></html>
`;
  return page.value;
}
