/**
 * The committed compare fixtures (reports/fixtures/compare/, see its README for how each was
 * produced), for tests: every result.json of a set, read and validated like any other.
 */
import { resolve } from 'node:path';
import { type LoadedResult, loadResults } from './inputs.ts';

export const FIXTURES = resolve(new URL('../fixtures/compare', import.meta.url).pathname);

export type FixtureSet =
  | 'baseline'
  | 'rerun'
  | 'replica-120ms'
  | 'replica-300ms'
  | 'lb-backend-death'
  | 'short';

export function fixtureDir(set: FixtureSet): string {
  return resolve(FIXTURES, set);
}

export function loadFixture(set: FixtureSet): Promise<LoadedResult[]> {
  return loadResults(fixtureDir(set));
}
