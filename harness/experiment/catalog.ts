/**
 * Finds experiment files (experiments/*.experiment.ts, or any path a user names), loads and
 * validates them.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { usageError } from '../core/errors.ts';
import { importModule } from '../core/load-module.ts';
import { type Experiment, validateExperiment } from './definition.ts';

export const EXPERIMENTS_DIR = resolve(new URL('../../experiments', import.meta.url).pathname);
const SUFFIX = '.experiment.ts';
const EXTENSIONS = ['.ts', '.mts'];
/** An experiment's name (see definition.ts); anything else a user names is a path. */
const NAME = /^[a-z][a-z0-9-]*$/;

export function experimentFiles(dir = EXPERIMENTS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(SUFFIX))
    .sort()
    .map((f) => resolve(dir, f));
}

export async function loadExperimentFile(file: string): Promise<Experiment> {
  let module: { default?: unknown };
  try {
    module = await importModule(file);
  } catch (err) {
    throw usageError(
      'experiment.load',
      `cannot load ${file}: ${(err as Error).message.split('\n')[0]}`,
      'fix the file: it imports from "faultline" and has `export default defineExperiment({...})`',
    );
  }
  if (module.default === undefined) {
    throw usageError(
      'experiment.export',
      `${file} has no default export`,
      'export default defineExperiment({...})',
    );
  }
  return validateExperiment(module.default, basename(file));
}

/** The file a selector that is not a name points at, checked before anything loads. */
function experimentPath(selector: string): string {
  const file = resolve(selector);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw usageError(
      'experiment.file',
      `no experiment file ${file}`,
      'give the path of an existing .experiment.ts file, or a name (faultline list)',
    );
  }
  if (!EXTENSIONS.includes(extname(file))) {
    throw usageError(
      'experiment.file',
      `${file} is not a TypeScript file`,
      `an experiment file ends in ${EXTENSIONS.join(', ')}, e.g. my.experiment.ts`,
    );
  }
  return file;
}

/** Experiments by name or path; all of them when none are named. */
export async function loadExperiments(
  selectors: string[] = [],
  dir = EXPERIMENTS_DIR,
): Promise<Experiment[]> {
  const byName = new Map(experimentFiles(dir).map((f) => [basename(f, SUFFIX), f]));
  const files = selectors.length
    ? selectors.map((selector) => {
        if (!NAME.test(selector)) return experimentPath(selector);
        const file = byName.get(selector);
        if (!file) {
          throw usageError(
            'experiment.unknown',
            `no experiment named "${selector}"`,
            `known: ${[...byName.keys()].join(', ')}; or give a path, e.g. ./my.experiment.ts`,
          );
        }
        return file;
      })
    : [...byName.values()];
  return Promise.all(files.map(loadExperimentFile));
}
