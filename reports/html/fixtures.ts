/** The committed report fixtures (reports/fixtures/, see its README), for tests. */
import { fileURLToPath } from 'node:url';
import { type RunResult, readResult } from '../../harness/journal/index.ts';

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

export const FIXTURES = {
  'replica-lag': 'replica-lag.mitigation-none.result.json',
  'lb-backend-death': 'lb-backend-death.checks-fast.result.json',
  'session-loss': 'session-loss.sessions-memory.result.json',
  'cdn-origin-outage': 'cdn-origin-outage.result.json',
  'cache-node-loss': 'cache-node-loss.result.json',
  'cdn-invalidation': 'cdn-invalidation.invalidate-ban.result.json',
} as const;

export type FixtureName = keyof typeof FIXTURES;

export function fixturePath(name: FixtureName): string {
  return `${FIXTURE_DIR}${FIXTURES[name]}`;
}

export function loadFixture(name: FixtureName): Promise<RunResult> {
  return readResult(fixturePath(name));
}

/**
 * A fixture as a run with a checker of the experiment's own (defineChecker) writes it: that
 * checker's result, and a failed hypothesis on its metric, a ratio no built-in table knows (7 % of
 * the requests were slow during the fault, 5 % allowed). result.json names the unit and checker.
 */
export async function ownMetricResult(): Promise<RunResult> {
  const result = await loadFixture('cdn-origin-outage');
  result.checks.push({
    checker: 'slow-requests',
    valid: false,
    value: 7,
    unit: 'count',
    summary: '7 of 100 requests were slow',
    evidence: { requests: 100, slow: 7 },
  });
  result.hypotheses.push({
    text: 'slow-request-ratio < 5% during fault',
    metric: 'slow-request-ratio',
    unit: 'ratio',
    checker: 'slow-requests',
    phase: 'fault',
    op: '<',
    threshold: 0.05,
    value: 0.07,
    holds: false,
  });
  return result;
}
