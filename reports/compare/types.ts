/** The comparison object: what `compareResults` returns and the table, the HTML and --json show. */

/** Which way is bad: e.g. latency and error rate up, throughput and hit ratio down. */
export type Direction = 'higher-is-worse' | 'lower-is-worse';
export type MetricUnit = 'ms' | 'ratio' | 'per-second' | 'count';

/** The noise model the verdicts used (see regression.ts for the exact rule). */
export interface NoiseModel {
  /** spread: ≥ 2 usable runs on each side; fixed: a single run on either side. */
  kind: 'spread' | 'fixed';
  /** The rule in one sentence, for the table and the page. */
  description: string;
}

export interface RunInfo {
  /** Where it came from (the result.json path), when known. */
  source?: string;
  startedAt: string;
  seed: number;
  verdict: 'pass' | 'fail' | 'invalid';
  status: string;
  statusReason?: string;
  gitSha: string | null;
  durationScale: number;
  /** false: left out of the numbers (an invalid run while the side has valid ones). */
  used: boolean;
}

export interface SideInfo {
  label: string;
  runs: RunInfo[];
  /** How many runs the numbers come from. */
  used: number;
}

/** One metric over the usable runs of one side. */
export interface Spread {
  values: number[];
  median: number;
  min: number;
  max: number;
}

/** not-enough-samples: a percentile whose phase had too few requests for a verdict (never a regression). */
export type MetricStatus = 'regressed' | 'improved' | 'unchanged' | 'not-judged' | 'not-enough-samples';

/** A 95 % interval: of a percentile in ms (percentile-interval.ts), of an error rate (rate-interval.ts). */
export interface SampleInterval {
  lo: number;
  hi: number;
}

export interface MetricComparison {
  /** Stable id: "fault.p99", "baseline.error-rate", "check.failover-time". */
  id: string;
  /** For people: "p99 during fault", "failover-time (checker)". */
  label: string;
  group: 'latency' | 'errors' | 'throughput' | 'checker';
  phase?: string;
  unit: MetricUnit;
  direction: Direction | null;
  baseline: Spread | null;
  candidate: Spread | null;
  /** candidate median − baseline median. */
  delta: number | null;
  /** delta / |baseline median| (Infinity when the baseline median is 0 and the delta is not). */
  relative: number | null;
  status: MetricStatus;
  /** Why: the band it left (or stayed in), or why it was not judged. */
  reason: string;
  /**
   * Percentiles and error rates: n, the requests behind them (the smaller side's phase, its runs
   * merged); needed, the fewest that give a verdict; each side's 95 % interval when n suffices.
   */
  samples?: {
    n: number;
    needed: number;
    intervals: { baseline: SampleInterval; candidate: SampleInterval } | null;
  };
}

export interface HypothesisSide {
  held: number;
  failed: number;
  unknown: number;
  /** Measured values of the usable runs (null where the run could not tell). */
  values: (number | null)[];
}

export interface HypothesisComparison {
  text: string;
  metric: string;
  /** As result.json stores it (an own checker's metric too); absent in results from before, where the built-in table knows it. */
  unit?: MetricUnit;
  op: string;
  threshold: number;
  baseline: HypothesisSide | null;
  candidate: HypothesisSide | null;
  /**
   * regressed: held in every baseline run, failed in a candidate run (always a regression);
   * fixed: failed in a baseline run, held in every candidate run; new/removed: on one side only.
   */
  status: 'regressed' | 'fixed' | 'unchanged' | 'new' | 'removed';
}

export interface SpectrumPoint {
  /** 0–100. */
  percentile: number;
  ms: number;
}

/** One side's latency for one phase: its runs' histograms decoded and merged. */
export interface SideSpectrum {
  /** Requests in the merged histogram: the sum of the runs' counts. */
  count: number;
  /** The count of each usable run's histogram, in run order (they add up to `count`). */
  runCounts: number[];
  points: SpectrumPoint[];
}

export interface PhaseSpectra {
  phase: string;
  baseline: SideSpectrum | null;
  candidate: SideSpectrum | null;
}

export interface SeriesPoint {
  /** ms from the first fault actuation (negative before it). Bucket centres. */
  t: number;
  throughput: number;
  errorRate: number;
  p50: number;
  p99: number;
}

export interface SideSeries {
  /** One series per usable run. */
  runs: SeriesPoint[][];
  /** Per aligned bucket, the median over runs of each field. */
  median: SeriesPoint[];
  /** Where t = 0 came from: the first fault-actuated event, or the fault phase's start without one. */
  alignedOn: 'fault-actuated' | 'fault-phase-start' | 'run-start';
  /** The fault window (actuation → last heal), aligned; median over runs. */
  faultWindow: { fromMs: number; toMs: number } | null;
  /** Phase windows, aligned; median over runs. */
  phases: { name: string; startMs: number; endMs: number }[];
}

export interface Comparison {
  experiment: string;
  variant: string | null;
  /** The schema version the first baseline's result.json was written in (1 when it was upgraded on read). */
  schemaVersion: number;
  baseline: SideInfo;
  candidate: SideInfo;
  noise: NoiseModel;
  hypotheses: HypothesisComparison[];
  metrics: MetricComparison[];
  spectra: PhaseSpectra[];
  series: { bucketWidthMs: number; baseline: SideSeries; candidate: SideSeries };
  /** Things to know before trusting the verdict (definitions differ, invalid runs, ...). */
  warnings: string[];
  /** Every regressed hypothesis (by text) and metric (by label). */
  regressions: string[];
  regressed: boolean;
}

/** Several experiments/variants at once (two suite directories): matched by experiment + variant. */
export interface SuiteComparison {
  comparisons: Comparison[];
  /** "experiment [variant]" present on one side only. */
  onlyInBaseline: string[];
  onlyInCandidate: string[];
  regressed: boolean;
}
