/**
 * Compares a baseline with a candidate: each side one or more runs (repeats) of the same experiment
 * and variant. Refuses, as a usage error, to compare different experiments, variants or schema
 * versions, or phases of different lengths unless allowed. Hypotheses, key metrics with deltas and a noise-aware regression verdict (regression.ts),
 * merged percentile spectra, and time series aligned at fault injection.
 */
import { usageError } from '../../harness/core/errors.ts';
import { RESULT_SCHEMA_VERSION, type RunResult, writtenSchemaVersion } from '../../harness/journal/index.ts';
import { compareMetrics } from './metrics.ts';
import { type PreparedRun, prepareRun } from './prepare.ts';
import { noiseModel } from './regression.ts';
import { sideSeries } from './series.ts';
import { compareSpectra } from './spectra.ts';
import type { Comparison, HypothesisComparison, HypothesisSide, RunInfo, SideInfo } from './types.ts';

export interface CompareOptions {
  /** Names for the two sides (default "baseline" and "candidate"). */
  labels?: { baseline?: string; candidate?: string };
  /** The file each result came from, in the same order as the results, for messages and the page. */
  sources?: { baseline?: readonly string[]; candidate?: readonly string[] };
  /**
   * Compare metric for metric although phases differ in length. Otherwise that is refused: counts,
   * throughput windows and percentiles of a 2 s fault and a 5 s fault do not measure the same thing.
   */
  allowDifferentDurations?: boolean;
}

export const HINT = 'compare runs of the same experiment and variant';

/** "cache-node-loss" or "lb-backend-death [checks=fast]". */
export function keyOf(result: Pick<RunResult, 'experiment' | 'variant'>): string {
  return result.variant ? `${result.experiment.name} [${result.variant}]` : result.experiment.name;
}

function checkSide(runs: readonly RunResult[], side: string): void {
  if (runs.length === 0) {
    throw usageError(
      'compare.empty',
      `nothing to compare: no ${side} results`,
      'give a result.json or a run directory',
    );
  }
  for (const r of runs) {
    if ((r.schemaVersion as number) !== RESULT_SCHEMA_VERSION) {
      throw usageError(
        'compare.schema',
        `cannot compare: a ${side} result has schema version ${r.schemaVersion}; this faultline reads version ${RESULT_SCHEMA_VERSION}`,
        'compare results written by the same faultline version',
      );
    }
  }
  const keys = [...new Set(runs.map(keyOf))];
  if (keys.length > 1) {
    throw usageError(
      'compare.mixed',
      `cannot compare: the ${side} mixes ${keys.join(', ')}; each side must be runs of one experiment and variant`,
      'pass a single run or the directory of one experiment’s repeat runs',
    );
  }
}

function checkSameExperiment(baseline: RunResult, candidate: RunResult): void {
  if (baseline.experiment.name !== candidate.experiment.name) {
    throw usageError(
      'compare.experiment',
      `cannot compare different experiments: the baseline is ${keyOf(baseline)}, the candidate ${keyOf(candidate)}`,
      HINT,
    );
  }
  if (baseline.variant !== candidate.variant) {
    const name = (v: string | null) => (v === null ? 'no variant' : `variant ${v}`);
    throw usageError(
      'compare.variant',
      `cannot compare different variants of ${baseline.experiment.name}: the baseline has ${name(baseline.variant)}, the candidate ${name(candidate.variant)}`,
      HINT,
    );
  }
}

/** Invalid runs are left out of the numbers when the side has valid ones. */
function usable(runs: readonly PreparedRun[]): PreparedRun[] {
  const valid = runs.filter((r) => r.result.verdict !== 'invalid');
  return valid.length ? valid : [...runs];
}

