import assert from 'node:assert/strict';
import { loadFixture } from '../fixtures.ts';
import { buildModel } from '../model.ts';
import { configuredLoadPanel, loadSection, phaseRows } from './load.ts';

describe('the per-phase table of a report', () => {
  it('counts every request of each phase and its rate over the phase window, as the slo checker does', async () => {
    const model = buildModel(await loadFixture('lb-backend-death'));
    const rows = phaseRows(model);
    assert.deepEqual(
      rows.map((r) => r.phase),
      model.metrics.phases.map((p) => p.phase),
    );
    for (const [i, row] of rows.entries()) {
      const p = model.metrics.phases[i];
      const window = model.result.phases.find((w) => w.name === row.phase);
      assert.ok(p && window);
      const { ok, fail, info, dropped } = p.counters;
      assert.equal(row.requests, ok + fail + info + dropped);
      assert.equal(row.errorRate, row.requests ? (fail + info + dropped) / row.requests : 0);
      const completed = p.buckets.reduce((n, b) => n + b.completed, 0);
      const perSecond = completed / ((window.endMs - window.startMs) / 1000);
      assert.ok(Math.abs((row.throughput ?? 0) - perSecond) < 0.001, `${row.phase} throughput`);
      assert.ok(row.p50 <= row.p99 && row.p99 <= row.max, `${row.phase} percentiles in order`);
    }
    const fault = rows.find((r) => r.phase === 'fault');
    assert.ok(fault && fault.fail > 0, 'the backend death shows as failures during the fault');
    assert.match(fault.causes, /×\d+/);
  });
});

describe('the load section of a report', () => {
  it('shows the load as configured (executor and its rate, workload, client limits) beside what it achieved', async () => {
    const model = buildModel(await loadFixture('cache-node-loss'));
    const panel = configuredLoadPanel(model).value;
    assert.match(panel, /<code>constant-arrival-rate<\/code> rate 150, arrivals uniform/);
    assert.match(panel, /<code>browse<\/code> products 300, zipfExponent 1/);
    assert.match(panel, /64 connections, timeout 5 s, at most 2,000 in flight/);
    assert.match(panel, /<dt>achieved<\/dt><dd>[\d.,]+\/s completed over the phases/);
    assert.ok(loadSection(model).value.includes(panel), 'in the load section');
  });

  it('a closed-loop executor shows its users and pacing', async () => {
    const panel = configuredLoadPanel(buildModel(await loadFixture('session-loss'))).value;
    assert.match(panel, /<code>session-users<\/code> users 40, pacing 500/);
  });
});
