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
} as const;

export type FixtureName = keyof typeof FIXTURES;

export function fixturePath(name: FixtureName): string {
  return `${FIXTURE_DIR}${FIXTURES[name]}`;
}

export function loadFixture(name: FixtureName): Promise<RunResult> {
  return readResult(fixturePath(name));
}
