import assert from 'node:assert/strict';
import { labelRows, linearScale, logScale, niceMax, niceTicks } from './axes.ts';
import { barChart } from './bar-chart.ts';
import { lineChart } from './line-chart.ts';
import { nines, percentileLabel, spectrumChart, spectrumPercentiles } from './spectrum-chart.ts';

describe('chart helpers', () => {
  it('niceTicks: round steps of 1, 2, 2.5 or 5 covering the range', () => {
    assert.deepEqual(niceTicks(0, 100, 5), [0, 20, 40, 60, 80, 100]);
    assert.deepEqual(niceTicks(0, 1, 4), [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(niceTicks(0, 7400, 8), [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000]);
    assert.deepEqual(niceTicks(3, 3), [3]);
    assert.equal(niceMax(317), 400);
    assert.equal(niceMax(0), 1);
  });

  it('scales map domain to range; log ticks at 1-2-5 over few decades', () => {
    const x = linearScale([0, 10], [100, 200]);
    assert.equal(x(5), 150);
    const y = logScale([1, 100], [200, 0]);
    assert.equal(y(10), 100);
    assert.deepEqual(y.ticks(), [1, 2, 5, 10, 20, 50, 100]);
  });

  it('labelRows: overlapping labels go to the next row', () => {
    const rows = labelRows([
      { x: 100, text: 'fault actuated' },
      { x: 110, text: 'DOWN +403 ms' },
      { x: 400, text: 'healed' },
      { x: 402, text: 'SLO back' },
    ]);
    assert.deepEqual(rows, [0, 1, 0, 1]);
  });

  it('the spectrum axis: nines, labels and the percentiles a count resolves', () => {
    assert.equal(nines(0), 0);
    assert.ok(Math.abs(nines(99) - 2) < 1e-9);
    assert.deepEqual([0, 1, 2, 3, 4].map(percentileLabel), ['0 %', '90 %', '99 %', '99.9 %', '99.99 %']);
    const ps = spectrumPercentiles(1000, 10);
    assert.equal(ps[0], 0);
    assert.ok(Math.abs((ps.at(-1) as number) - 99.9) < 1e-9, 'up to 1 − 1/count');
    assert.deepEqual(spectrumPercentiles(0), []);
  });

  it('charts are SVG with escaped labels and the shapes asked for', () => {
    const line = lineChart({
      label: 'a <b> chart',
      xDomain: [0, 10_000],
      yFormat: String,
      series: [
        {
          name: '<p99>',
          cls: 'c2',
          step: 1000,
          points: [
            { x: 0, y: 1 },
            { x: 1000, y: null },
            { x: 2000, y: 3 },
          ],
        },
      ],
      bands: [{ from: 2000, to: 5000, label: 'fault & co', cls: 'fault' }],
      markers: [{ x: 2500, label: 'healed', cls: 'ok' }],
    });
    assert.match(line.value, /^<svg class="chart" viewBox="0 0 1080 230"/);
    assert.match(line.value, /aria-label="a &lt;b&gt; chart"/);
    assert.equal(line.value.split('<path class="series c2"').length - 1, 2, 'a gap splits the line');
    assert.match(line.value, /<g class="band fault"><rect/);
    assert.match(line.value, /fault &amp; co/);
    assert.match(line.value, /<g class="marker ok">/);
    const bars = barChart({
      label: 'bars',
      categories: ['a', 'b'],
      series: [{ name: 's', cls: 'c1', values: [1, null] }],
      yFormat: String,
    });
    assert.equal(bars.value.split('<rect class="bar c1"').length - 1, 1, 'no bar for null');
    const spectrum = spectrumChart({
      label: 'spectrum',
      yFormat: String,
      series: [
        {
          name: 'fault',
          cls: 'bad',
          points: [
            { percentile: 0, value: 1 },
            { percentile: 99, value: 100 },
          ],
        },
      ],
    });
    assert.match(spectrum.value, /99 %/);
  });
});
