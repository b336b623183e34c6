import assert from 'node:assert/strict';
import { selectRuns } from './selection.ts';

describe('selecting runs', () => {
  it('no experiments at all is a usage error, not an empty (green) run', () => {
    assert.throws(
      () => selectRuns([], undefined, false),
      (err: Error & { exitCode: number }) => err.exitCode === 2 && /no experiments to run/.test(err.message),
    );
  });
});
