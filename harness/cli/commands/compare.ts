/**
 * `faultline compare <baseline> <candidate>`: two sets of runs side by side, with a regression
 * verdict that accounts for run-to-run noise. Each side is a result.json, a run directory or a
 * directory of runs (e.g. a whole runs/ from `faultline run --repeat 3`).
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { comparisonToHtml } from '../../../reports/compare/html.ts';
import { loadResults } from '../../../reports/compare/inputs.ts';
import { formatDelta, formatValue, PERCENTILE_SAMPLES } from '../../../reports/compare/metrics.ts';
import { compareSuites } from '../../../reports/compare/suites.ts';
import type {
  Comparison,
  MetricComparison,
  Spread,
  SuiteComparison,
} from '../../../reports/compare/types.ts';
import { writeAtomically } from '../../core/atomic-write.ts';
import { ExitCode, FaultlineError, usageError } from '../../core/errors.ts';

export interface CompareOptions {
  baseline: string;
  candidate: string;
  /** Where the HTML page goes (written atomically). */
  out: string;
  json: boolean;
  failOnRegression: boolean;
  /** Compare metric for metric even when the phase lengths differ (otherwise a usage error). */
  allowDifferentDurations: boolean;
}

export interface CompareOutcome {
  suite: SuiteComparison;
  /** The HTML page written. */
  htmlPath: string;
  /** 1 when a regression was found and --fail-on-regression was given; 0 otherwise. */
  exitCode: ExitCode;
}

/** Reads both sides, compares them and writes the page; bad input is a usage error (exit 2). */
export async function compareCommand(options: CompareOptions): Promise<CompareOutcome> {
  const htmlPath = resolve(options.out);
  if (
    await stat(htmlPath)
      .then((s) => s.isDirectory())
      .catch(() => false)
  ) {
    throw usageError(
      'compare.out',
      `--out ${options.out} is a directory`,
      'give a file name, e.g. --out compare.html',
    );
  }
  const baseline = await loadResults(options.baseline);
  const candidate = await loadResults(options.candidate);
  const suite = compareSuites(
    baseline.map((x) => x.result),
    candidate.map((x) => x.result),
    {
      sources: { baseline: baseline.map((x) => x.path), candidate: candidate.map((x) => x.path) },
      allowDifferentDurations: options.allowDifferentDurations,
    },
  );
  await mkdir(dirname(htmlPath), { recursive: true });
  await writeAtomically(htmlPath, comparisonToHtml(suite));
  const exitCode = suite.regressed && options.failOnRegression ? ExitCode.hypothesisFailed : ExitCode.ok;
  return { suite, htmlPath, exitCode };
}

function cell(m: MetricComparison, s: Spread | null): string {
  if (!s) return '—';
  const median = formatValue(m.unit, s.median);
  return s.values.length > 1
    ? `${median} [${formatValue(m.unit, s.min)}–${formatValue(m.unit, s.max)}]`
    : median;
}

const MARK: Record<Exclude<MetricComparison['status'], 'not-enough-samples'>, string> = {
  regressed: 'REGRESSED',
  improved: 'improved',
  unchanged: 'same',
  'not-judged': '',
};

/** The verdict column; a percentile with too few requests says so instead ("not enough samples (n=…)"). */
function mark(m: MetricComparison): string {
  return m.status === 'not-enough-samples' ? m.reason : MARK[m.status];
}

