/**
 * Checker kinds by name, as experiments list them (`checkers: ['stale-reads', { name: 'slo',
 * options: {...} }]`, or a user's own definition in place of a name), and running them over a
 * finished run.
 */
import { FaultlineError, usageError } from '../core/errors.ts';
import { parseOrThrow } from '../core/validation.ts';
import { ackedWritesLost } from './acked-writes-lost.ts';
import { cacheEffect } from './cache-effect.ts';
import { cacheStaleness } from './cache-staleness.ts';
import { cacheStampede } from './cache-stampede.ts';
import { cdnFreshness } from './cdn-freshness.ts';
import {
  type Checker,
  type CheckerDefinition,
  type CheckResult,
  isCheckerDefinition,
  type RunRecord,
} from './checker.ts';
import { failoverTime } from './failover-time.ts';
import { sessionsLost } from './sessions-lost.ts';
import { slo } from './slo.ts';
import { splitBrain } from './split-brain.ts';
import { staleReads } from './stale-reads.ts';
import { timeToDetect } from './time-to-detect.ts';
import { timeToRecover } from './time-to-recover.ts';
import { writeUnavailability } from './write-unavailability.ts';

// One line per checker kind: everything else (metrics, compare's directions, the report's evidence
// schemas) is read from its definition.
const definitions = [
  staleReads,
  sessionsLost,
  failoverTime,
  timeToDetect,
  timeToRecover,
  cacheEffect,
  slo,
  writeUnavailability,
  ackedWritesLost,
  splitBrain,
  cacheStaleness,
  cacheStampede,
  cdnFreshness,
] as const;

type Definition = (typeof definitions)[number];
export type CheckerName = Definition['name'];

/** A checker kind whatever its options and analysis types, as the registry's users read it. */
// biome-ignore lint/suspicious/noExplicitAny: the options, analysis and evidence types differ per kind
export type AnyCheckerDefinition = CheckerDefinition<string, any, any, any>;

/** Every checker kind's definition by name, each with its own types (e.g. its evidence schema). */
export const checkerDefinitions = Object.freeze(
  Object.fromEntries(definitions.map((d) => [d.name, d])) as { [D in Definition as D['name']]: D },
);

export function isCheckerName(name: string): name is CheckerName {
  return Object.hasOwn(checkerDefinitions, name);
}

/** A checker by name, or by name with options, as a validated experiment (and result.json) names it. */
export type CheckerSpec = string | { name: string; options?: Record<string, unknown> };

/**
 * A checker as an experiment gives it: a checker kind by name or a definition of the user's own
 * (`defineChecker`), either alone or with options: `['slo', myChecker, { name: myChecker, options }]`.
 */
export type CheckerSpecInput =
  | CheckerSpec
  | AnyCheckerDefinition
  | { name: string | AnyCheckerDefinition; options?: Record<string, unknown> };

const NAME = /^[a-z][a-z0-9-]*$/;
// A user's own definition rides along with its named spec unseen: result.json names it.
const USER_CHECKER = Symbol('faultline.user-checker');

/** A user's own definition, if it may be used: its name is well formed and no built-in checker's. */
function userDefinition(definition: AnyCheckerDefinition): AnyCheckerDefinition {
  const name = definition.name;
  if (isCheckerName(name) && checkerDefinitions[name] === definition) return definition;
  if (isCheckerName(name)) {
    throw usageError(
      'CHECKER_BUILT_IN',
      `checker "${name}" is built in`,
      'give your own checker (defineChecker) a name of its own; faultline list shows the built-in ones',
    );
  }
  if (!NAME.test(name)) {
    throw usageError(
      'CHECKER_NAME',
      `checker "${name}" is not a name`,
      'name a checker with lowercase words joined by dashes, e.g. slow-requests',
    );
  }
  return definition;
}

function definitionNamed(name: string): AnyCheckerDefinition {
  if (isCheckerName(name)) return checkerDefinitions[name];
  throw usageError(
    'CHECKER_UNKNOWN',
    `unknown checker "${name}"`,
    `known checkers: ${Object.keys(checkerDefinitions).join(', ')}, or one of your own made with defineChecker`,
  );
}

