/**
 * The experiments as a mocha suite: one describe per experiment variant (the run happens in
 * `before`), one test per hypothesis — so mocha's reporters (spec, xunit for JUnit XML) work in CI.
 * FAULTLINE_DURATION_SCALE shortens every phase; results (result.json and report.html) go to
 * FAULTLINE_OUT (default runs/); FAULTLINE_RUNTIME picks the runtime (local, docker, or auto:
 * docker when an engine answers).
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { usageError } from '../harness/core/errors.ts';
import { createLogger } from '../harness/core/logger.ts';
import { loadExperiments } from '../harness/experiment/catalog.ts';
import { type RunOutcome, runVariant } from '../harness/run/run-experiment.ts';
import {
  type RuntimeChoice,
  resolveRuntime,
  runtimeChoices,
  topologyStarter,
} from '../harness/runtime/runtimes.ts';
import { writeReportBeside } from '../reports/html/write.ts';

const durationScale = Number(process.env.FAULTLINE_DURATION_SCALE ?? 1);
const outDir = resolve(process.env.FAULTLINE_OUT ?? 'runs');
const choice = (process.env.FAULTLINE_RUNTIME ?? 'auto') as RuntimeChoice;
if (!runtimeChoices.includes(choice)) {
  throw usageError(
    'suite.runtime',
    `FAULTLINE_RUNTIME=${choice} is not a runtime`,
    `choose ${runtimeChoices.join(', ')}`,
  );
}
const runtime = await resolveRuntime(choice, { log: createLogger('warn') });

for (const experiment of await loadExperiments()) {
  for (const variant of experiment.variants.length ? experiment.variants : [undefined]) {
    describe(variant ? `${experiment.name} [${variant.name}]` : experiment.name, function () {
      this.timeout(600_000);
      let outcome: RunOutcome;
      before(async () => {
        outcome = await runVariant(experiment, variant, {
          runtime,
          outDir,
          durationScale,
          startTopology: topologyStarter(runtime, createLogger('warn')),
        });
        await writeReportBeside(outcome.path);
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