function sideInfo(label: string, runs: readonly PreparedRun[], used: readonly PreparedRun[]): SideInfo {
  const info = (run: PreparedRun): RunInfo => ({
    source: run.source,
    startedAt: run.result.startedAt,
    seed: run.result.environment.seed,
    verdict: run.result.verdict,
    status: run.result.status,
    ...(run.result.statusReason
      ? { statusReason: run.result.statusReason }
      : run.result.generator.valid
        ? {}
        : { statusReason: run.result.generator.reason ?? 'the load generator fell behind' }),
    gitSha: run.result.environment.gitSha,
    durationScale: run.result.environment.durationScale,
    used: used.includes(run),
  });
  return { label, runs: runs.map(info), used: used.length };
}

function hypothesisSide(runs: readonly PreparedRun[], text: string): HypothesisSide | null {
  const found = runs.flatMap((r) => r.result.hypotheses.filter((h) => h.text === text));
  if (found.length === 0) return null;
  return {
    held: found.filter((h) => h.holds === true).length,
    failed: found.filter((h) => h.holds === false).length,
    unknown: found.filter((h) => h.holds === 'unknown').length,
    values: found.map((h) => h.value),
  };
}

function compareHypotheses(
  baseline: readonly PreparedRun[],
  candidate: readonly PreparedRun[],
): HypothesisComparison[] {
  const seen = new Map<string, RunResult['hypotheses'][number]>();
  for (const run of [...baseline, ...candidate]) {
    for (const h of run.result.hypotheses) if (!seen.has(h.text)) seen.set(h.text, h);
  }
  return [...seen.values()].map((h) => {
    const b = hypothesisSide(baseline, h.text);
    const c = hypothesisSide(candidate, h.text);
    let status: HypothesisComparison['status'] = 'unchanged';
    if (!b) status = 'new';
    else if (!c) status = 'removed';
    else if (b.held === b.values.length && c.failed > 0) status = 'regressed';
    else if (b.failed > 0 && c.held === c.values.length) status = 'fixed';
    return {
      text: h.text,
      metric: h.metric,
      ...(h.unit ? { unit: h.unit } : {}),
      op: h.op,
      threshold: h.threshold,
      baseline: b,
      candidate: c,
      status,
    };
  });
}

/** "fault 2 s vs 5 s, recovery 1.6 s vs 4 s": each phase whose length differs between the runs. */
function phaseLengthChanges(runs: readonly RunResult[]): string[] {
  const lengths = new Map<string, Set<number>>();
  for (const run of runs) {
    for (const p of run.phases) {
      // Planned lengths are whole milliseconds; the windows carry the run clock's fraction.
      lengths.set(p.name, (lengths.get(p.name) ?? new Set()).add(Math.round(p.endMs - p.startMs)));
    }
  }
  return [...lengths.entries()]
    .filter(([, set]) => set.size > 1)
    .map(([name, set]) => `${name} ${[...set].map((ms) => `${+(ms / 1000).toFixed(3)} s`).join(' vs ')}`);
}

function checkPhaseLengths(baseline: readonly PreparedRun[], candidate: readonly PreparedRun[]): string[] {
  const runs = [...baseline, ...candidate].map((r) => r.result);
  const changes = phaseLengthChanges(runs);
  if (changes.length === 0) return [];
  const scales = [...new Set(runs.map((r) => r.environment.durationScale))];
  const scaled = scales.length > 1 ? `; --duration-scale ${scales.join(' vs ')}` : '';
  return [`phase lengths differ (${changes.join(', ')}${scaled})`];
}

/** Top-level fields of the experiment definitions that differ between the sides. */
function definitionChanges(baseline: RunResult, candidate: RunResult): string[] {
  const b = baseline.experiment.definition;
  const c = candidate.experiment.definition;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(c)])];
  return keys.filter((k) => JSON.stringify(b[k]) !== JSON.stringify(c[k]));
}

