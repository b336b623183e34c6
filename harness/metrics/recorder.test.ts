import assert from 'node:assert/strict';
import { ErrorCodes, type Sample } from '../samples/sample.ts';
import { createHistogram, encodeHistogram, mergeHistograms, summarize } from './histogram.ts';
import { MetricsRecorder, recordSamples } from './recorder.ts';
import { type MetricsSnapshot, snapshotFromJSON } from './snapshot.ts';

/** A sample sent `lag` ms after it was intended, answered `service` ms after it was sent. */
function sent(intendedAt: number, lag: number, service: number, extra: Partial<Sample> = {}): Sample {
  return {
    request: 'GET /products/:id',
    intendedAt,
    sentAt: intendedAt + lag,
    doneAt: intendedAt + lag + service,
    outcome: 'ok',
    status: 200,
    ...extra,
  };
}

function dropped(intendedAt: number, extra: Partial<Sample> = {}): Sample {
  return {
    request: 'GET /products/:id',
    intendedAt,
    doneAt: intendedAt,
    outcome: 'fail',
    error: ErrorCodes.dropped,
    ...extra,
  };
}

function onlyPhase(snapshot: MetricsSnapshot, name = 'baseline') {
  const phase = snapshot.phases.find((p) => p.phase === name);
  assert.ok(phase, `phase ${name} recorded`);
  return phase;
}

/** A run's worth of varied samples over three phases, for whole-snapshot checks. */
function varied(recorder: MetricsRecorder): void {
  let t = 0;
  for (const phase of ['warmup', 'baseline', 'fault']) {
    for (let i = 0; i < 600; i++, t += 7.3) {
      const request = i % 3 === 0 ? 'POST /cart' : 'GET /products/:id';
      if (phase === 'fault' && i % 10 === 0) recorder.record(dropped(t, { request }), phase);
      else if (phase === 'fault' && i % 7 === 0)
        recorder.record(
          sent(t, 0.2, 5000, { request, outcome: 'info', error: 'TIMEOUT', status: undefined }),
          phase,
        );
      else recorder.record(sent(t, (i % 5) * 0.1, 1 + (i % 50) * 0.37, { request }), phase);
    }
  }
}

