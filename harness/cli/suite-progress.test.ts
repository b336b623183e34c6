import assert from 'node:assert/strict';
import { FakeTerminal } from '../../test/helpers/terminal.ts';
import { LiveLine } from '../core/live-line.ts';
import { loadExperiments } from '../experiment/catalog.ts';
import type { RunStatusLine } from '../run/status-line.ts';
import { SampleBus } from '../samples/sample-bus.ts';
import { plannedLoadMs, SuiteProgress } from './suite-progress.ts';

const status = (over: Partial<RunStatusLine> = {}): RunStatusLine => ({
  phase: 'fault',
  leftMs: 11_200,
  runLeftMs: 20_000,
  faults: [],
  healing: [],
  ...over,
});

describe('suite progress: position and time left', () => {
  let now: number;
  beforeEach(() => {
    now = 0;
  });

  it("plans each run's load from its phases, scaled by --duration-scale", async () => {
    const [cache] = await loadExperiments(['cache-node-loss']);
    // warmup 3 s + baseline 3 s + fault 5 s + recovery 4 s
    assert.equal(plannedLoadMs(cache as NonNullable<typeof cache>, 1), 15_000);
    assert.equal(plannedLoadMs(cache as NonNullable<typeof cache>, 0.5), 7500);
  });

  it('says which run of how many, and counts the later runs with the start-up measured so far', () => {
    const suite = new SuiteProgress(Array(10).fill(60_000), () => now);
    suite.startRun();
    now = 10_000; // the topology took 10 s to start
    suite.loadStarted();
    // 60 s of this run's load, then 9 runs of 60 s load + 10 s start-up each
    assert.equal(suite.position(60_000), 'run 1 of 10, ~11m30s left');
  });

  it("once a run finished, estimates every run's overhead (start-up and stop) from the finished ones", () => {
    const suite = new SuiteProgress([60_000, 30_000, 30_000], () => now);
    suite.startRun();
    now = 10_000;
    suite.loadStarted();
    now = 70_000;
    suite.loadEnded();
    now = 74_000; // judged and stopped in 4 s: 14 s outside the load
    suite.endRun();
    suite.startRun();
    now = 82_000; // 8 s of start-up so far; about 6 s of stopping still to come
    suite.loadStarted();
    assert.equal(suite.leftMs(30_000), 30_000 + 6000 + (30_000 + 14_000));
    assert.equal(suite.position(30_000), 'run 2 of 3, ~1m20s left');
  });

  it('a single run shows only its time left, then the phase and the faults in effect', () => {
    const suite = new SuiteProgress([20_000], () => now);
    suite.startRun();
    suite.loadStarted();
    assert.equal(
      suite.prefix(status({ faults: ['lb-backend-death:web-2'] })),
      '~20s left · fault 12s left, lb-backend-death:web-2',
    );
  });

  it('a fault whose window is over is shown as being healed', () => {
    const suite = new SuiteProgress([20_000, 20_000], () => now);
    suite.startRun();
    suite.loadStarted();
    assert.equal(
      suite.prefix(
        status({ phase: 'recovery', leftMs: 9000, runLeftMs: 9000, healing: ['service-kill:web-1'] }),
      ),
      'run 1 of 2, ~29s left · recovery 9s left, healing service-kill:web-1',
    );
  });

  it("as runExperiment's onBus, draws the live line with the suite's prefix and times the load", async () => {
    const terminal = new FakeTerminal(true);
    const suite = new SuiteProgress([20_000, 20_000], () => now);
    suite.startRun();
    now = 5000;
    const stop = suite.progress(new LiveLine(terminal))(new SampleBus(), () => status());
    while (terminal.writes.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const [shown] = terminal.screen();
    now = 25_000;
    stop();
    // 20 s of load left, then one more run of 20 s load + 5 s start-up
    assert.match(shown as string, /^run 1 of 2, ~45s left · fault 12s left {2}0 req\/s {2}/);
    now = 26_000;
    suite.endRun();
    suite.startRun();
    suite.loadStarted();
    assert.equal(suite.position(20_000), 'run 2 of 2, ~26s left');
  });
});
