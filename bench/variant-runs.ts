/**
 * What the experiment benchmarks share: every variant planned before the first run starts, then
 * each run N times on the local runtime (seeds as `faultline run --repeat`), each run's numbers
 * taken from its result and printed as it ends; Ctrl-C stops the run under way cleanly (faults
 * healed, topology stopped, temp dir removed) and returns the runs so far.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../harness/core/logger.ts';
import type { Experiment } from '../harness/experiment/definition.ts';
import type { RunResult } from '../harness/journal/index.ts';
import { planRun, type Variant } from '../harness/run/plan-run.ts';
import { runVariant } from '../harness/run/run-experiment.ts';
import { shutdownGracefully } from '../harness/runtime/local/exit-guard.ts';
import { checkRunnable, topologyStarter } from '../harness/runtime/runtimes.ts';

/** A positive number from the environment, or the default; anything else stops the bench. */
export function fromEnv(name: string, fallback: number, integer: boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0) || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a ${integer ? 'whole number ≥ 1' : 'number > 0'}, got ${raw}`);
  }
  return value;
}

export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median, min and max of the known values (null: none known). */
export function spread(values: (number | null)[], digits = 0) {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (!known.length) return null;
  return {
    median: round(median(known), digits),
    min: round(known[0] as number, digits),
    max: round(known.at(-1) as number, digits),
    runs: known.length,
  };
}

/** What every run records, whatever the bench measures besides. */
export interface RunBasics {
  run: number;
  seed: number;
  status: RunResult['status'];
  status_reason?: string;
  verdict: RunResult['verdict'];
  /** The generator's own health: when it fell behind, the verdict is invalid (status stays completed). */
  generator_valid: boolean;
  generator_reason?: string;
  wall_s: number;
}

export function basicsOf(result: RunResult, run: number, seed: number, wallMs: number): RunBasics {
  return {
    run,
    seed,
    status: result.status,
    ...(result.statusReason ? { status_reason: result.statusReason } : {}),
    verdict: result.verdict,
    generator_valid: result.generator.valid,
    ...(result.generator.reason ? { generator_reason: result.generator.reason } : {}),
    wall_s: round(wallMs / 1000, 1),
  };
}

/** The runs that count, and the ones left out with why. */
export function completed<N extends RunBasics>(runs: N[]) {
  return {
    done: runs.filter((r) => r.status === 'completed'),
    excluded: runs
      .filter((r) => r.status !== 'completed')
      .map((r) => ({ run: r.run, seed: r.seed, status: r.status, reason: r.status_reason ?? null })),
  };
}

export interface BenchVariant {
  experiment: Experiment;
  v: Variant;
}

export interface VariantRunsOptions<N extends RunBasics, S, V extends BenchVariant> {
  /** Names the temp directories (faultline-<name>-bench-*) and prefixes the progress lines. */
  name: string;
  variants: V[];
  runsPerVariant: number;
  durationScale: number;
  numbers(result: RunResult, basics: RunBasics): N;
  /** The part of a run's progress line after "<name>: <variant> run i/N (seed s): ". */
  describe(numbers: N): string;
  summarize(variant: V, runs: N[]): S;
}

export async function runVariants<N extends RunBasics, S, V extends BenchVariant>(
  o: VariantRunsOptions<N, S, V>,
) {
  for (const { experiment, v } of o.variants) {
    const plan = await planRun(experiment, v, { durationScale: o.durationScale });
    await checkRunnable('local', plan.composition);
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const release = shutdownGracefully();
  const [loadBefore = 0] = os.loadavg();
  const started = performance.now();
  const summaries: S[] = [];
  try {
    for (const variant of o.variants) {
      const { experiment, v } = variant;
      const runs: N[] = [];
      for (let i = 0; i < o.runsPerVariant && !stop.signal.aborted; i++) {
        const seed = experiment.seed + i;
        const out = mkdtempSync(join(tmpdir(), `faultline-${o.name}-bench-`));
        try {
          const runStarted = performance.now();
          const { result } = await runVariant(experiment, v, {
            startTopology: topologyStarter('local', createLogger('warn')),
            runtime: 'local',
            outDir: out,
            durationScale: o.durationScale,
            seed,
            log: createLogger('warn'),
            signal: stop.signal,
          });
          const numbers = o.numbers(result, basicsOf(result, i + 1, seed, performance.now() - runStarted));
          const generator = numbers.generator_valid ? '' : ', generator behind';
          process.stderr.write(
            `${o.name}: ${experiment.name} [${v.name}] run ${i + 1}/${o.runsPerVariant} (seed ${seed}): ` +
              `${o.describe(numbers)}; ${numbers.verdict} (${numbers.status}${generator}) in ${numbers.wall_s} s\n`,
          );
          runs.push(numbers);
        } finally {
          rmSync(out, { recursive: true, force: true });
        }
      }
      summaries.push(o.summarize(variant, runs));
      if (stop.signal.aborted) break;
    }
  } finally {
    release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return {
    runtime: 'local',
    runs_per_variant: o.runsPerVariant,
    duration_scale: o.durationScale,
    seeds: `each experiment's seed, +1 per run (as faultline run --repeat)`,
    ...(stop.signal.aborted ? { stopped: 'by a signal: the runs so far' } : {}),
    wall_s: round((performance.now() - started) / 1000, 1),
    // Other work on the machine shows up as generator lag (invalid verdicts) and noisier numbers.
    load_average: { before: round(loadBefore, 2), after: round(os.loadavg()[0] ?? 0, 2) },
    statistics: 'over completed runs only; median of an even count is the mean of the middle two',
    variants: summaries,
  };
}
