/**
 * writeReport: result.json → report.html beside it (or where asked), written atomically (a temporary
 * file renamed into place), so a failure never leaves a half-written report.
 */
import { dirname, join } from 'node:path';
import { writeAtomically } from '../../harness/core/atomic-write.ts';
import { FaultlineError, usageError } from '../../harness/core/errors.ts';
import { createLogger, type Logger } from '../../harness/core/logger.ts';
import { readResult } from '../../harness/journal/index.ts';
import { renderReport } from './render.ts';

/**
 * Renders the report of the result at `resultPath` to `outPath` (default: report.html in the same
 * directory) and returns the path written. A missing, truncated or tampered result, or one of
 * another schema version, is a usage error (exit 2) naming the file; nothing is written then.
 */
export async function writeReport(resultPath: string, outPath?: string): Promise<string> {
  const result = await readResult(resultPath);
  let page: string;
  try {
    page = renderReport(result);
  } catch (err) {
    // Metrics that do not decode (hand-edited, truncated histograms) are the input's fault.
    if (err instanceof FaultlineError) {
      throw usageError('result.invalid', `${resultPath} is not a faultline result: ${err.message}`, err.hint);
    }
    throw err;
  }
  const out = outPath ?? join(dirname(resultPath), 'report.html');
  try {
    await writeAtomically(out, page);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = `cannot write ${out}: ${(err as Error).message}`;
    // A directory that does not exist (or is a file) is the caller's --out; anything else the machine's.
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
      throw usageError('report.write', message, 'give --out a path in an existing directory');
    }
    throw new FaultlineError('report.write', message, 'check that the directory is writable', undefined, {
      cause: err,
    });
  }
  return out;
}

/**
 * The report a run leaves beside its result.json (`faultline run`, the mocha suite). A report that
 * fails is one warning, never an error: the result is saved, and `faultline report` can retry.
 * Returns the report's path, or undefined when there is none.
 */
export async function writeReportBeside(
  resultPath: string,
  log: Logger = createLogger('warn'),
): Promise<string | undefined> {
  try {
    return await writeReport(resultPath);
  } catch (err) {
    log.warn(`no report.html for ${resultPath} (the result is saved): ${(err as Error).message}`);
    return undefined;
  }
}
