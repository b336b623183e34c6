/**
 * The experiments as a mocha suite: one describe per experiment variant (the run happens in
 * `before`), one test per hypothesis — so mocha's reporters (spec, xunit for JUnit XML) work in CI.
 * FAULTLINE_DURATION_SCALE shortens every phase; results go to FAULTLINE_OUT (default runs/).
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { loadExperiments } from '../harness/experiment/catalog.ts';
import { type RunOutcome, runExperiment } from '../harness/run/run-experiment.ts';
import { startLocalTopology } from '../harness/runtime/local/local-topology.ts';

const durationScale = Number(process.env.FAULTLINE_DURATION_SCALE ?? 1);
const outDir = resolve(process.env.FAULTLINE_OUT ?? 'runs');

for (const experiment of await loadExperiments()) {
  for (const variant of experiment.variants.length ? experiment.variants : [undefined]) {
    describe(variant ? `${experiment.name} [${variant.name}]` : experiment.name, function () {
      this.timeout(600_000);
      let outcome: RunOutcome;
      before(async () => {
        outcome = await runExperiment(experiment, variant, {
          runtime: 'local',
          outDir,
          durationScale,
          startTopology: (t) => startLocalTopology(t),
        });
      });
      for (const text of variant?.hypotheses ?? experiment.hypotheses) {
        it(text, () => {
          const { result, path } = outcome;
          assert.equal(result.status, 'completed', `run ${result.status}: ${result.statusReason} (${path})`);
          const h = result.hypotheses.find((x) => x.text === text);
          assert.equal(h?.holds, true, `measured ${h?.value ?? 'nothing'} (${path})`);
        });
      }
    });
  }
}
