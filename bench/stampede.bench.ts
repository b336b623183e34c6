/**
 * The cache-stampede experiment, every variant it defines, N times each on the local runtime at
 * full duration: during the fault, the largest refill (identical database reads of one key at
 * once), the mean per refill, database reads in all and the peak database read rate, as a spread
 * over runs (expiries are random in time, one run is one sample). Runs whose status is
 * not completed are listed with their reason and left out. FAULTLINE_BENCH_RUNS (default 5) and
 * FAULTLINE_BENCH_SCALE (default 1) change the size.
 */
import { checkerDefinitions } from '../harness/checkers/registry.ts';
import { loadExperiments } from '../harness/experiment/catalog.ts';
import type { RunResult } from '../harness/journal/index.ts';
import {
  type BenchVariant,
  completed,
  fromEnv,
  type RunBasics,
  runVariants,
  spread,
} from './variant-runs.ts';

const EXPERIMENT = 'cache-stampede';

interface RunNumbers extends RunBasics {
  largest_refill: number | null;
  mean_reads_per_refill: number | null;
  db_reads: number | null;
  peak_db_reads_per_s: number | null;
}

function numbersOf(result: RunResult, basics: RunBasics): RunNumbers {
  const check = result.checks.find((c) => c.checker === EXPERIMENT);
  const parsed = checkerDefinitions[EXPERIMENT].evidence.safeParse(check?.evidence);
  const fault = parsed.success ? parsed.data.byPhase.fault : undefined;
  const window = result.phases.find((p) => p.name === 'fault');
  const rate = parsed.success ? parsed.data.dbReadRate : undefined;
  // The peak over the bins inside the fault phase.
  const peak =
    rate && window
      ? Math.max(
          0,
          ...rate.perSecond.filter(
            (_, i) => i * rate.binMs >= window.startMs && i * rate.binMs < window.endMs,
          ),
        )
      : null;
  return {
    ...basics,
    largest_refill: fault?.maxReads ?? null,
    mean_reads_per_refill: fault?.meanReads ?? null,
    db_reads: fault?.dbReads ?? null,
    peak_db_reads_per_s: peak,
  };
}

function describe(r: RunNumbers): string {
  return (
    `largest refill ${r.largest_refill ?? '?'}, mean ${r.mean_reads_per_refill ?? '?'}, ` +
    `database reads ${r.db_reads ?? '?'} (peak ${r.peak_db_reads_per_s ?? '?'}/s)`
  );
}

function summarize({ experiment, v }: BenchVariant, runs: RunNumbers[]) {
  const { done, excluded } = completed(runs);
  return {
    experiment: experiment.name,
    variant: v.name,
    topology: v.topology,
    completed_runs: done.length,
    excluded,
    generator_behind_runs: done.filter((r) => !r.generator_valid).length,
    during_fault: {
      largest_refill: spread(done.map((r) => r.largest_refill)),
      mean_reads_per_refill: spread(
        done.map((r) => r.mean_reads_per_refill),
        3,
      ),
      db_reads: spread(done.map((r) => r.db_reads)),
      peak_db_reads_per_s: spread(done.map((r) => r.peak_db_reads_per_s)),
    },
    runs,
  };
}

export async function stampedeBench() {
  const [experiment] = await loadExperiments([EXPERIMENT]);
  if (!experiment) throw new Error(`bench: experiment ${EXPERIMENT} not found`);
  return {
    experiment: experiment.name,
    ...(await runVariants({
      name: 'stampede',
      // Read from the experiment, so a variant added to it is benchmarked without editing this file.
      variants: experiment.variants.map((v) => ({ experiment, v })),
      runsPerVariant: fromEnv('FAULTLINE_BENCH_RUNS', 5, true),
      durationScale: fromEnv('FAULTLINE_BENCH_SCALE', 1, false),
      numbers: numbersOf,
      describe,
      summarize,
    })),
  };
}
