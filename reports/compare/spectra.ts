/**
 * Percentile spectra (HdrHistogram's percentile distribution): per phase, each side's runs'
 * histograms decoded and merged exactly (same layout, counts added index by index), then read at
 * percentiles spaced evenly on a log "nines" axis — never re-estimated from summaries.
 */
import { type LatencyHistogram, mergeHistograms } from '../../harness/metrics/histogram.ts';
import type { PreparedRun } from './prepare.ts';
import type { PhaseSpectra, SideSpectrum, SpectrumPoint } from './types.ts';

/** Steps per decade of the nines axis (0.1 → 90 %, 99 %, 99.9 % each 10 points apart). */
const STEPS_PER_NINE = 10;

/** Percentiles 0, …, 90, …, 99, …, up to the resolution of `count` values, then 100. */
export function spectrumPercentiles(count: number): number[] {
  const nines = Math.max(1, Math.log10(Math.max(count, 1)));
  const out: number[] = [];
  for (let i = 0; i <= nines * STEPS_PER_NINE; i++) {
    out.push(100 * (1 - 10 ** (-i / STEPS_PER_NINE)));
  }
  out.push(100);
  return out;
}

export function spectrumOf(histogram: LatencyHistogram): SpectrumPoint[] {
  if (histogram.totalCount === 0) return [];
  return spectrumPercentiles(histogram.totalCount).map((percentile) => ({
    percentile,
    ms: histogram.getValueAtPercentile(percentile) / 1000,
  }));
}

function phaseHistograms(runs: readonly PreparedRun[], phase: string): LatencyHistogram[] {
  return runs.flatMap((run) => {
    const p = run.snapshot.phases.find((x) => x.phase === phase);
    return p ? [p.latency] : [];
  });
}

/** One side's latency for a phase: its runs' histograms merged (null when no run has the phase). */
export function mergedPhase(runs: readonly PreparedRun[], phase: string): LatencyHistogram | null {
  const histograms = phaseHistograms(runs, phase);
  return histograms.length ? mergeHistograms(histograms) : null;
}

function sideSpectrum(runs: readonly PreparedRun[], phase: string): SideSpectrum | null {
  const histograms = phaseHistograms(runs, phase);
  if (histograms.length === 0) return null;
  const merged = mergeHistograms(histograms);
  return {
    count: merged.totalCount,
    runCounts: histograms.map((h) => h.totalCount),
    points: spectrumOf(merged),
  };
}

export function compareSpectra(
  baseline: readonly PreparedRun[],
  candidate: readonly PreparedRun[],
): PhaseSpectra[] {
  const phases: string[] = [];
  for (const run of [...baseline, ...candidate]) {
    for (const p of run.snapshot.phases) if (!phases.includes(p.phase)) phases.push(p.phase);
  }
  return phases.map((phase) => ({
    phase,
    baseline: sideSpectrum(baseline, phase),
    candidate: sideSpectrum(candidate, phase),
  }));
}
