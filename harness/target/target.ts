/**
 * A target: the system faultline puts under test, composed from the seed architecture's components
 * (targets/<name>/target.ts, `export default defineTarget({...})`). Its options are the topology
 * options experiments and `faultline up` give; `compose` turns them into the services and links the
 * runtimes start. The runtimes never see a target's internals, only its composition.
 */
import { z } from 'zod';
import type { Composition } from '../components/composition.ts';
import type { WebApp } from '../components/web-app.ts';
import { parseOrThrow } from '../core/validation.ts';

export interface TargetDefinition<S extends z.ZodObject = z.ZodObject> {
  /** Lowercase words joined by dashes; targets/<name>/target.ts is found by it. */
  readonly name: string;
  readonly description: string;
  /** The topology options (strict, with defaults), usually `architectureSchema.extend({...})`. */
  readonly options: S;
  compose(options: z.output<S>): Composition;
}

const TARGET = Symbol.for('faultline.target');

/** Types a target and marks it, so an experiment's `target` can be checked to be one. */
export function defineTarget<S extends z.ZodObject>(target: TargetDefinition<S>): TargetDefinition {
  // An experiment copy in result.json names its target rather than serialising its schema.
  return Object.assign(Object.create(null), target, { [TARGET]: true, toJSON: () => target.name });
}

export function isTarget(value: unknown): value is TargetDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TARGET] === true;
}

/** The composition for these topology options (a usage error names every bad option), with `app` as its web tier when given. */
export function composeTarget(target: TargetDefinition, input: unknown, app?: WebApp): Composition {
  const options = parseOrThrow(
    target.options,
    input ?? {},
    'topology options',
    'topology.options',
    `fix the listed options of the ${target.name} target`,
  );
  const composition = target.compose(options);
  return app ? { ...composition, app } : composition;
}

export const targetNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'lowercase words joined by dashes, e.g. shop');
