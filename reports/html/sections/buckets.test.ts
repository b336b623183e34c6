import assert from 'node:assert/strict';
import { loadFixture } from '../fixtures.ts';
import { buildModel } from '../model.ts';
import { loadCharts, loadSection } from './load.ts';

/** The values of the throughput chart's "completed/s" steps, one per bucket drawn, from its SVG. */
function throughputSteps(svg: string): { x0: number; x1: number; value: number }[] {
  const chart = svg.slice(0, svg.indexOf('<h3>Error rate</h3>'));
  const line = /<path class="series c1" d="([^"]+)"><title>completed\/s<\/title>/.exec(chart)?.[1];
  const area = /<path class="area c1" d="([^"]+)"/.exec(chart)?.[1];
  assert.ok(line && area, 'a throughput line with its area');
  const y0 = Number(area.split('L').at(-1)?.split(',')[1]?.replace('Z', ''));
  const points = line
    .slice(1)
    .split('L')
    .map((p) => p.split(',').map(Number) as [number, number]);
  const steps = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const [a, b] = [points[i], points[i + 1]] as [[number, number], [number, number]];
    steps.push({ x0: a[0], x1: b[0], value: y0 - a[1] });
  }
  return steps;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

describe('time buckets in a report', () => {
  for (const name of ['replica-lag', 'cdn-origin-outage'] as const) {
    it(`${name}: draws the last, partly empty bucket at its rate over the time it covers, not as a collapse`, async () => {
      const m = buildModel(await loadFixture(name));
      const last = m.timeline.filter((p) => p.durationMs > 0).at(-1);
      assert.ok(last && last.durationMs < 1000, 'the load ends inside a bucket');
      const steps = throughputSteps(loadCharts(m).value);
      const steady = median(steps.map((s) => s.value));
      const end = steps.at(-1);
      assert.ok(end);
      assert.ok(
        Math.abs(end.value / steady - 1) < 0.15,
        `last bucket drawn at ${((end.value / steady) * 100).toFixed(0)} % of the steady rate`,
      );
      const full = steps[1] as (typeof steps)[number];
      assert.ok(end.x1 - end.x0 < 0.75 * (full.x1 - full.x0), 'over the part of the bucket it covers only');
      assert.match(
        loadSection(m).value,
        /The last bucket holds only \d+ ms of load: its throughput is per second of those \d+ ms\./,
      );
    });
  }

  it('leaves a bucket with too little load for a rate out of the throughput chart, and says so', async () => {
    const m = buildModel(await loadFixture('session-loss'));
    const edges = m.timeline.filter((p) => p.durationMs > 0 && p.durationMs < 200);
    assert.equal(edges.length, 2, 'the first and the last bucket hold under 200 ms of load');
    const drawn = throughputSteps(loadCharts(m).value).length;
    assert.equal(drawn, m.timeline.filter((p) => p.durationMs >= 200).length);
    assert.match(loadSection(m).value, /The first bucket holds only [\d.]+ ms of load: it is left out/);
    assert.match(loadSection(m).value, /The last bucket holds only [\d.]+ ms of load: it is left out/);
  });

  it('puts a bucket boundary on the fault actuation: no bucket mixes requests from before and after it', async () => {
    const m = buildModel(await loadFixture('cdn-origin-outage'));
    const actuatedAt = m.faults[0]?.life.actuated;
    assert.ok(actuatedAt !== undefined);
    const width = m.metrics.bucketWidthMs;
    const straddling = m.timeline.filter((p) => p.t < actuatedAt - 1e-6 && p.t + width > actuatedAt + 1e-6);
    assert.deepEqual(straddling, [], `fault actuated at ${actuatedAt} ms`);
    const first = m.timeline.find((p) => Math.abs(p.t - actuatedAt) < 1e-6);
    assert.ok(
      first && first.fail + first.info + first.dropped > 0,
      'the outage fails from its first bucket on',
    );
    assert.match(loadSection(m).value, /Bucket boundaries fall on the fault&#39;s actuation/);
  });

  it('says so when a result from before aligned buckets has a bucket straddling the actuation', async () => {
    // Recorded before buckets were aligned and before load started with the phases.
    const m = buildModel(await loadFixture('lb-backend-death'));
    const caption = loadSection(m).value;
    assert.match(caption, /the bucket holding the actuation at \+2\.046 s starts 45\.6 ms before it/);
    assert.match(caption, /how much of the last bucket it filled is unknown: that bucket is left out/);
    assert.equal(throughputSteps(loadCharts(m).value).length, m.timeline.length - 1);
  });
});
