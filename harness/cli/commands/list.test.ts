import assert from 'node:assert/strict';
import { runCli } from '../../../test/helpers/cli.ts';
import { metrics } from '../../checkers/metric-values.ts';
import { experimentFiles } from '../../experiment/catalog.ts';
import { faultKinds } from '../../faults/registry.ts';
import { executorKinds } from '../../load/executors/registry.ts';
import { workloadKinds } from '../../load/workloads/registry.ts';
import { plannedTopology } from '../../runtime/topology.ts';
import { composeFor } from '../../target/start-target.ts';
import type { CatalogModel } from '../catalog-model.ts';

describe('faultline list', function () {
  this.timeout(20_000);

  it('shows the executors and workloads, each with its description and options', async () => {
    const run = runCli(['list']);
    assert.equal(await run.exit, 0, run.stderr());
    const out = run.stdout();
    for (const line of [
      /^Executors \(load\.executor/m,
      /^ {2}constant-arrival-rate +open loop: /m,
      /^ +options: rate, arrivals=uniform$/m,
      /^ {2}ramping-arrival-rate +open loop, ramping linearly/m,
      /^ +options: startRate=0, stages$/m,
      /^ {2}session-users +/m,
      /^ +options: users, pacing=1000 ms$/m,
      /^Workloads \(load\.workload\):$/m,
      /^ {2}browse +GET \/products\/:id/m,
      /^ +options: products=1000, zipfExponent=1$/m,
      /^ {2}cart-journey +.*\n +options: sessionCookie=shop\.sid$/m,
      /^ {2}http-get +.*\n +options: path$/m,
      /^Targets \(target, or --target; options: topology\):$/m,
      /^ {2}pyshop +the shop’s HTTP API in Python 3/m,
      /^ {2}shop +the shop faultline ships/m,
    ]) {
      assert.match(out, line);
    }
  });

  it('shows fault parameters with units, metrics with their checker, and the topology', async () => {
    const run = runCli(['list']);
    assert.equal(await run.exit, 0, run.stderr());
    const out = run.stdout();
    for (const line of [
      /^ {2}link-latency +.*\n +params: link, latency=1000 ms, jitter=0 ms, stream=downstream\n +acts on `link`: any link$/m,
      /^ +params: link, rate \(KB\/s\), stream=downstream$/m,
      /^ +acts on cdn->lb$/m,
      /^ {2}stale-read-rate +.*\(ratio, per phase; checker stale-reads\)$/m,
      /^Topology \(target shop, default options\):$/m,
      /^ {2}lb -> +web-1, web-2, web-3$/m,
      /^ {2}options +web 4: adds web-4, lb->web-4, /m,
    ]) {
      assert.match(out, line);
    }
  });

  describe('--json', () => {
    let model: CatalogModel;
    before(async () => {
      const run = runCli(['list', '--json']);
      assert.equal(await run.exit, 0, run.stderr());
      model = JSON.parse(run.stdout()) as CatalogModel;
    });

    it('has every registered experiment, fault kind, metric, executor and workload', () => {
      assert.deepEqual(
        model.experiments.map((e) => `${e.name}.experiment.ts`),
        experimentFiles().map((f) => f.split('/').at(-1)),
      );
      assert.deepEqual(
        model.faults.map((f) => f.kind),
        [...faultKinds.keys()],
      );
      assert.deepEqual(
        model.metrics.map((m) => m.name),
        Object.keys(metrics),
      );
      assert.deepEqual(
        model.executors.map((e) => e.name),
        [...executorKinds.keys()],
      );
      assert.deepEqual(
        model.workloads.map((w) => w.name),
        [...workloadKinds.keys()],
      );
    });

    it('gives each metric its unit and the checker that provides it', () => {
      for (const m of model.metrics) {
        const defined = metrics[m.name];
        assert.equal(m.unit, defined?.unit, m.name);
        assert.equal(m.checker, defined?.checker, m.name);
      }
    });

    it("gives a fault's parameters their type, default and unit", () => {
      const latency = model.faults.find((f) => f.kind === 'link-latency');
      assert.deepEqual(
        latency?.params.map((p) => [p.name, p.type, p.required, p.default, p.unit]),
        [
          ['link', 'string', true, undefined, undefined],
          ['latency', 'duration', false, 1000, 'ms'],
          ['jitter', 'duration', false, 0, 'ms'],
          ['stream', 'string', false, 'downstream', undefined],
        ],
      );
      const stream = latency?.params.find((p) => p.name === 'stream');
      assert.deepEqual(stream?.values, ['downstream', 'upstream', 'both']);
    });

    it("has the default topology's services and links", async () => {
      const planned = plannedTopology(await composeFor({}));
      assert.deepEqual(model.topology.services, planned.serviceNames);
      assert.deepEqual(model.topology.links, planned.linkNames);
    });
  });
});
