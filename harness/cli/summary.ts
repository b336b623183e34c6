/**
 * The end-of-run summary on stdout: each run's verdict, its hypotheses with the measured value in the
 * metric's unit (formatted as the HTML report formats it), and where its result is. With --json, one
 * JSON line per run instead.
 */
import { measuredValue } from '../../reports/html/measured.ts';
import type { RunOutcome } from '../run/run-experiment.ts';

const MARKS = { true: 'holds', false: 'FAILS', unknown: 'unknown' } as const;

export function formatSummary(outcomes: readonly RunOutcome[], { json }: { json: boolean }): string {
  return outcomes.map((outcome) => (json ? jsonLine(outcome) : runLines(outcome))).join('');
}

function jsonLine({ result, path }: RunOutcome): string {
  const { experiment, variant, verdict, status } = result;
  return `${JSON.stringify({ experiment: experiment.name, variant, verdict, status, path })}\n`;
}

function runLines({ result, path }: RunOutcome): string {
  const name = result.variant ? `${result.experiment.name} [${result.variant}]` : result.experiment.name;
  // Why a run is invalid, as the report's header says it: its status, or the generator falling behind.
  const reasons = [result.statusReason, result.generator.valid ? undefined : result.generator.reason];
  const reason = reasons
    .filter(Boolean)
    .map((r) => ` — ${r}`)
    .join('');
  const lines = [`${result.verdict.toUpperCase().padEnd(7)} ${name}${reason}`];
  for (const h of result.hypotheses) {
    lines.push(`        ${MARKS[`${h.holds}`].padEnd(7)} ${h.text} (measured ${measuredValue(h)})`);
  }
  lines.push(`        → ${path}`);
  return `${lines.join('\n')}\n`;
}
