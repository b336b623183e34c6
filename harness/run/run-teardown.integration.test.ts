/**
 * A run that fails at any of its steps still tears everything down: the run reports the failure in
 * one line (or in result.json, for the steps a result can record), and no process of the topology's
 * session and no session directory is left. Real local topology, reduced durations.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { leftovers, ownSessionRoot } from '../../test/helpers/leftovers.ts';
import { FaultlineError } from '../core/errors.ts';
import { validateExperiment } from '../experiment/definition.ts';
import { startLocalTopology } from '../runtime/local/local-topology.ts';
import { type RunOutcome, type RunStep, runVariant } from './run-experiment.ts';

const experiment = validateExperiment(
  {
    name: 'teardown',
    description: 'a small run that is made to fail at one step',
    topology: { web: 1, cache: 0, replicas: 1, sessionStore: 'memory' },
    load: { executor: { executor: 'constant-arrival-rate', rate: 20 }, workload: { workload: 'browse' } },
    phases: { warmup: '300ms', baseline: '500ms', fault: '800ms', recovery: '400ms' },
    faults: [{ kind: 'link-latency', link: 'web-1->pg-primary', latency: '5ms' }],
    hypotheses: ['error-rate < 50% during fault'],
  },
  'teardown',
);

/** Steps a failure of which the result records (status "error"); the others make the run throw. */
const RECORDED: RunStep[] = ['warmup', 'baseline', 'fault', 'steady', 'inject', 'heal', 'recovery', 'audit'];
const STEPS: RunStep[] = ['load', ...RECORDED, 'judge', 'journal'];

describe('a run that fails at any step leaves nothing running (local runtime, for real)', function () {
  this.timeout(60_000);
  const sessionRoot = ownSessionRoot('faultline-teardown-');
  let out: string;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'faultline-teardown-runs-'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  for (const failing of STEPS) {
    it(`fails at "${failing}": reported, the topology stopped, its session directory gone`, async () => {
      const groups: number[] = [];
      const outcome: RunOutcome | unknown = await runVariant(experiment, undefined, {
        runtime: 'local',
        outDir: out,
        durationScale: 1,
        startTopology: async (input) => {
          const topology = await startLocalTopology(input);
          groups.push(...topology.processGroups());
          return topology;
        },
        onStep: (step) => {
          if (step === failing) throw new Error(`injected at ${step}`);
        },
      }).catch((err: unknown) => err);

      if (RECORDED.includes(failing)) {
        const { result } = outcome as RunOutcome;
        assert.equal(result.status, 'error');
        assert.equal(result.verdict, 'invalid');
        assert.match(result.statusReason ?? '', new RegExp(`injected at ${failing}`));
      } else {
        assert.ok(outcome instanceof FaultlineError, `a FaultlineError, got ${outcome}`);
        assert.equal(outcome.exitCode, 3);
        assert.match(outcome.oneLine(), new RegExp(`^teardown: injected at ${failing} \\(.*\\)$`));
      }
      assert.ok(groups.length >= 6, `the topology's services were seen running: ${groups}`);
      // Killed processes may take a moment to be reaped.
      let left = leftovers(groups, sessionRoot());
      for (let i = 0; left.length && i < 30; i++) {
        await sleep(100);
        left = leftovers(groups, sessionRoot());
      }
      assert.deepEqual(left, [], 'no process of the session is left');
      assert.deepEqual(readdirSync(join(sessionRoot(), 'sessions')), [], 'no session directory is left');
    });
  }
});