/** The concise table the terminal shows for one comparison. */
export function formatComparison(c: Comparison): string {
  const name = c.variant ? `${c.experiment} [${c.variant}]` : c.experiment;
  const lines = [
    `${name}: ${c.baseline.used} baseline vs ${c.candidate.used} candidate run(s), ${c.noise.kind} noise model`,
  ];
  for (const w of c.warnings) lines.push(`  ! ${w}`);
  for (const h of c.hypotheses) {
    const side = (s: typeof h.baseline) =>
      s ? (s.failed ? `FAILS ${s.failed}/${s.values.length}` : `holds ${s.held}/${s.values.length}`) : '—';
    const mark = h.status === 'regressed' ? '  REGRESSED' : h.status === 'fixed' ? '  fixed' : '';
    lines.push(`  ${side(h.baseline).padEnd(10)} → ${side(h.candidate).padEnd(10)} ${h.text}${mark}`);
  }
  const judged = c.metrics.filter((m) => m.status !== 'not-judged');
  const rows = judged.map((m) => [
    m.label,
    cell(m, m.baseline),
    cell(m, m.candidate),
    formatDelta(m, '-'),
    mark(m),
  ]);
  const header = ['metric', c.baseline.label, c.candidate.label, 'Δ median', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (r: string[]) =>
    `  ${r
      .map((v, i) =>
        i === 0 || i === r.length - 1 ? v.padEnd(widths[i] as number) : v.padStart(widths[i] as number),
      )
      .join('  ')
      .trimEnd()}`;
  lines.push(fmt(header), ...rows.map(fmt));
  const skipped = c.metrics.length - judged.length;
  if (skipped) lines.push(`  (${skipped} more shown in the HTML, not judged: warm-up, unknown direction)`);
  lines.push(c.regressed ? `  REGRESSION: ${c.regressions.join('; ')}` : '  no regression beyond the noise');
  return lines.join('\n');
}

export function formatSuite(suite: SuiteComparison, htmlPath: string): string {
  const parts = suite.comparisons.map(formatComparison);
  if (suite.onlyInBaseline.length)
    parts.push(`only in the baseline (not compared): ${suite.onlyInBaseline.join(', ')}`);
  if (suite.onlyInCandidate.length)
    parts.push(`only in the candidate (not compared): ${suite.onlyInCandidate.join(', ')}`);
  const regressed = suite.comparisons.filter((c) => c.regressed).length;
  parts.push(
    `${regressed ? `REGRESSION in ${regressed} of ${suite.comparisons.length}` : `No regression in ${suite.comparisons.length}`} experiment(s) → ${htmlPath}`,
  );
  return `${parts.join('\n\n')}\n`;
}

export const compareCommandModule: CommandModule<object, CompareOptions> = {
  command: 'compare <baseline> <candidate>',
  describe: 'Compare two sets of runs: hypotheses, key metrics, spectra; flag regressions beyond the noise',
  builder: (yargs: Argv) =>
    yargs
      .positional('baseline', {
        type: 'string',
        describe: 'A result.json, a run directory, or a directory of runs (e.g. last night’s runs/)',
      })
      .positional('candidate', { type: 'string', describe: 'The same for the runs to judge' })
      .option('out', { type: 'string', default: 'compare.html', describe: 'Write the HTML comparison here' })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print the comparison as JSON instead of the table',
      })
      .option('fail-on-regression', {
        type: 'boolean',
        default: false,
        describe: 'Exit 1 when a hypothesis or a key metric regressed',
      })
      .option('allow-different-durations', {
        type: 'boolean',
        default: false,
        describe:
          'Compare metric for metric although the phases differ in length (e.g. another --duration-scale); refused otherwise',
      })
      .example(
        '$0 compare runs-before/ runs/ --fail-on-regression',
        'tonight vs last night, red on regression',
      )
      .example(
        '$0 compare runs/cache-node-loss/20260101T000000Z runs/cache-node-loss/latest',
        'two single runs (conservative fixed tolerance)',
      )
      .epilog(
        `Each side may hold repeat runs (faultline run --repeat 3): a metric then regresses only outside the baseline’s spread. A percentile needs enough requests in its phase for a 95 % interval (${PERCENTILE_SAMPLES}; a side's runs merged); with fewer it shows "not enough samples". Exit 0: compared; 1: regression with --fail-on-regression; 2: bad input (missing, truncated or tampered result, other experiment or schema version, phases of different lengths without --allow-different-durations).`,
      ) as unknown as Argv<CompareOptions>,
  handler: async (argv: ArgumentsCamelCase<CompareOptions>) => {
    const { suite, htmlPath, exitCode } = await compareCommand(argv);
    process.stdout.write(argv.json ? `${JSON.stringify(suite)}\n` : formatSuite(suite, htmlPath));
    if (exitCode !== ExitCode.ok) {
      const count = suite.comparisons.reduce((n, c) => n + c.regressions.length, 0);
      throw new FaultlineError(
        'compare.regression',
        `${count} regression(s) beyond the noise`,
        `see ${htmlPath}`,
        exitCode,
      );
    }
  },
};
