/** `faultline report <result.json|run dir>`: the HTML report of a run, one self-contained file. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { writeReport } from '../../../reports/html/write.ts';
import { usageError } from '../../core/errors.ts';

export interface ReportOptions {
  /** A result.json, a run directory holding one, or an experiment directory (its `latest` run). */
  result: string;
  /** Where to write the report (default: report.html beside result.json). */
  out?: string;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** The result.json a path names: itself, <dir>/result.json, or <dir>/latest/result.json. */
export async function resolveResultPath(path: string): Promise<string> {
  if (!(await isDirectory(path))) return path;
  for (const candidate of [join(path, 'result.json'), join(path, 'latest', 'result.json')]) {
    if (await exists(candidate)) return candidate;
  }
  throw usageError(
    'report.input',
    `no result.json in ${path}`,
    'give a result.json or the run directory faultline run printed (runs/<experiment>/<timestamp>)',
  );
}

/** Writes the report and returns its path (also for tests and scripts). */
export async function reportCommand(options: ReportOptions): Promise<string> {
  return writeReport(await resolveResultPath(options.result), options.out);
}

export const reportCommandModule: CommandModule<object, ReportOptions> = {
  command: 'report <result>',
  describe: 'Render a run’s result.json as one self-contained HTML report (charts, verdicts, topology)',
  builder: (yargs: Argv) =>
    yargs
      .positional('result', {
        type: 'string',
        describe:
          'A result.json, or a run directory (runs/<experiment>/<timestamp>, or runs/<experiment> for its latest run)',
      })
      .option('out', {
        type: 'string',
        describe: 'Where to write the HTML (default: report.html beside result.json)',
      })
      .example(
        '$0 report runs/replica-lag/latest',
        'the latest replica-lag run → runs/replica-lag/latest/report.html',
      )
      .example('$0 report result.json --out /tmp/report.html', 'somewhere else')
      .epilog(
        'faultline run already writes report.html beside every result.json; use this for older results or another place. The page opens offline: inline CSS, SVG charts, no scripts. Exit 2 when the input is not a readable faultline result (missing, truncated, edited, or another schema version); nothing is written then.',
      ) as unknown as Argv<ReportOptions>,
  handler: async (argv: ArgumentsCamelCase<ReportOptions>) => {
    const path = await reportCommand({ result: argv.result, ...(argv.out ? { out: argv.out } : {}) });
    process.stdout.write(`${path}\n`);
  },
};
