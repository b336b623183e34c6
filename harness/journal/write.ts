/**
 * Writes result.json atomically under runs/<experiment>/<timestamp>[-<variant>]/ and points
 * runs/<experiment>/latest at it, so a crash mid-write never leaves a half file behind. The HTML
 * report (report.html) is rendered from the written file beside it; a report that fails is logged
 * and returned, never at the cost of the result.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeReport } from '../../reports/html/write.ts';
import { symlinkAtomically, writeAtomically } from '../core/atomic-write.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import type { RunResult } from './result.ts';

export interface JournalOptions {
  /** Where a failed report is reported (default: warnings on stderr). */
  log?: Logger;
  /** Write report.html beside result.json (default true). */
  report?: boolean;
}

export interface JournalFiles {
  /** result.json */
  path: string;
  /** report.html, when it was written. */
  reportPath?: string;
  /** Why report.html could not be written (result.json is there all the same). */
  reportError?: Error;
}

/** Renders report.html beside a written result.json; returns the error instead of throwing it. */
export async function writeReportBeside(
  resultPath: string,
): Promise<Pick<JournalFiles, 'reportPath' | 'reportError'>> {
  try {
    return { reportPath: await writeReport(resultPath) };
  } catch (err) {
    return { reportError: err instanceof Error ? err : new Error(String(err)) };
  }
}

/** Writes the journal and its report; see {@link writeJournal} for the path only. */
export async function writeJournalFiles(
  outDir: string,
  result: RunResult,
  options: JournalOptions = {},
): Promise<JournalFiles> {
  const stamp = result.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const name = result.variant ? `${stamp}-${result.variant}` : stamp;
  const experimentDir = join(outDir, result.experiment.name);
  const dir = join(experimentDir, name);
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'result.json');
  await writeAtomically(file, `${JSON.stringify(result, null, 1)}\n`);
  await symlinkAtomically(name, join(experimentDir, 'latest'));
  if (options.report === false) return { path: file };
  const report = await writeReportBeside(file);
  if (report.reportError) {
    (options.log ?? createLogger('warn')).warn(
      `no report.html for ${file} (the result is saved): ${report.reportError.message}`,
    );
  }
  return { path: file, ...report };
}

/** Writes result.json (and report.html beside it) and returns the path of result.json. */
export async function writeJournal(
  outDir: string,
  result: RunResult,
  options: JournalOptions = {},
): Promise<string> {
  return (await writeJournalFiles(outDir, result, options)).path;
}
