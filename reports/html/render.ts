/**
 * renderReport: one result.json → one self-contained HTML page. Inline CSS, charts drawn here as
 * SVG, no script, no external request (its Content-Security-Policy forbids any); every string from
 * the result is escaped. Sections appear
 * when the run has what they show (a checker's evidence, observations), so each experiment gets its
 * own.
 */
import { type RunResult, writtenSchemaVersion } from '../../harness/journal/index.ts';
import { html, type Markup, scriptJson } from './html.ts';
import { buildModel } from './model.ts';
import { uniqueCheckerSections } from './sections/checkers.ts';
import { environmentSection } from './sections/environment.ts';
import { eventsSection } from './sections/events.ts';
import { loadSection } from './sections/load.ts';
import { spectrumSection } from './sections/spectrum.ts';
import { header, verdictSection } from './sections/summary.ts';
import { topologySection } from './sections/topology.ts';
import { STYLE } from './style.ts';

const TITLES: Record<string, string> = {
  verdict: 'Hypotheses',
  topology: 'Topology',
  events: 'Fault events',
  load: 'Load over time',
  spectrum: 'Latency spectrum',
  ...Object.fromEntries(uniqueCheckerSections().map((s) => [s.id, s.toc])),
  environment: 'Environment',
};

/** The data a tool may read back from the page (escaped for a script element). */
function summary(r: RunResult) {
  return {
    schemaVersion: writtenSchemaVersion(r),
    experiment: r.experiment.name,
    variant: r.variant,
    verdict: r.verdict,
    status: r.status,
    ...(r.statusReason ? { statusReason: r.statusReason } : {}),
    hypotheses: r.hypotheses.map((h) => ({
      text: h.text,
      holds: h.holds,
      value: h.value,
      threshold: h.threshold,
    })),
  };
}

/**
 * The report page for a run. Throws a usage error (FaultlineError, exit 2) when the result's
 * metrics do not decode.
 */
export function renderReport(result: RunResult): string {
  const m = buildModel(result);
  const sections: Markup[] = [
    verdictSection(result),
    topologySection(m),
    eventsSection(m),
    loadSection(m),
    spectrumSection(m),
    ...uniqueCheckerSections()
      .map((s) => s.render(m))
      .filter((s): s is Markup => s !== undefined),
    environmentSection(m),
  ];
  const ids = sections.map((s) => /id="([a-z-]+)"/.exec(s.value)?.[1]).filter((id): id is string => !!id);
  const title = `${result.experiment.name}${result.variant ? ` [${result.variant}]` : ''} — ${result.verdict.toUpperCase()} · faultline`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="faultline">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${header(result)}
<nav class="toc">${ids.map((id) => html`<a href="#${id}">${TITLES[id] ?? id}</a>`)}</nav>
${sections}
<footer>faultline report · rendered from result.json (schema v${writtenSchemaVersion(result)}) · opens offline, no scripts</footer>
</main>
<script type="application/json" id="faultline-result">${scriptJson(summary(result))}</script>
</body>
</html>
`;
  return page.value;
}
