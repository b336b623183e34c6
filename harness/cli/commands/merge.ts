/**
 * `faultline merge a.json b.json ...`: the reports of several generators that ran one load between
 * them (`faultline load --part i/N --json` on each machine) as one report: their histograms merged
 * exactly, counters and rates summed, the generator judged over every thread of every part.
 */
import { readFile } from 'node:fs/promises';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ExitCode, FaultlineError, usageError } from '../../core/errors.ts';
import { generatorHealth } from '../../load/generator-health.ts';
import { type Counters, mergeCounters } from '../../metrics/counters.ts';
import { decodeHistogram, mergeHistograms } from '../../metrics/histogram.ts';
import { formatReport, type LoadReport, loadReport, loadReportSchema } from '../load-report.ts';

type PartReport = ReturnType<typeof loadReportSchema.parse>;

async function readPart(file: string): Promise<PartReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw usageError(
      'merge.file',
      `${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? err}`,
      'give the files faultline load --json wrote',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw usageError('merge.file', `${file} is not JSON`, 'give the output of faultline load --json');
  }
  const parsed = loadReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw usageError(
      'merge.file',
      `${file} is not a faultline load --json report (${issue?.path.join('.') || '(root)'}: ${issue?.message})`,
      'give the output of faultline load --part i/N --json from this faultline version',
    );
  }
  return parsed.data;
}

/** Every file must be one share of the same load, each share given once and none missing. */
function checkParts(files: readonly string[], reports: readonly PartReport[]): number {
  const [first] = reports as [PartReport];
  const schedule = (r: PartReport) => JSON.stringify([r.url, r.rate, r.stages, r.durationMs, r.maxSendLagMs]);
  const problems: string[] = [];
  reports.forEach((r, i) => {
    if (!r.part) problems.push(`${files[i]} sent the whole load (no --part)`);
    else if (r.part.of !== first.part?.of)
      problems.push(`${files[i]} is part of ${r.part.of}, not of ${first.part?.of}`);
    if (schedule(r) !== schedule(first))
      problems.push(
        `${files[i]} ran another load (URL, rate, stages, duration or send-lag limit) than ${files[0]}`,
      );
  });
  const of = first.part?.of ?? 0;
  const seen = new Map<number, string>();
  reports.forEach((r, i) => {
    if (!r.part) return;
    const other = seen.get(r.part.index);
    if (other) problems.push(`${files[i]} and ${other} are both part ${r.part.index + 1}`);
    seen.set(r.part.index, files[i] as string);
  });
  const missing = Array.from({ length: of }, (_, i) => i).filter((i) => !seen.has(i));
  if (!problems.length && missing.length)
    problems.push(
      `part${missing.length > 1 ? 's' : ''} ${missing.map((i) => i + 1).join(', ')} of ${of} missing`,
    );
  if (problems.length)
    throw usageError(
      'merge.parts',
      problems.join('; '),
      'give the --json report of every --part i/N of one load, each once',
    );
  return of;
}

export async function mergeCommand(files: readonly string[]): Promise<LoadReport> {
  if (files.length < 2)
    throw usageError('merge.files', 'merge needs two or more reports', 'e.g. faultline merge a.json b.json');
  const reports = await Promise.all(files.map(readPart));
  checkParts(files, reports);
  const [first] = reports as [PartReport];
  const generatorParts = reports.flatMap((r) => r.generatorParts);
  return loadReport({
    schedule: {
      url: first.url,
      ...(first.stages ? { stages: first.stages } : { rate: first.rate as number }),
      durationMs: first.durationMs,
    },
    mergedFrom: reports.length,
    workers: reports.reduce((n, r) => n + r.workers, 0),
    // They ran side by side: their rates add up.
    achievedRate: reports.reduce((n, r) => n + r.achievedRate, 0),
    latency: mergeHistograms(reports.map((r) => decodeHistogram(r.latencyHistogram))),
    service: mergeHistograms(reports.map((r) => decodeHistogram(r.serviceTimeHistogram))),
    counters: mergeCounters(reports.map((r) => r.counters as Counters)),
    generator: generatorHealth(generatorParts, first.maxSendLagMs),
    generatorParts,
    maxSendLagMs: first.maxSendLagMs,
  });
}

interface MergeArgs {
  reports: string[];
  json: boolean;
}

export const mergeCommandModule: CommandModule<object, MergeArgs> = {
  command: 'merge <reports..>',
  describe: 'Join the --json reports of generators that shared one load (faultline load --part i/N) into one',
  builder: (yargs: Argv) =>
    yargs
      .positional('reports', {
        type: 'string',
        array: true,
        describe: 'Every part’s report, as faultline load --part i/N --json wrote it',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print the merged report as JSON (with its HdrHistograms)',
      })
      .example(
        '$0 merge a.json b.json',
        'one report of --part 1/2 (a.json) and --part 2/2 (b.json): exact percentiles, summed counts',
      )
      .epilog(
        'Every part must be given once and be a share of the same load (URL, rate or stages, duration). Exit 3 when a generator fell behind.',
      ) as unknown as Argv<MergeArgs>,
  handler: async (argv: ArgumentsCamelCase<MergeArgs>) => {
    const report = await mergeCommand(argv.reports);
    process.stdout.write(argv.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    if (!report.generator.valid) {
      throw new FaultlineError(
        'load.generator',
        'a load generator could not keep its schedule',
        'give the slow part fewer requests (more parts) or free its CPU',
        ExitCode.environment,
      );
    }
  },
};
