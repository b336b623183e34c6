/**
 * Per-bucket metrics as a gap-free series for charts (throughput, errors, p50, p99 over time).
 *
 * Two clocks, on purpose:
 * - throughput and goodput count completions by **doneAt**: what the system delivered during the
 *   interval. During a stall they drop to zero and spike when it clears, as users saw it.
 * - outcome counts, errorRate and latencies are by **intendedAt** (the bucket a request belongs to):
 *   of the requests that should have gone out in this interval, how many failed and how long they
 *   took. A stall shows up where it started hurting, with its full latency (coordinated-omission
 *   correct), instead of as a few slow responses at the moment it cleared.
 */
import { ExitCode, FaultlineError } from '../core/errors.ts';
import { type Counters, errorRateOf, mergeCounters } from './counters.ts';
import { type LatencyHistogram, mergeHistograms, summarize } from './histogram.ts';
import type { BucketMetrics, MetricsData } from './snapshot.ts';

export interface TimelinePoint {
  /** Bucket start, ms on the run clock. */
  t: number;
  /**
   * The part of the bucket that the span covers (see TimelineOptions.span), in ms: the bucket's
   * width, less at the span's ends, where load starts or stops between two boundaries.
   */
  durationMs: number;
  /**
   * Requests completed in this bucket (by doneAt) per second of `durationMs`, whatever the outcome
   * (ok, fail, info): a bucket half inside the span is a rate over that half, not a drop to half.
   * 0 for a bucket wholly outside the span (late completions after the load ended).
   */
  throughput: number;
  /** The ok ones among them, per second of `durationMs`. */
  goodput: number;
  /** Samples intended in this bucket, by outcome (dropped exclusive of the others, see counters.ts). */
  ok: number;
  fail: number;
  info: number;
  dropped: number;
  /** (fail + info + dropped) / all samples intended in this bucket; 0 when there were none. */
  errorRate: number;
  /** Latency in ms (intendedAt → doneAt) of requests intended in this bucket; 0 when there were none. */
  p50: number;
  p99: number;
  max: number;
}

export interface TimelineOptions {
  /** Only these phases (default: all). A bucket split between two chosen phases is merged. */
  phases?: readonly string[];
  /**
   * The time the load ran, [fromMs, toMs) on the run clock: the timeline covers at least that (the
   * time axis starts at the load's start even when the first buckets are empty), and a bucket's
   * `durationMs` is its part inside it. Buckets with data outside it stay. Without a span every
   * bucket counts whole.
   */
  span?: { fromMs: number; toMs: number };
}

// Ten days of 1 s buckets. More means sample times on a wrong clock (epoch ms instead of ms since
// the run's start), and filling the gap would exhaust memory instead of saying so.
const MAX_POINTS = 864_000;

interface Merged {
  latencies: LatencyHistogram[];
  counters: Counters[];
  completed: number;
  completedOk: number;
}

/**
 * Below this share of a bucket's width, a per-second rate rests on a handful of requests, and the
 * requests still in flight when the load stopped complete in the last bucket: 30 completions over a
 * 10 ms sliver read as 3000/s. Such a bucket is left out of rate charts.
 */
const MIN_RATE_SHARE = 0.2;

/** Whether a point holds enough load time for its per-second rates to mean something. */
export function holdsEnoughLoad(point: Pick<TimelinePoint, 'durationMs'>, bucketWidthMs: number): boolean {
  return point.durationMs >= bucketWidthMs * MIN_RATE_SHARE;
}

export function buildTimeline(
  metrics: MetricsData<LatencyHistogram>,
  options: TimelineOptions = {},
): TimelinePoint[] {
  const width = metrics.bucketWidthMs;
  const origin = metrics.originMs;
  const wanted = options.phases ? new Set(options.phases) : undefined;
  const byIndex = new Map<number, Merged>();
  for (const phase of metrics.phases) {
    if (wanted && !wanted.has(phase.phase)) continue;
    for (const bucket of phase.buckets) add(byIndex, bucket);
  }

  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const index of byIndex.keys()) {
    first = Math.min(first, index);
    last = Math.max(last, index);
  }
  const span = options.span && options.span.toMs > options.span.fromMs ? options.span : undefined;
  if (span) {
    first = Math.min(first, Math.floor((span.fromMs - origin) / width));
    last = Math.max(last, Math.ceil((span.toMs - origin) / width) - 1);
  }

  if (last - first + 1 > MAX_POINTS) {
    throw new FaultlineError(
      'METRICS_TIMELINE_TOO_LONG',
      `timeline would span ${last - first + 1} buckets of ${width} ms (from ${origin + first * width} ms to ${origin + (last + 1) * width} ms)`,
      'sample times must be ms on the run clock (since the run started), not epoch time',
      ExitCode.environment,
    );
  }
  const points: TimelinePoint[] = [];
  for (let index = first; index <= last; index++) {
    const m = byIndex.get(index);
    const counters = mergeCounters(m?.counters ?? []);
    const latency = m ? summarize(merged(m.latencies)) : undefined;
    const t = origin + index * width;
    const durationMs = span ? Math.max(0, Math.min(t + width, span.toMs) - Math.max(t, span.fromMs)) : width;
    const perSecond = (n: number) => (durationMs > 0 ? (n * 1000) / durationMs : 0);
    points.push({
      t,
      durationMs,
      throughput: perSecond(m?.completed ?? 0),
      goodput: perSecond(m?.completedOk ?? 0),
      ok: counters.ok,
      fail: counters.fail,
      info: counters.info,
      dropped: counters.dropped,
      errorRate: errorRateOf(counters),
      p50: latency?.p50 ?? 0,
      p99: latency?.p99 ?? 0,
      max: latency?.max ?? 0,
    });
  }
  return points;
}

/** Most buckets belong to one phase: summarize that histogram as is instead of copying it. */
function merged(list: LatencyHistogram[]): LatencyHistogram {
  return list.length === 1 && list[0] ? list[0] : mergeHistograms(list);
}

function add(byIndex: Map<number, Merged>, bucket: BucketMetrics<LatencyHistogram>): void {
  let m = byIndex.get(bucket.index);
  if (!m) {
    m = { latencies: [], counters: [], completed: 0, completedOk: 0 };
    byIndex.set(bucket.index, m);
  }
  m.latencies.push(bucket.latency);
  m.counters.push(bucket.counters);
  m.completed += bucket.completed;
  m.completedOk += bucket.completedOk;
}
