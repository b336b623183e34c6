import assert from 'node:assert/strict';
import { ErrorCodes, type Sample } from '../samples/sample.ts';
import { countSample, createCounters, errorRateOf, mergeCounters, totalOf } from './counters.ts';

const sample = (extra: Partial<Sample>): Sample => ({
  request: 'GET /',
  intendedAt: 0,
  sentAt: 0,
  doneAt: 1,
  outcome: 'ok',
  ...extra,
});

describe('metrics/counters', () => {
  it('counts outcomes, errors and statuses', () => {
    const c = createCounters();
    countSample(c, sample({ status: 200 }));
    countSample(c, sample({ status: 200 }));
    countSample(c, sample({ outcome: 'fail', status: 503 }));
    countSample(c, sample({ outcome: 'fail', error: 'ECONNREFUSED' }));
    countSample(c, sample({ outcome: 'info', error: ErrorCodes.timeout }));
    assert.deepEqual([c.ok, c.fail, c.info, c.dropped], [2, 2, 1, 0]);
    assert.deepEqual({ ...c.byStatus }, { 200: 2, 503: 1 });
    assert.deepEqual({ ...c.byError }, { ECONNREFUSED: 1, TIMEOUT: 1 });
  });

  it('a dropped sample (never sent) counts as dropped only, not under its outcome', () => {
    const c = createCounters();
    countSample(c, sample({ sentAt: undefined, outcome: 'fail', error: ErrorCodes.dropped }));
    assert.deepEqual([c.ok, c.fail, c.info, c.dropped], [0, 0, 0, 1]);
    assert.deepEqual({ ...c.byError }, { DROPPED: 1 });
    assert.equal(totalOf(c), 1);
  });

  it('error codes that look like Object.prototype keys count like any other', () => {
    const c = createCounters();
    for (const error of ['constructor', '__proto__', 'toString', 'constructor']) {
      countSample(c, sample({ outcome: 'fail', error }));
    }
    assert.deepEqual(Object.entries(c.byError), [
      ['constructor', 2],
      ['__proto__', 1],
      ['toString', 1],
    ]);
  });

  it('merges by summing every count, leaving the inputs unchanged', () => {
    const a = createCounters();
    const b = createCounters();
    countSample(a, sample({ status: 200 }));
    countSample(b, sample({ status: 200 }));
    countSample(b, sample({ outcome: 'fail', status: 500, error: 'HTTP_500' }));
    countSample(b, sample({ sentAt: undefined, outcome: 'fail', error: ErrorCodes.dropped }));
    const m = mergeCounters([a, b, JSON.parse(JSON.stringify(a))]);
    assert.deepEqual([m.ok, m.fail, m.info, m.dropped], [3, 1, 0, 1]);
    assert.deepEqual({ ...m.byStatus }, { 200: 3, 500: 1 });
    assert.deepEqual({ ...m.byError }, { HTTP_500: 1, DROPPED: 1 });
    assert.equal(a.ok, 1);
    assert.deepEqual(mergeCounters([]), createCounters());
  });

  it('error rate: everything not ok (fail, info, dropped) over all samples; 0 when empty', () => {
    const c = createCounters();
    assert.equal(errorRateOf(c), 0);
    countSample(c, sample({}));
    countSample(c, sample({ outcome: 'fail' }));
    countSample(c, sample({ outcome: 'info' }));
    countSample(c, sample({ sentAt: undefined, outcome: 'fail' }));
    assert.equal(errorRateOf(c), 0.75);
  });
});
