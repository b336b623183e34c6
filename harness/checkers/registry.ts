/**
 * Checker kinds by name, as experiments list them (`checkers: ['stale-reads', { name: 'slo',
 * options: {...} }]`), and running them over a finished run.
 */
import { FaultlineError, usageError } from '../core/errors.ts';
import { cacheEffect } from './cache-effect.ts';
import type { Checker, CheckerDefinition, CheckResult, RunRecord } from './checker.ts';
import { failoverTime } from './failover-time.ts';
import { sessionsLost } from './sessions-lost.ts';
import { slo } from './slo.ts';
import { staleReads } from './stale-reads.ts';
import { timeToDetect } from './time-to-detect.ts';
import { timeToRecover } from './time-to-recover.ts';

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

/** Makes a checker from its options (undefined = defaults); throws a usage error for bad options. */
export type CheckerFactory = (options?: Record<string, unknown>) => Checker;

// Each factory validates its own options (zod, every problem at once), so `unknown` input is fine here.
export const checkerKinds: Readonly<Record<string, CheckerFactory>> = Object.freeze(
  Object.fromEntries(
    (definitions as readonly AnyCheckerDefinition[]).map((d) => [
      d.name,
      (options?: unknown) => d.create(options),
    ]),
  ),
);

/** A checker by name, or by name with options (the experiment definition's form). */
export type CheckerSpec = string | { name: string; options?: Record<string, unknown> };

function specName(spec: CheckerSpec): string {
  return typeof spec === 'string' ? spec : spec.name;
}

/** Makes the checker a spec names; throws a usage error for an unknown name or bad options. */
export function createChecker(spec: CheckerSpec): Checker {
  const name = specName(spec);
  const factory = Object.hasOwn(checkerKinds, name) ? checkerKinds[name] : undefined;
  if (!factory) {
    throw usageError(
      'CHECKER_UNKNOWN',
      `unknown checker "${name}"`,
      `known checkers: ${Object.keys(checkerKinds).join(', ')}`,
    );
  }
  return factory(typeof spec === 'string' ? undefined : spec.options);
}

/**
 * Every problem with a list of checker specs (unknown names, bad options), for validating an
 * experiment before it runs; empty when all are fine.
 */
export function checkerSpecProblems(specs: readonly CheckerSpec[]): string[] {
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
export function runCheckers(run: RunRecord, specs: readonly CheckerSpec[]): CheckResult[] {
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
