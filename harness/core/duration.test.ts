import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from './duration.ts';

describe('durations as people write them', () => {
  it('reads ms, s, m, h, compounds and bare milliseconds', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('5s'), 5000);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('0.5s'), 500);
    assert.equal(parseDuration('250'), 250);
    assert.equal(parseDuration(42), 42);
  });

  it('rejects anything else with a hint, as a usage error (exit 2)', () => {
    for (const bad of ['', '5 sec', 'fast', '-1s', '5s junk', '1d']) {
      assert.throws(
        () => parseDuration(bad, '--duration'),
        (err: Error & { exitCode?: number }) => {
          assert.match(err.message, /--duration ".*" is not a duration/);
          assert.equal(err.exitCode, 2);
          return true;
        },
      );
    }
  });

  it('prints durations back compactly', () => {
    assert.equal(formatDuration(250), '250ms');
    assert.equal(formatDuration(1500), '1.5s');
    assert.equal(formatDuration(90_000), '1m30s');
  });
});