function warningsFor(
  sides: { name: string; runs: readonly PreparedRun[]; used: readonly PreparedRun[] }[],
): string[] {
  const warnings: string[] = [];
  for (const { name, runs, used } of sides) {
    const invalid = runs.filter((r) => r.result.verdict === 'invalid').length;
    if (invalid && invalid === runs.length) {
      warnings.push(
        `every ${name} run is invalid (${runs[0]?.result.statusReason ?? runs[0]?.result.generator.reason ?? 'see the runs'}): its numbers may describe the machine, not the system`,
      );
    } else if (invalid) {
      warnings.push(`${invalid} of ${runs.length} ${name} runs are invalid and left out of the numbers`);
    }
    const unaligned = used.filter((r) => r.alignedOn !== 'fault-actuated').length;
    if (unaligned) {
      warnings.push(
        `${unaligned} ${name} run(s) have no fault-actuated event: aligned on the fault phase's start`,
      );
    }
  }
  return warnings;
}

export function compareResults(
  baseline: readonly RunResult[],
  candidate: readonly RunResult[],
  options: CompareOptions = {},
): Comparison {
  checkSide(baseline, 'baseline');
  checkSide(candidate, 'candidate');
  const first = baseline[0] as RunResult;
  const other = candidate[0] as RunResult;
  checkSameExperiment(first, other);
  const prepare = (runs: readonly RunResult[], side: 'baseline' | 'candidate') =>
    runs.map((r, i) =>
      prepareRun(r, options.sources?.[side]?.[i] ?? `${side} run ${i + 1} (${r.startedAt})`),
    );
  const baseRuns = prepare(baseline, 'baseline');
  const candRuns = prepare(candidate, 'candidate');
  const baseUsed = usable(baseRuns);
  const candUsed = usable(candRuns);
  const lengths = checkPhaseLengths(baseUsed, candUsed);
  if (lengths.length && !options.allowDifferentDurations) {
    throw usageError(
      'compare.durations',
      `cannot compare ${keyOf(first)} metric for metric: ${lengths.join('; ')}`,
      'compare runs of the same phase lengths, or pass --allow-different-durations to compare them anyway',
    );
  }
  const noise = noiseModel(baseUsed.length, candUsed.length);
  const hypotheses = compareHypotheses(baseUsed, candUsed);
  const metrics = compareMetrics(baseUsed, candUsed, noise);
  const width = baseUsed[0]?.snapshot.bucketWidthMs ?? 1000;

  const warnings = warningsFor([
    { name: 'baseline', runs: baseRuns, used: baseUsed },
    { name: 'candidate', runs: candRuns, used: candUsed },
  ]);
  const changed = definitionChanges(first, other);
  if (changed.length) {
    warnings.unshift(
      `the experiment definition changed (${changed.join(', ')}): the candidate ran a different experiment`,
    );
  }
  for (const l of lengths) warnings.push(`${l}: compared anyway (--allow-different-durations)`);
  const runtimes = new Set([...baseline, ...candidate].map((r) => r.environment.runtime));
  if (runtimes.size > 1) warnings.push(`runtimes differ (${[...runtimes].join(' vs ')})`);

  const regressions = [
    ...hypotheses
      .filter((h) => h.status === 'regressed')
      .map((h) => `hypothesis "${h.text}" no longer holds`),
    ...metrics.filter((m) => m.status === 'regressed').map((m) => `${m.label}: ${m.reason}`),
  ];
  return {
    experiment: first.experiment.name,
    variant: first.variant,
    schemaVersion: writtenSchemaVersion(first),
    baseline: sideInfo(options.labels?.baseline ?? 'baseline', baseRuns, baseUsed),
    candidate: sideInfo(options.labels?.candidate ?? 'candidate', candRuns, candUsed),
    noise,
    hypotheses,
    metrics,
    spectra: compareSpectra(baseUsed, candUsed),
    series: {
      bucketWidthMs: width,
      baseline: sideSeries(baseUsed, width),
      candidate: sideSeries(candUsed, width),
    },
    warnings,
    regressions,
    regressed: regressions.length > 0,
  };
}
