/**
 * Experiment definitions (experiments/*.experiment.ts): the target and its topology options (checked
 * against the target when the run is planned, plan-run.ts), the user's own app, load, phases, faults,
 * steady state, hypotheses, checkers and variants. `defineExperiment` only types a definition;
 * `validateExperiment` checks it strictly and reports every problem at once with its path.
 */
import { z } from 'zod';
import { isCheckerDefinition } from '../checkers/checker.ts';
import {
  experimentMetrics,
  isKnownMetric,
  type MetricTable,
  metricNames,
} from '../checkers/metric-values.ts';
import {
  type AnyCheckerDefinition,
  checkerSpecProblems,
  namedCheckerSpec,
  ownCheckerDefinitions,
} from '../checkers/registry.ts';
import { appSpecSchema } from '../components/web-app.ts';
import { durationSchema } from '../core/duration.ts';
import { FaultlineError, usageError } from '../core/errors.ts';
import { describeIssues } from '../core/validation.ts';
import { type FaultKind, isFaultKind } from '../faults/fault.ts';
import { faultParams, namedFaultSpec, ownFaultKinds } from '../faults/registry.ts';
import { experimentLoadSchema, phasesProblem } from '../load/load-spec.ts';
import { DEFAULT_TARGET } from '../target/catalog.ts';
import { isTarget, type TargetDefinition, targetNameSchema } from '../target/target.ts';
import { parseHypothesis, thresholdUnitProblem } from './hypothesis.ts';

export const PHASES = ['warmup', 'baseline', 'fault', 'recovery'] as const;
export type PhaseName = (typeof PHASES)[number];

const isPhase = (name: string): boolean => (PHASES as readonly string[]).includes(name);

// A hypothesis's form and phase; its metric and unit are checked with the experiment's own
// checkers known (hypothesisMetricProblems).
const hypothesisText = z.string().superRefine((text, ctx) => {
  const parsed = parseHypothesis(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  else if (parsed.phase && !isPhase(parsed.phase)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}": unknown phase "${parsed.phase}" (phases: ${PHASES.join(', ')})`,
    });
  }
});

/** What is wrong with the metric or the threshold's unit of a well-formed hypothesis, given `table`. */
function metricProblem(text: string, table: MetricTable): string | undefined {
  const parsed = parseHypothesis(text);
  // hypothesisText says what is wrong with one that is not well formed.
  if (typeof parsed === 'string' || (parsed.phase && !isPhase(parsed.phase))) return undefined;
  const definition = Object.hasOwn(table, parsed.metric) ? table[parsed.metric] : undefined;
  if (definition) return thresholdUnitProblem(text, definition.unit);
  const own = Object.keys(table).filter((name) => !isKnownMetric(name));
  const ownList = own.length === 0 ? '' : `; of the experiment's own checkers: ${own.join(', ')}`;
  return `"${text}": unknown metric "${parsed.metric}" (metrics: ${metricNames.join(', ')}${ownList})`;
}

/**
 * Every hypothesis text (steady state, hypotheses, each variant's) with its path, read defensively:
 * this runs even when other fields failed, so that every problem is reported at once.
 */
function hypothesisTexts(experiment: Record<string, unknown>): { path: (string | number)[]; text: string }[] {
  const texts = (list: unknown, path: (string | number)[]) =>
    Array.isArray(list)
      ? list.flatMap((text, i) => (typeof text === 'string' ? [{ path: [...path, i], text }] : []))
      : [];
  const variants: unknown[] = Array.isArray(experiment.variants) ? experiment.variants : [];
  return [
    ...texts(experiment.steadyState, ['steadyState']),
    ...texts(experiment.hypotheses, ['hypotheses']),
    ...variants.flatMap((v, i) =>
      texts((v as { hypotheses?: unknown } | null)?.hypotheses, ['variants', i, 'hypotheses']),
    ),
  ];
}

/** Each hypothesis's metric checked against the built-in ones and the experiment's own checkers'. */
function hypothesisMetricProblems(experiment: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (typeof experiment !== 'object' || experiment === null) return;
  let table: MetricTable;
  try {
    table = experimentMetrics(Array.isArray(experiment.checkers) ? experiment.checkers : []);
  } catch {
    return; // a metric of its own checkers is misnamed or taken: reported under checkers
  }
  for (const { path, text } of hypothesisTexts(experiment)) {
    const message = metricProblem(text, table);
    if (message) ctx.addIssue({ code: 'custom', path, message });
  }
}

/** A name two different definitions of the experiment's own share: its results could not tell them apart. */
function sharedNameProblem(what: string, names: readonly string[], ctx: z.RefinementCtx): void {
  const shared = names.find((name, i) => names.indexOf(name) !== i);
  if (shared === undefined) return;
  ctx.addIssue({
    code: 'custom',
    message: `two different ${what}s are named "${shared}": give each of your own a name of its own`,
  });
}

/** A usage error thrown by `check` as the issue of a refinement (its message names the problem). */
function issueOf(check: () => unknown, ctx: z.RefinementCtx): void {
  try {
    check();
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof FaultlineError ? err.message : String(err) });
  }
}

