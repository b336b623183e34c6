/**
 * The primary-loss and primary-partition experiments, every variant they define plus a bench-only
 * slow operator and Patroni's defaults (for the crash), N times each on the local runtime at full
 * duration: the write outage, the time to promote, acknowledged writes lost, split-brain writes and
 * failed writes, as a spread over runs (one run is one sample of a noisy failover). Runs whose status is not completed are listed with their reason and left out of the
 * numbers. FAULTLINE_BENCH_RUNS (default 5) and FAULTLINE_BENCH_SCALE (default 1) change the size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WriteUnavailabilityAnalysis } from '../harness/checkers/write-unavailability.ts';
import { writeUnavailability } from '../harness/checkers/write-unavailability.ts';
import { createLogger } from '../harness/core/logger.ts';
import { loadExperiments } from '../harness/experiment/catalog.ts';
import type { Experiment } from '../harness/experiment/definition.ts';
import type { RunResult } from '../harness/journal/index.ts';
import { planRun, type Variant } from '../harness/run/plan-run.ts';
import { runVariant } from '../harness/run/run-experiment.ts';
import { shutdownGracefully } from '../harness/runtime/local/exit-guard.ts';
import { checkRunnable, topologyStarter } from '../harness/runtime/runtimes.ts';

const CRASH = 'primary-loss';
const PARTITION = 'primary-partition';

/**
 * An operator who takes 2 s from calling the primary dead to promoting, probing every second: what a
 * human-speed runbook costs in write outage. Not the experiment's own, so shaped here like its
 * variants (the experiment schema's name rule has no comma: this one never passes through it).
 */
const slowOperator: Variant = {
  name: 'failover=manual,slow-operator',
  topology: { failover: { manager: 'manual', probes: 3, probeInterval: 1000, promoteDelay: 2000 } },
};

/**
 * Patroni as it ships (ttl 30, loop_wait 10, retry_timeout 10): a dead leader's key lives 30 s, so
 * its runs get a fault long enough to see the failover happen (45 s instead of the experiment's).
 */
const patroniDefaults: Variant = {
  name: 'failover=patroni.defaults',
  topology: { failover: { manager: 'patroni', patroni: { ttl: 30, loopWait: 10, retryTimeout: 10 } } },
};
const PATRONI_DEFAULTS_FAULT_MS = 45_000;

