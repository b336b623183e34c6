/** Where results go must be a directory (or not exist yet): a file there would be found only after the whole run. */
import { stat } from 'node:fs/promises';
import { usageError } from '../core/errors.ts';

/** Refuses (exit 2) a results path that exists and is not a directory; `name` is how the user gave it. */
export async function checkResultsDir(path: string, name: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isDirectory()) {
    throw usageError(
      'run.out',
      `${name} ${path} is not a directory`,
      `give a directory for the results, e.g. ${name} runs`,
    );
  }
}