// A fault's kind: a built-in kind's name, or a user's own kind made with defineFault.
const faultSpec = z
  .object({
    kind: z.union([
      z.string().min(1),
      z.custom<FaultKind>(isFaultKind, 'a fault kind name, or a fault made with defineFault'),
    ]),
  })
  .passthrough()
  .superRefine((spec, ctx) => issueOf(() => faultParams(spec), ctx))
  .transform(namedFaultSpec);

// A checker: a built-in checker's name, or a user's own made with defineChecker; alone or with options.
const checkerName = z.union([
  z.string().min(1),
  z.custom<AnyCheckerDefinition>(isCheckerDefinition, 'a checker name, or a checker made with defineChecker'),
]);
const checkerSpec = z
  .union([
    checkerName,
    z.object({ name: checkerName, options: z.record(z.string(), z.unknown()).default({}) }).strict(),
  ])
  .transform(namedCheckerSpec);

export const experimentSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lowercase words joined by dashes, e.g. replica-lag'),
    description: z.string().min(1),
    /** What runs: a target's name (targets/<name>/target.ts), a target.ts path, or an imported definition. */
    target: z
      .custom<string | TargetDefinition>(
        (v) =>
          (typeof v === 'string' && (targetNameSchema.safeParse(v).success || /\.m?ts$/.test(v))) ||
          isTarget(v),
        'a target name (e.g. shop), the path of a target.ts file, or defineTarget({...})',
      )
      .default(DEFAULT_TARGET),
    /** The target's topology options (web, cache, replicas, ...), checked against the target's schema. */
    topology: z.record(z.string(), z.unknown()).default({}),
    /** The user's own web app in place of the target's (docs/targets.md). */
    app: appSpecSchema.optional(),
    load: experimentLoadSchema,
    /** Load runs through all four; the fault is injected at the start of `fault` and healed at its end. */
    phases: z
      .object({
        warmup: durationSchema.default(3000),
        baseline: durationSchema,
        fault: durationSchema,
        recovery: durationSchema,
      })
      .strict(),
    faults: z
      .array(faultSpec)
      .min(1)
      .superRefine((specs, ctx) =>
        sharedNameProblem(
          'fault kind',
          ownFaultKinds(specs).map((k) => k.kind),
          ctx,
        ),
      ),
    /** Checked over the baseline before any fault: a sick system is "not steady", not a fault's victim. */
    steadyState: z.array(hypothesisText).default(['error-rate < 1% during baseline']),
    hypotheses: z.array(hypothesisText).min(1),
    checkers: z
      .array(checkerSpec)
      .default([])
      .superRefine((specs, ctx) => {
        for (const problem of checkerSpecProblems(specs)) ctx.addIssue({ code: 'custom', message: problem });
        sharedNameProblem(
          'checker',
          ownCheckerDefinitions(specs).map((d) => d.name),
          ctx,
        );
        try {
          experimentMetrics(specs);
        } catch (err) {
          const message = err instanceof FaultlineError ? err.oneLine() : String(err);
          ctx.addIssue({ code: 'custom', message });
        }
      }),
    seed: z.number().int().default(1),
    /** The same experiment again with other topology options (e.g. each mitigation mode), hypotheses or faults. */
    variants: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-z0-9][a-z0-9=.-]*$/),
            topology: z.record(z.string(), z.unknown()).default({}),
            hypotheses: z.array(hypothesisText).min(1).optional(),
            /** Other faults for this variant (e.g. the same change made another way); default the experiment's. */
            faults: z.array(faultSpec).min(1).optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
  .superRefine((experiment, ctx) => {
    // Load runs through every phase, so an executor with a length of its own must fit them.
    const phasesMs = PHASES.reduce((sum, phase) => sum + experiment.phases[phase], 0);
    const problem = phasesProblem(experiment.load.executor, phasesMs);
    if (problem) ctx.addIssue({ code: 'custom', path: ['load', 'executor'], message: problem });
  })
  .superRefine((experiment, ctx) => hypothesisMetricProblems(experiment, ctx), { when: () => true });

export type ExperimentInput = z.input<typeof experimentSchema>;
export type Experiment = z.output<typeof experimentSchema>;

/** Types an experiment definition; validation happens when it is loaded (every problem at once). */
export function defineExperiment(definition: ExperimentInput): ExperimentInput {
  return definition;
}

export function validateExperiment(input: unknown, source: string): Experiment {
  const result = experimentSchema.safeParse(input);
  if (!result.success) {
    throw usageError(
      'experiment.invalid',
      `${source}: invalid experiment: ${describeIssues(result.error)}`,
      'fix the listed fields',
    );
  }
  return result.data;
}

/** Phase windows (ms from the start of load), with a global scale for quick runs. */
export function phaseWindows(
  experiment: Experiment,
  durationScale = 1,
): { name: PhaseName; startMs: number; endMs: number }[] {
  let t = 0;
  return PHASES.map((name) => {
    const length = Math.round(experiment.phases[name] * durationScale);
    const window = { name, startMs: t, endMs: t + length };
    t += length;
    return window;
  });
}
