import assert from 'node:assert/strict';
import { ErrorCodes, type Sample } from '../samples/sample.ts';
import { MetricsRecorder } from './recorder.ts';
import { snapshotFromJSON } from './snapshot.ts';
import { buildTimeline } from './timeline.ts';

function sample(intendedAt: number, latency: number, extra: Partial<Sample> = {}): Sample {
  return {
    request: 'GET /',
    intendedAt,
    sentAt: intendedAt,
    doneAt: intendedAt + latency,
    outcome: 'ok',
    status: 200,
    ...extra,
  };
}

const near = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) <= expected * 0.001, `${actual} vs ${expected} ± 0.1 %`);

describe('metrics/timeline', () => {
  it('has one point per bucket, empty buckets included as zeros', () => {
    const recorder = new MetricsRecorder({ bucketWidthMs: 1000 });
    recorder.record(sample(100, 5), 'baseline');
    recorder.record(sample(3200, 5), 'baseline');
    const timeline = buildTimeline(recorder.snapshot());
    assert.deepEqual(
      timeline.map((p) => p.t),
      [0, 1000, 2000, 3000],
    );
    assert.deepEqual(timeline[1], {
      t: 1000,
      durationMs: 1000,
      throughput: 0,
      goodput: 0,
      ok: 0,
      fail: 0,
      info: 0,
      dropped: 0,
      errorRate: 0,
      p50: 0,
      p99: 0,
      max: 0,
    });
  });

  it('counts outcomes and latency by intended time, throughput by completion time, per second', () => {
    const recorder = new MetricsRecorder({ bucketWidthMs: 500 });
    // Bucket 0 (0–500 ms): 8 requests intended; 4 answered at once, 2 fail at once,
    // 1 stalls for 1.2 s (answered in bucket 2), 1 is dropped.
    for (let i = 0; i < 4; i++) recorder.record(sample(i * 10, 2), 'baseline');
    for (let i = 0; i < 2; i++)
      recorder.record(sample(100 + i, 3, { outcome: 'fail', status: 503 }), 'baseline');
    recorder.record(sample(200, 1200), 'baseline');
    recorder.record(
      { request: 'GET /', intendedAt: 300, doneAt: 300, outcome: 'fail', error: ErrorCodes.dropped },
      'baseline',
    );

    const [b0, b1, b2] = buildTimeline(recorder.snapshot());
    assert.ok(b0 && b1 && b2);
    assert.deepEqual([b0.ok, b0.fail, b0.info, b0.dropped], [5, 2, 0, 1]);
    assert.equal(b0.errorRate, 3 / 8);
    assert.equal(b0.throughput, 6 * 2, '6 completions in half a second');
    assert.equal(b0.goodput, 4 * 2);
    near(b0.max, 1200);
    near(b0.p50, 2);
    assert.equal(b1.throughput, 0, 'nothing completed during the stall');
    assert.equal(b2.throughput, 2, 'the stalled request completes in bucket 2');
    assert.equal(b2.ok, 0, 'but belongs to bucket 0');
  });

  it('merges a bucket that two phases share, and can select phases', () => {
    const recorder = new MetricsRecorder({ bucketWidthMs: 1000 });
    recorder.record(sample(400, 10), 'baseline');
    recorder.record(sample(600, 30, { outcome: 'fail' }), 'fault');
    recorder.record(sample(1500, 20), 'fault');
    const snapshot = recorder.snapshot();

    const all = buildTimeline(snapshot);
    assert.equal(all.length, 2);
    assert.deepEqual([all[0]?.ok, all[0]?.fail], [1, 1]);
    near(all[0]?.max ?? 0, 30);
    assert.equal(all[0]?.errorRate, 0.5);

    const fault = buildTimeline(snapshot, { phases: ['fault'] });
    assert.deepEqual(
      fault.map((p) => [p.t, p.ok, p.fail]),
      [
        [0, 0, 1],
        [1000, 1, 0],
      ],
    );
  });

  it('covers a requested span, so the axis can start at the run start and end at its end', () => {
    const recorder = new MetricsRecorder({ bucketWidthMs: 1000 });
    recorder.record(sample(2500, 5), 'baseline');
    const timeline = buildTimeline(recorder.snapshot(), { span: { fromMs: 0, toMs: 5000 } });
    assert.deepEqual(
      timeline.map((p) => [p.t, p.ok]),
      [
        [0, 0],
        [1000, 0],
        [2000, 1],
        [3000, 0],
        [4000, 0],
      ],
    );
    assert.deepEqual(buildTimeline(new MetricsRecorder().snapshot()), [], 'no data, no span: no points');
  });

  it('gives a bucket the span covers only in part its rate over the part it covers', () => {
    // 100 requests/s from 0 to 5600 ms: the last bucket, [5000, 6000), holds 600 ms of load.
    const recorder = new MetricsRecorder({ bucketWidthMs: 1000 });
    for (let t = 0; t < 5600; t += 10) recorder.record(sample(t, 1), 'baseline');
    const timeline = buildTimeline(recorder.snapshot(), { span: { fromMs: 0, toMs: 5600 } });
    const last = timeline.at(-1);
    assert.ok(last);
    assert.deepEqual([last.t, last.durationMs], [5000, 600]);
    assert.deepEqual(
      timeline.map((p) => Math.round(p.throughput)),
      [100, 100, 100, 100, 100, 100],
      'no collapse at the end',
    );
    assert.equal(buildTimeline(recorder.snapshot()).at(-1)?.durationMs, 1000, 'without a span: whole');
  });

  it('starts its buckets on the metrics origin, the first one before the span when the grid says so', () => {
    const recorder = new MetricsRecorder({ bucketWidthMs: 1000, originMs: 2069.5 });
    for (let t = 0; t < 4000; t += 10)
      recorder.record(sample(t, 1, t >= 2069.5 ? { outcome: 'fail', status: 503 } : {}), 'baseline');
    const timeline = buildTimeline(recorder.snapshot(), { span: { fromMs: 0, toMs: 4000 } });
    assert.deepEqual(
      timeline.map((p) => [p.t, Math.round(p.durationMs * 10) / 10, p.errorRate]),
      [
        [-930.5, 69.5, 0],
        [69.5, 1000, 0],
        [1069.5, 1000, 0],
        [2069.5, 1000, 1],
        [3069.5, 930.5, 1],
      ],
      'the first bucket of errors starts with them',
    );
  });

  it('refuses to fill a gap of absurd length (a sample on the wrong clock) instead of exhausting memory', () => {
    const recorder = new MetricsRecorder();
    recorder.record(sample(100, 5), 'baseline');
    recorder.record(sample(1.7e12, 5), 'baseline'); // epoch ms by mistake
    assert.throws(
      () => buildTimeline(recorder.snapshot()),
      (e: Error & { code?: string }) => e.code === 'METRICS_TIMELINE_TOO_LONG',
    );
  });

  it('gives the same timeline from a snapshot restored from JSON', () => {
    const recorder = new MetricsRecorder({ bucketWidthMs: 250 });
    for (let t = 0; t < 3000; t += 3.7)
      recorder.record(sample(t, 1 + (t % 40)), t < 1500 ? 'baseline' : 'fault');
    const snapshot = recorder.snapshot();
    const restored = snapshotFromJSON(JSON.parse(JSON.stringify(snapshot)));
    assert.deepEqual(buildTimeline(restored), buildTimeline(snapshot));
  });
});
