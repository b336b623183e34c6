/**
 * Which runs `faultline run` does: each experiment with each of its variants (or alone when it has
 * none), narrowed to one variant by --variant. A selection that runs nothing is a usage error
 * naming what there is — never an exit 0 that judged nothing.
 */
import { usageError } from '../core/errors.ts';
import type { Experiment } from '../experiment/definition.ts';
import type { Variant } from './plan-run.ts';

export interface SelectedRun {
  experiment: Experiment;
  variant: Variant | undefined;
}

export const variantList = (e: Experiment) =>
  e.variants.length ? `variants: ${e.variants.map((v) => v.name).join(', ')}` : 'it has no variants';

/**
 * The runs for these experiments. `named`: the user named them, so each must have the variant;
 * otherwise (all experiments) at least one must.
 */
export function selectRuns(
  experiments: Experiment[],
  variant: string | undefined,
  named: boolean,
): SelectedRun[] {
  if (experiments.length === 0) {
    throw usageError(
      'run.none',
      'there are no experiments to run',
      'add experiments/*.experiment.ts, or name a .experiment.ts file',
    );
  }
  const runs = experiments.flatMap((experiment) => {
    if (variant === undefined) {
      const variants = experiment.variants.length ? experiment.variants : [undefined];
      return variants.map((v) => ({ experiment, variant: v }));
    }
    const found = experiment.variants.find((v) => v.name === variant);
    if (!found && named) {
      throw usageError(
        'run.variant',
        `${experiment.name} has no variant "${variant}"`,
        variantList(experiment),
      );
    }
    return found ? [{ experiment, variant: found }] : [];
  });
  if (runs.length === 0) {
    throw usageError(
      'run.variant',
      `no experiment has a variant "${variant}"`,
      experiments.map((e) => `${e.name}: ${e.variants.map((v) => v.name).join(', ') || '(none)'}`).join('; '),
    );
  }
  return runs;
}