describe('metrics/recorder', () => {
  it('measures latency from intendedAt and service time from sentAt', () => {
    const recorder = new MetricsRecorder();
    recorder.record(sent(100, 900, 10), 'baseline');
    const phase = onlyPhase(recorder.snapshot());
    const latency = summarize(phase.latency);
    const service = summarize(phase.serviceTime);
    assert.ok(Math.abs(latency.max - 910) <= 0.91, `latency ${latency.max} ms ≈ 910 ± 0.1 %`);
    assert.ok(Math.abs(service.max - 10) <= 0.01, `service time ${service.max} ms ≈ 10 ± 0.1 %`);
    assert.equal(summarize(phase.requests[0]?.latency ?? createHistogram()).max, latency.max);
  });

  it('counts dropped samples but keeps them out of every histogram', () => {
    const recorder = new MetricsRecorder();
    recorder.record(sent(10, 0, 5), 'baseline');
    recorder.record(dropped(20), 'baseline');
    recorder.record(dropped(30), 'baseline');
    const phase = onlyPhase(recorder.snapshot());
    assert.equal(phase.counters.dropped, 2);
    assert.equal(phase.counters.ok, 1);
    assert.equal(phase.counters.byError.DROPPED, 2);
    assert.equal(phase.latency.totalCount, 1);
    assert.equal(phase.serviceTime.totalCount, 1);
    assert.equal(phase.buckets[0]?.latency.totalCount, 1);
    assert.equal(phase.requests[0]?.latency.totalCount, 1);
    assert.equal(phase.requests[0]?.counters.dropped, 2);
    assert.equal(phase.buckets[0]?.completed, 1, 'a dropped request completes nothing');
  });

  it('assigns buckets by floor(intendedAt / width) on the run clock, whenever the answer came', () => {
    const recorder = new MetricsRecorder({ bucketWidthMs: 500 });
    recorder.record(sent(0, 0, 1), 'baseline');
    recorder.record(sent(499.9, 0, 1), 'baseline');
    recorder.record(sent(500, 0, 1), 'baseline');
    recorder.record(sent(1700, 2000, 1), 'baseline'); // intended in bucket 3, done in bucket 7
    recorder.record(dropped(2600), 'baseline');
    const phase = onlyPhase(recorder.snapshot());
    const buckets = phase.buckets.map((b) => ({
      index: b.index,
      startMs: b.startMs,
      intended: b.counters.ok + b.counters.dropped,
      completed: b.completed,
    }));
    assert.deepEqual(buckets, [
      { index: 0, startMs: 0, intended: 2, completed: 1 },
      { index: 1, startMs: 500, intended: 1, completed: 2 }, // 499.9 + 1 ms is done in bucket 1
      { index: 3, startMs: 1500, intended: 1, completed: 0 },
      { index: 5, startMs: 2500, intended: 1, completed: 0 },
      { index: 7, startMs: 3500, intended: 0, completed: 1 },
    ]);
    assert.ok(
      summarize(phase.buckets[2]?.latency ?? createHistogram()).max >= 2001,
      'latency stays in bucket 3',
    );
  });

  it('puts a bucket boundary on the origin, so no bucket holds requests from both sides of it', () => {
    // The fault was actuated at 2069.5 ms: one failure 30 ms before, the errors after.
    const recorder = new MetricsRecorder({ bucketWidthMs: 1000, originMs: 2069.5 });
    recorder.record(sent(2039.5, 0, 1), 'fault');
    recorder.record(sent(2069.5, 0, 1, { outcome: 'fail', status: 503 }), 'fault');
    recorder.record(sent(3069, 0, 0.2, { outcome: 'fail', status: 503 }), 'fault');
    recorder.record(sent(40, 0, 1), 'warmup');
    const snapshot = recorder.snapshot();
    assert.equal(snapshot.originMs, 2069.5);
    assert.deepEqual(
      onlyPhase(snapshot, 'fault').buckets.map((b) => [b.index, b.startMs, b.counters.ok, b.counters.fail]),
      [
        [-1, 1069.5, 1, 0],
        [0, 2069.5, 0, 2],
      ],
    );
    assert.deepEqual(
      onlyPhase(snapshot, 'warmup').buckets.map((b) => [b.index, b.startMs]),
      [[-3, -930.5]],
      'before the origin the grid goes on backwards',
    );
    assert.throws(() => new MetricsRecorder({ originMs: Number.NaN }), /finite/);
  });

  it('recordSamples buckets a finished run anew, as a recorder fed the same samples would have', () => {
    const samples = [sent(10, 0, 1), sent(990, 0, 20), sent(1500, 0, 5, { outcome: 'fail' })];
    const phaseOf = (s: Sample) => (s.intendedAt < 1000 ? 'baseline' : 'fault');
    const live = new MetricsRecorder({ originMs: 700 });
    for (const s of samples) live.record(s, phaseOf(s));
    assert.equal(
      JSON.stringify(recordSamples(samples, phaseOf, { originMs: 700 })),
      JSON.stringify(live.snapshot()),
    );
  });

  it('keeps phases apart, in the order first recorded, and a per-request breakdown in each', () => {
    const recorder = new MetricsRecorder();
    recorder.record(sent(0, 0, 1), 'warmup');
    recorder.record(sent(1000, 0, 2, { request: 'POST /cart' }), 'fault');
    recorder.record(sent(1001, 0, 3, { outcome: 'fail', status: 503 }), 'fault');
    recorder.record(sent(1002, 0, 4, { request: 'POST /cart' }), 'warmup');
    const snapshot = recorder.snapshot();
    assert.deepEqual(
      snapshot.phases.map((p) => p.phase),
      ['warmup', 'fault'],
    );
    const fault = onlyPhase(snapshot, 'fault');
    assert.deepEqual(
      fault.requests.map((r) => [r.request, r.latency.totalCount, r.counters.ok, r.counters.fail]),
      [
        ['GET /products/:id', 1, 0, 1],
        ['POST /cart', 1, 1, 0],
      ],
    );
    assert.equal(fault.counters.byStatus['503'], 1);
    assert.equal(onlyPhase(snapshot, 'warmup').latency.totalCount, 2);
  });

  it('phase totals are exactly the merge of their buckets', () => {
    const recorder = new MetricsRecorder({ bucketWidthMs: 250 });
    varied(recorder);
    for (const phase of recorder.snapshot().phases) {
      const fromBuckets = mergeHistograms(phase.buckets.map((b) => b.latency));
      assert.equal(encodeHistogram(phase.latency), encodeHistogram(fromBuckets), phase.phase);
      const intended = phase.buckets.reduce(
        (n, b) => n + b.counters.ok + b.counters.fail + b.counters.info,
        0,
      );
      assert.equal(intended, phase.counters.ok + phase.counters.fail + phase.counters.info);
    }
  });

  it('a snapshot is a copy: later records do not change it', () => {
    const recorder = new MetricsRecorder();
    recorder.record(sent(0, 0, 1), 'baseline');
    const before = recorder.snapshot();
    recorder.record(sent(10, 0, 1), 'baseline');
    recorder.record(dropped(20), 'baseline');
    assert.equal(onlyPhase(before).latency.totalCount, 1);
    assert.equal(onlyPhase(before).buckets[0]?.latency.totalCount, 1);
    assert.equal(onlyPhase(before).counters.dropped, 0);
    assert.equal(onlyPhase(recorder.snapshot()).latency.totalCount, 2);
  });

  it('reports clamped values per phase', () => {
    const recorder = new MetricsRecorder();
    recorder.record({ ...sent(100, 0, 1), doneAt: 99 }, 'baseline'); // done before intended: a clock bug
    const phase = onlyPhase(recorder.snapshot());
    assert.deepEqual(phase.clamped, { latency: { low: 1, high: 0 }, serviceTime: { low: 1, high: 0 } });
  });

  it('rejects a sample with a non-finite time before recording any of it', () => {
    const recorder = new MetricsRecorder();
    assert.throws(
      () => recorder.record({ ...sent(0, 0, 1), doneAt: Number.NaN }, 'baseline'),
      (e: Error & { code?: string }) => e.code === 'METRICS_BAD_SAMPLE',
    );
    assert.deepEqual(recorder.snapshot().phases, []);
    assert.throws(() => new MetricsRecorder({ bucketWidthMs: 0 }), /positive/);
  });

  describe('JSON', () => {
    it('JSON.stringify writes histograms as V2 strings, and snapshotFromJSON restores the full snapshot', () => {
      const recorder = new MetricsRecorder({ bucketWidthMs: 1000 });
      varied(recorder);
      recorder.record({ ...sent(50, 0, 1), doneAt: 40 }, 'fault');
      const snapshot = recorder.snapshot();
      const text = JSON.stringify({ metrics: snapshot });
      const parsed = JSON.parse(text).metrics;
      assert.equal(typeof parsed.phases[0].latency, 'string');
      assert.match(parsed.phases[0].buckets[0].serviceTime, /^HISTF/);

      const restored = snapshotFromJSON(parsed);
      assert.equal(JSON.stringify(restored), JSON.stringify(snapshot), 're-serializes identically');
      assert.equal(restored.bucketWidthMs, 1000);
      assert.equal(restored.originMs, 0);
      assert.deepEqual(restored.histogramLayout, snapshot.histogramLayout);
      for (const [i, phase] of snapshot.phases.entries()) {
        const back = restored.phases[i];
        assert.ok(back);
        assert.equal(back.phase, phase.phase);
        assert.deepEqual(summarize(back.latency), summarize(phase.latency));
        assert.deepEqual(summarize(back.serviceTime), summarize(phase.serviceTime));
        assert.deepEqual(back.counters, phase.counters);
        assert.deepEqual(back.clamped, phase.clamped);
        assert.deepEqual(
          back.buckets.map((b) => [b.index, b.startMs, b.completed, b.completedOk, summarize(b.latency)]),
          phase.buckets.map((b) => [b.index, b.startMs, b.completed, b.completedOk, summarize(b.latency)]),
        );
        assert.deepEqual(
          back.requests.map((r) => [r.request, r.counters, summarize(r.latency)]),
          phase.requests.map((r) => [r.request, r.counters, summarize(r.latency)]),
        );
      }
      assert.deepEqual(onlyPhase(restored, 'fault').clamped.latency, { low: 1, high: 0 });
    });

    it('snapshotFromJSON names every problem of a malformed document', () => {
      const json = JSON.parse(JSON.stringify(new MetricsRecorder().snapshot()));
      json.version = 2;
      json.bucketWidthMs = -1;
      assert.throws(
        () => snapshotFromJSON(json),
        (e: Error & { code?: string }) =>
          e.code === 'METRICS_JSON_INVALID' && /version/.test(e.message) && /bucketWidthMs/.test(e.message),
      );
    });

    it('reads metrics written before buckets had an origin as buckets on the run clock', () => {
      const recorder = new MetricsRecorder();
      recorder.record(sent(1200, 0, 1), 'baseline');
      const json = JSON.parse(JSON.stringify(recorder.snapshot()));
      delete json.originMs;
      const restored = snapshotFromJSON(json);
      assert.equal(restored.originMs, 0);
      assert.equal(restored.phases[0]?.buckets[0]?.startMs, 1000);
    });

    it('snapshotFromJSON says which histogram does not decode', () => {
      const recorder = new MetricsRecorder();
      recorder.record(sent(0, 0, 1), 'baseline');
      const json = JSON.parse(JSON.stringify(recorder.snapshot()));
      json.phases[0].buckets[0].latency = 'garbage';
      assert.throws(() => snapshotFromJSON(json), /phase baseline bucket 0 latency/);
    });
  });
});