/** A positive number from the environment, or the default; anything else stops the bench. */
function fromEnv(name: string, fallback: number, integer: boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0) || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a ${integer ? 'whole number ≥ 1' : 'number > 0'}, got ${raw}`);
  }
  return value;
}

/** What one run measured; numbers null when the run could not tell. */
interface RunNumbers {
  run: number;
  seed: number;
  status: RunResult['status'];
  status_reason?: string;
  verdict: RunResult['verdict'];
  /** The generator's own health: when it fell behind, the verdict is invalid (status stays completed). */
  generator_valid: boolean;
  generator_reason?: string;
  write_unavailability_ms: number | null;
  /** false: no write was acknowledged again before the run ended (the outage is a lower bound). */
  writes_recovered: boolean | null;
  /** null: no failover manager acted (failover=none); 'never': it detected the loss, promoted none. */
  time_to_promote_ms: number | 'never' | null;
  acked_writes_lost: number | null;
  split_brain_writes: number | null;
  failed_writes: number | null;
  wall_s: number;
}

function numbersOf(result: RunResult, run: number, seed: number, wallMs: number): RunNumbers {
  const check = (name: string) => result.checks.find((c) => c.checker === name);
  const outage = check('write-unavailability');
  // A fresh result's evidence is the checker's analysis itself (spread into it), so its metrics apply.
  const analysis = outage?.evidence as WriteUnavailabilityAnalysis | undefined;
  const promote = analysis?.faults
    ? writeUnavailability.metrics['time-to-promote']?.resolve(analysis, undefined)
    : undefined;
  return {
    run,
    seed,
    status: result.status,
    ...(result.statusReason ? { status_reason: result.statusReason } : {}),
    verdict: result.verdict,
    generator_valid: result.generator.valid,
    ...(result.generator.reason ? { generator_reason: result.generator.reason } : {}),
    write_unavailability_ms: outage?.value === undefined ? null : round(outage.value),
    writes_recovered: analysis?.faults?.length ? analysis.faults.every((f) => f.recovered) : null,
    time_to_promote_ms:
      promote === Number.POSITIVE_INFINITY
        ? 'never'
        : promote === undefined || promote === null
          ? null
          : round(promote),
    acked_writes_lost: check('acked-writes-lost')?.value ?? null,
    split_brain_writes: check('split-brain')?.value ?? null,
    failed_writes: analysis?.faults ? analysis.faults.reduce((n, f) => n + f.failedWrites, 0) : null,
    wall_s: round(wallMs / 1000, 1),
  };
}

function progressLine(label: string, of: number, r: RunNumbers): string {
  const ms = (v: number | null) => (v === null ? '?' : `${round(v / 1000, 2)} s`);
  const promote =
    typeof r.time_to_promote_ms === 'number' ? ms(r.time_to_promote_ms) : (r.time_to_promote_ms ?? '-');
  const generator = r.generator_valid ? '' : ', generator behind';
  return (
    `failover: ${label} run ${r.run}/${of} (seed ${r.seed}): write outage ${ms(r.write_unavailability_ms)}` +
    `${r.writes_recovered === false ? ' (not recovered)' : ''}, promote ${promote}, ` +
    `acked lost ${r.acked_writes_lost ?? '?'}, split-brain ${r.split_brain_writes ?? '?'}, ` +
    `failed writes ${r.failed_writes ?? '?'}; ${r.verdict} (${r.status}${generator}) in ${r.wall_s} s\n`
  );
}

function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function spread(values: (number | null)[]) {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (!known.length) return null;
  return {
    median: round(median(known)),
    min: round(known[0] as number),
    max: round(known.at(-1) as number),
    runs: known.length,
  };
}

/** The statistics of one variant over its completed runs; the others are listed, not counted. */
function summarize(experiment: string, variant: Variant, bench: boolean, runs: RunNumbers[]) {
  const done = runs.filter((r) => r.status === 'completed');
  const sum = (values: (number | null)[]) =>
    values.some((v) => v !== null) ? values.reduce<number>((n, v) => n + (v ?? 0), 0) : null;
  const failed = spread(done.map((r) => r.failed_writes));
  return {
    experiment,
    variant: variant.name,
    ...(bench ? { bench_only: true } : {}),
    topology: variant.topology,
    completed_runs: done.length,
    excluded: runs
      .filter((r) => r.status !== 'completed')
      .map((r) => ({ run: r.run, seed: r.seed, status: r.status, reason: r.status_reason ?? null })),
    generator_behind_runs: done.filter((r) => !r.generator_valid).length,
    write_unavailability_ms: spread(done.map((r) => r.write_unavailability_ms)),
    writes_not_recovered_runs: done.filter((r) => r.writes_recovered === false).length,
    time_to_promote_ms: spread(
      done.map((r) => (typeof r.time_to_promote_ms === 'number' ? r.time_to_promote_ms : null)),
    ),
    never_promoted_runs: done.filter((r) => r.time_to_promote_ms === 'never').length,
    acked_writes_lost: {
      per_run: done.map((r) => r.acked_writes_lost),
      total: sum(done.map((r) => r.acked_writes_lost)),
    },
    split_brain_writes_total: sum(done.map((r) => r.split_brain_writes)),
    failed_writes_median: failed?.median ?? null,
    runs,
  };
}

export async function failoverBench() {
  const runsPerVariant = fromEnv('FAULTLINE_BENCH_RUNS', 5, true);
  const durationScale = fromEnv('FAULTLINE_BENCH_SCALE', 1, false);
  const [crash, partition] = await loadExperiments([CRASH, PARTITION]);
  if (!crash || !partition) throw new Error(`bench: experiments ${CRASH} and ${PARTITION} not found`);
  // Read from the experiments, so a variant added to one is benchmarked without editing this file.
  const variants: { experiment: Experiment; v: Variant; bench: boolean; fault?: number }[] = [
    ...crash.variants.map((v) => ({ experiment: crash, v, bench: false })),
    { experiment: crash, v: slowOperator, bench: true },
    { experiment: crash, v: patroniDefaults, bench: true, fault: PATRONI_DEFAULTS_FAULT_MS },
    ...partition.variants.map((v) => ({ experiment: partition, v, bench: false })),
  ];
  // Every variant is planned (topology options, faults, load checked) before the first run starts.
  const withFault = (experiment: Experiment, fault?: number) =>
    fault === undefined ? experiment : { ...experiment, phases: { ...experiment.phases, fault } };
  for (const { experiment, v, fault } of variants) {
    const plan = await planRun(withFault(experiment, fault), v, { durationScale });
    await checkRunnable('local', plan.composition);
  }

  // Ctrl-C stops the run under way cleanly (faults healed, topology stopped, temp dir removed).
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const release = shutdownGracefully();
  const [loadBefore = 0] = os.loadavg();
  const started = performance.now();
  const summaries = [];
  try {
    for (const { experiment, v, bench, fault } of variants) {
      const label = `${experiment.name} [${v.name}]`;
      const runs: RunNumbers[] = [];
      for (let i = 0; i < runsPerVariant && !stop.signal.aborted; i++) {
        // Seeds as `faultline run --repeat`: the experiment's, then +1, +2, …
        const seed = experiment.seed + i;
        const out = mkdtempSync(join(tmpdir(), 'faultline-failover-bench-'));
        try {
          const runStarted = performance.now();
          const { result } = await runVariant(withFault(experiment, fault), v, {
            startTopology: topologyStarter('local', createLogger('warn')),
            runtime: 'local',
            outDir: out,
            durationScale,
            seed,
            log: createLogger('warn'),
            signal: stop.signal,
          });
          const numbers = numbersOf(result, i + 1, seed, performance.now() - runStarted);
          process.stderr.write(progressLine(label, runsPerVariant, numbers));
          runs.push(numbers);
        } finally {
          rmSync(out, { recursive: true, force: true });
        }
      }
      summaries.push({
        ...summarize(experiment.name, v, bench, runs),
        ...(fault ? { fault_ms: fault } : {}),
      });
      if (stop.signal.aborted) break;
    }
  } finally {
    release();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return {
    experiments: [crash.name, partition.name],
    runtime: 'local',
    runs_per_variant: runsPerVariant,
    duration_scale: durationScale,
    seeds: `each experiment's seed, +1 per run (as faultline run --repeat)`,
    ...(stop.signal.aborted ? { stopped: 'by a signal: the runs so far' } : {}),
    wall_s: round((performance.now() - started) / 1000, 1),
    // Other work on the machine shows up as generator lag (invalid verdicts) and slower failovers.
    load_average: { before: round(loadBefore, 2), after: round(os.loadavg()[0] ?? 0, 2) },
    statistics: 'over completed runs only; median of an even count is the mean of the middle two',
    variants: summaries,
  };
}