/** The definition a spec names and the options it gives (undefined: the defaults). */
function resolveSpec(spec: CheckerSpecInput): { definition: AnyCheckerDefinition; options: unknown } {
  if (typeof spec === 'string') return { definition: definitionNamed(spec), options: undefined };
  if (isCheckerDefinition(spec)) return { definition: userDefinition(spec), options: undefined };
  const name = (spec as { [USER_CHECKER]?: AnyCheckerDefinition })[USER_CHECKER] ?? spec.name;
  const definition = typeof name === 'string' ? definitionNamed(name) : userDefinition(name);
  return { definition, options: spec.options };
}

function specName(spec: CheckerSpecInput): string {
  if (typeof spec === 'string') return spec;
  return isCheckerDefinition(spec) ? spec.name : typeof spec.name === 'string' ? spec.name : spec.name.name;
}

/** The user's own definition a spec gives (a built-in one's name gives none), or undefined. */
function ownDefinition(spec: CheckerSpecInput): AnyCheckerDefinition | undefined {
  if (typeof spec !== 'object' || spec === null) return undefined;
  const definition = isCheckerDefinition(spec)
    ? spec
    : ((spec as { [USER_CHECKER]?: AnyCheckerDefinition })[USER_CHECKER] ?? spec.name);
  if (!isCheckerDefinition(definition)) return undefined;
  const name = definition.name;
  return isCheckerName(name) && checkerDefinitions[name] === definition ? undefined : definition;
}

/**
 * The user's own checker definitions among an experiment's checkers (as given, or as a validated
 * experiment names them), each once: what declares its own hypothesis metrics.
 */
export function ownCheckerDefinitions(specs: readonly CheckerSpecInput[]): AnyCheckerDefinition[] {
  const own = specs.map(ownDefinition).filter((d) => d !== undefined);
  return [...new Set(own)];
}

/** The spec with its checker named (a user's definition carried along unseen), for a validated experiment. */
export function namedCheckerSpec(spec: CheckerSpecInput): CheckerSpec {
  if (typeof spec === 'string') return spec;
  const definition = isCheckerDefinition(spec) ? spec : typeof spec.name === 'string' ? undefined : spec.name;
  const options = isCheckerDefinition(spec) ? {} : spec.options;
  const named = { name: specName(spec), ...(options === undefined ? {} : { options }) };
  if (definition) Object.defineProperty(named, USER_CHECKER, { value: definition });
  return named;
}

/**
 * Makes the checker a spec names, its options checked against the checker's schema first; throws a
 * usage error for an unknown name, a user's checker named like a built-in one, or bad options.
 */
export function createChecker(spec: CheckerSpecInput): Checker {
  const { definition, options } = resolveSpec(spec);
  parseOrThrow(
    definition.options,
    options ?? {},
    `options of checker "${definition.name}"`,
    'CHECKER_OPTIONS_INVALID',
    `fix the listed options of the ${definition.name} checker`,
  );
  return definition.create(options);
}

/**
 * Every problem with a list of checker specs (unknown names, bad options), for validating an
 * experiment before it runs; empty when all are fine.
 */
export function checkerSpecProblems(specs: readonly CheckerSpecInput[]): string[] {
  const problems: string[] = [];
  for (const [i, spec] of specs.entries()) {
    try {
      createChecker(spec);
    } catch (err) {
      problems.push(
        `checkers.${i}: ${err instanceof FaultlineError ? err.oneLine() : (err as Error).message}`,
      );
    }
  }
  return problems;
}

/**
 * Runs the named checkers over a finished run, in the order given. Never throws: a checker that
 * cannot be made or that fails is reported as valid 'unknown' with the error (the run's record is
 * worth keeping whatever a checker does); validate specs up front with checkerSpecProblems().
 */
export function runCheckers(run: RunRecord, specs: readonly CheckerSpecInput[]): CheckResult[] {
  return specs.map((spec) => {
    const name = specName(spec);
    try {
      return createChecker(spec).check(run);
    } catch (err) {
      const message = err instanceof FaultlineError ? err.oneLine() : String((err as Error)?.message ?? err);
      return {
        checker: name,
        valid: 'unknown',
        summary: `checker failed: ${message}`,
        evidence: { error: message },
      };
    }
  });
}
