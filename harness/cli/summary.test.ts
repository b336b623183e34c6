import assert from 'node:assert/strict';
import { loadFixture, ownMetricResult } from '../../reports/html/fixtures.ts';
import { formatSummary } from './summary.ts';

describe('the end-of-run summary', () => {
  it('gives each measured value in its unit, as the HTML report does', async () => {
    const lag = await loadFixture('replica-lag');
    const lb = await loadFixture('lb-backend-death');
    const cache = await loadFixture('cache-node-loss');
    const text = formatSummary(
      [
        { result: lag, path: 'runs/replica-lag/1/result.json' },
        { result: lb, path: 'runs/lb-backend-death/1/result.json' },
        { result: cache, path: 'runs/cache-node-loss/1/result.json' },
      ],
      { json: false },
    );
    assert.equal(
      text,
      [
        'PASS    replica-lag [mitigation=none]',
        '        holds   stale-read-rate > 0% during fault (measured 97.5 %)',
        '        holds   error-rate < 1% during fault (measured 0 %)',
        '        → runs/replica-lag/1/result.json',
        'PASS    lb-backend-death [checks=fast]',
        '        holds   failover-time < 3s (measured 317 ms)',
        '        holds   error-rate < 5% during fault (measured 4.72 %)',
        '        → runs/lb-backend-death/1/result.json',
        'INVALID cache-node-loss — the load generator fell behind: send lag p99 23.6 ms > 10 ms (lower the rate or free the CPU)',
        '        holds   error-rate < 1% during fault (measured 0 %)',
        '        holds   p99 < 500ms during fault (measured 47.2 ms)',
        '        → runs/cache-node-loss/1/result.json',
        '',
      ].join('\n'),
    );
  });

  it("gives a metric of the experiment's own checker in its unit, as result.json names it", async () => {
    const lines = formatSummary([{ result: await ownMetricResult(), path: 'r.json' }], { json: false });
    assert.match(lines, /^ {8}FAILS {3}slow-request-ratio < 5% during fault \(measured 7 %\)$/m);
  });

  it('says "never" for a time that never came (stored as null), and n/a for what was not measured', async () => {
    const lb = await loadFixture('lb-backend-death');
    const [failover, errors] = lb.hypotheses as [(typeof lb.hypotheses)[0], (typeof lb.hypotheses)[0]];
    const result = {
      ...lb,
      verdict: 'fail' as const,
      hypotheses: [
        { ...failover, value: null, holds: false },
        { ...errors, value: null, holds: 'unknown' as const },
      ],
    };
    const lines = formatSummary([{ result, path: 'r.json' }], { json: false }).split('\n');
    assert.equal(lines[1], '        FAILS   failover-time < 3s (measured never)');
    assert.equal(lines[2], '        unknown error-rate < 5% during fault (measured n/a)');
  });

  it('says why a run is invalid, also when only its load generator fell behind', async () => {
    const behind = await loadFixture('cache-node-loss'); // completed, but the generator fell behind
    const stopped = {
      ...behind,
      status: 'aborted' as const,
      statusReason: 'stopped by the user',
      generator: { ...behind.generator, valid: true },
    };
    const text = formatSummary(
      [
        { result: behind, path: 'a.json' },
        { result: stopped, path: 'b.json' },
      ],
      { json: false },
    );
    assert.deepEqual(
      text.split('\n').filter((l) => l.startsWith('INVALID')),
      [
        'INVALID cache-node-loss — the load generator fell behind: send lag p99 23.6 ms > 10 ms (lower the rate or free the CPU)',
        'INVALID cache-node-loss — stopped by the user',
      ],
    );
  });

  it('with --json, one JSON line per run and nothing else', async () => {
    const result = await loadFixture('cdn-origin-outage');
    const text = formatSummary([{ result, path: 'runs/cdn/1/result.json' }], { json: true });
    assert.deepEqual(JSON.parse(text), {
      experiment: 'cdn-origin-outage',
      variant: null,
      verdict: 'fail',
      status: 'completed',
      path: 'runs/cdn/1/result.json',
    });
    assert.equal(text.split('\n').length, 2);
  });
});
