/**
 * Time series aligned at fault injection: each run's timeline (metrics/timeline.ts) shifted so that
 * t = 0 is its first fault-actuated event, and per side the median over runs of each aligned bucket.
 */
import { buildTimeline, holdsEnoughLoad } from '../../harness/metrics/timeline.ts';
import type { PreparedRun } from './prepare.ts';
import { spreadOf } from './regression.ts';
import type { SeriesPoint, SideSeries } from './types.ts';

const FIELDS = ['throughput', 'errorRate', 'p50', 'p99'] as const;

function median(values: number[]): number {
  return spreadOf(values)?.median ?? 0;
}

function runSeries(run: PreparedRun): SeriesPoint[] {
  const width = run.snapshot.bucketWidthMs;
  const first = run.result.phases[0];
  const last = run.result.phases.at(-1);
  const timeline = buildTimeline(
    run.snapshot,
    first && last ? { span: { fromMs: first.startMs, toMs: last.endMs } } : {},
  );
  // A sliver of a bucket at the load's ends is left out, as in the run's own report: its rates rest
  // on a few requests (and on the in-flight ones that completed after the load stopped).
  return timeline
    .filter((p) => holdsEnoughLoad(p, width))
    .map((p) => ({
      t: p.t + width / 2 - run.t0,
      throughput: p.throughput,
      errorRate: p.errorRate,
      p50: p.p50,
      p99: p.p99,
    }));
}

export function sideSeries(runs: readonly PreparedRun[], bucketWidthMs: number): SideSeries {
  const series = runs.map(runSeries);
  // Runs are aligned on their own fault; the median is taken over the bucket centres that fall in
  // each width [k·w, (k+1)·w) after the fault. Buckets on the fault's actuation have their centres
  // at (k + ½)·w: rounding to the nearest multiple would split them on floating-point noise.
  const bins = new Map<number, SeriesPoint[]>();
  for (const points of series) {
    for (const p of points) {
      const bin = Math.floor(p.t / bucketWidthMs);
      bins.set(bin, [...(bins.get(bin) ?? []), p]);
    }
  }
  const medianSeries = [...bins.entries()]
    .sort(([a], [b]) => a - b)
    .map(([bin, points]) => {
      const point: SeriesPoint = {
        t: (bin + 0.5) * bucketWidthMs,
        throughput: 0,
        errorRate: 0,
        p50: 0,
        p99: 0,
      };
      for (const field of FIELDS) point[field] = median(points.map((p) => p[field]));
      return point;
    });
  const phaseNames: string[] = [];
  for (const run of runs)
    for (const p of run.result.phases) if (!phaseNames.includes(p.name)) phaseNames.push(p.name);
  const phases = phaseNames.map((name) => {
    const windows = runs.flatMap((run) => {
      const w = run.result.phases.find((p) => p.name === name);
      return w ? [{ start: w.startMs - run.t0, end: w.endMs - run.t0 }] : [];
    });
    return {
      name,
      startMs: median(windows.map((w) => w.start)),
      endMs: median(windows.map((w) => w.end)),
    };
  });
  const healed = runs.flatMap((run) =>
    run.alignedOn !== 'run-start' && run.healedAt !== undefined ? [run.healedAt - run.t0] : [],
  );
  return {
    runs: series,
    median: medianSeries,
    // The weakest alignment any run had.
    alignedOn:
      runs.find((r) => r.alignedOn === 'run-start')?.alignedOn ??
      runs.find((r) => r.alignedOn === 'fault-phase-start')?.alignedOn ??
      'fault-actuated',
    faultWindow: healed.length ? { fromMs: 0, toMs: median(healed) } : null,
    phases,
  };
}
