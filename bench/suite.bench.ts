/** Wall time of the whole experiment suite at default durations (every variant), and each run's verdict. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../harness/cli/commands/run.ts';

export async function suiteBench() {
  const out = mkdtempSync(join(tmpdir(), 'faultline-suite-bench-'));
  try {
    const started = performance.now();
    const outcomes = await runCommand({
      experiments: [],
      runtime: 'local',
      durationScale: 1,
      out,
      json: true,
    });
    const wallMs = performance.now() - started;
    return {
      runs: outcomes.length,
      wall_s: Math.round(wallMs / 100) / 10,
      aim: 'whole suite <= 180 s on 2 cores',
      verdicts: outcomes.map(({ result }) => ({
        run: result.variant ? `${result.experiment.name} [${result.variant}]` : result.experiment.name,
        verdict: result.verdict,
        status: result.status,
      })),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
