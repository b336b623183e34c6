/** Finds experiment files (experiments/*.experiment.ts), loads and validates them. */
import { readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { usageError } from '../core/errors.ts';
import { type Experiment, validateExperiment } from './definition.ts';

export const EXPERIMENTS_DIR = resolve(new URL('../../experiments', import.meta.url).pathname);
const SUFFIX = '.experiment.ts';

export function experimentFiles(dir = EXPERIMENTS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(SUFFIX))
    .sort()
    .map((f) => resolve(dir, f));
}

export async function loadExperimentFile(file: string): Promise<Experiment> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw usageError(
      'experiment.load',
      `cannot load ${file}: ${(err as Error).message.split('\n')[0]}`,
      'experiment files are ES modules: keep them where package.json says "type": "module" (e.g. experiments/)',
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

/** Experiments by name or path; all of them when none are named. */
export async function loadExperiments(
  selectors: string[] = [],
  dir = EXPERIMENTS_DIR,
): Promise<Experiment[]> {
  if (selectors.length === 0) return Promise.all(experimentFiles(dir).map(loadExperimentFile));
  const byName = new Map(experimentFiles(dir).map((f) => [basename(f, SUFFIX), f]));
  return Promise.all(
    selectors.map((selector) => {
      const file = selector.endsWith('.ts') ? resolve(selector) : byName.get(selector);
      if (!file) {
        throw usageError(
          'experiment.unknown',
          `no experiment named "${selector}"`,
          `known: ${[...byName.keys()].join(', ')}`,
        );
      }
      return loadExperimentFile(file);
    }),
  );
}
