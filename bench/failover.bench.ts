/**
 * The primary-loss and primary-partition experiments, every variant they define plus a bench-only
 * slow operator and Patroni's defaults (for the crash), N times each on the local runtime at full
 * duration: the write outage, the time to promote, acknowledged writes lost, split-brain writes and
 * failed writes, as a spread over runs (one run is one sample of a noisy failover). Runs whose status is not completed are listed with their reason and left out of the
 * numbers. FAULTLINE_BENCH_RUNS (default 5) and FAULTLINE_BENCH_SCALE (default 1) change the size.
 */
import type { WriteUnavailabilityAnalysis } from '../harness/checkers/write-unavailability.ts';
import { writeUnavailability } from '../harness/checkers/write-unavailability.ts';
import { loadExperiments } from '../harness/experiment/catalog.ts';
import type { Experiment } from '../harness/experiment/definition.ts';
import type { RunResult } from '../harness/journal/index.ts';
import type { Variant } from '../harness/run/plan-run.ts';
import {
  type BenchVariant,
  completed,
  fromEnv,
  type RunBasics,
  round,
  runVariants,
  spread,
} from './variant-runs.ts';

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

/** What one run measured; numbers null when the run could not tell. */
interface RunNumbers extends RunBasics {
  write_unavailability_ms: number | null;
  /** false: no write was acknowledged again before the run ended (the outage is a lower bound). */
  writes_recovered: boolean | null;
  /** null: no failover manager acted (failover=none); 'never': it detected the loss, promoted none. */
  time_to_promote_ms: number | 'never' | null;
  acked_writes_lost: number | null;
  split_brain_writes: number | null;
  failed_writes: number | null;
}

function numbersOf(result: RunResult, basics: RunBasics): RunNumbers {
  const check = (name: string) => result.checks.find((c) => c.checker === name);
  const outage = check('write-unavailability');
  // A fresh result's evidence is the checker's analysis itself (spread into it), so its metrics apply.
  const analysis = outage?.evidence as WriteUnavailabilityAnalysis | undefined;
  const promote = analysis?.faults
    ? writeUnavailability.metrics['time-to-promote']?.resolve(analysis, undefined)
    : undefined;
  return {
    ...basics,
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
  };
}

function describe(r: RunNumbers): string {
  const ms = (v: number | null) => (v === null ? '?' : `${round(v / 1000, 2)} s`);
  const promote =
    typeof r.time_to_promote_ms === 'number' ? ms(r.time_to_promote_ms) : (r.time_to_promote_ms ?? '-');
  return (
    `write outage ${ms(r.write_unavailability_ms)}${r.writes_recovered === false ? ' (not recovered)' : ''}, ` +
    `promote ${promote}, acked lost ${r.acked_writes_lost ?? '?'}, split-brain ${r.split_brain_writes ?? '?'}, ` +
    `failed writes ${r.failed_writes ?? '?'}`
  );
}

interface FailoverVariant extends BenchVariant {
  bench: boolean;
  fault?: number;
}

/** The statistics of one variant over its completed runs; the others are listed, not counted. */
function summarize({ experiment, v, bench, fault }: FailoverVariant, runs: RunNumbers[]) {
  const { done, excluded } = completed(runs);
  const sum = (values: (number | null)[]) =>
    values.some((x) => x !== null) ? values.reduce<number>((n, x) => n + (x ?? 0), 0) : null;
  const failed = spread(done.map((r) => r.failed_writes));
  return {
    experiment: experiment.name,
    variant: v.name,
    ...(bench ? { bench_only: true } : {}),
    ...(fault ? { fault_ms: fault } : {}),
    topology: v.topology,
    completed_runs: done.length,
    excluded,
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
  const [crash, partition] = await loadExperiments([CRASH, PARTITION]);
  if (!crash || !partition) throw new Error(`bench: experiments ${CRASH} and ${PARTITION} not found`);
  const withFault = (experiment: Experiment, fault: number) => ({
    ...experiment,
    phases: { ...experiment.phases, fault },
  });
  // Read from the experiments, so a variant added to one is benchmarked without editing this file.
  const variants: FailoverVariant[] = [
    ...crash.variants.map((v) => ({ experiment: crash, v, bench: false })),
    { experiment: crash, v: slowOperator, bench: true },
    {
      experiment: withFault(crash, PATRONI_DEFAULTS_FAULT_MS),
      v: patroniDefaults,
      bench: true,
      fault: PATRONI_DEFAULTS_FAULT_MS,
    },
    ...partition.variants.map((v) => ({ experiment: partition, v, bench: false })),
  ];
  return {
    experiments: [crash.name, partition.name],
    ...(await runVariants({
      name: 'failover',
      variants,
      runsPerVariant: fromEnv('FAULTLINE_BENCH_RUNS', 5, true),
      durationScale: fromEnv('FAULTLINE_BENCH_SCALE', 1, false),
      numbers: numbersOf,
      describe,
      summarize,
    })),
  };
}
