/**
 * The shape of recorded metrics, as reports read them. One generic shape serves twice: with live
 * histograms (a snapshot, for computing) and with encoded ones (JSON, for result.json), so the two
 * cannot drift apart.
 *
 * Units: histogram values are integer microseconds; every other time (bucket starts, widths) is in
 * milliseconds on the run's monotonic clock, like samples. summarize() turns histograms into ms.
 */
import { z } from 'zod';
import { parseOrThrow } from '../core/validation.ts';
import { type Counters, mergeCounters } from './counters.ts';
import {
  type ClampCounts,
  decodeHistogram,
  encodeHistogram,
  HISTOGRAM_LAYOUT,
  type LatencyHistogram,
} from './histogram.ts';

/**
 * One time bucket of one phase. A bucket holds the requests *intended* in
 * [startMs, startMs + bucketWidthMs): bucket index = floor((intendedAt − originMs) / bucketWidthMs),
 * so buckets align to the origin (the fault's actuation in a run with a fault, else the run's start
 * t = 0), not to the first sample.
 */
export interface BucketMetrics<H> {
  index: number;
  /** originMs + index × bucketWidthMs. */
  startMs: number;
  /** doneAt − intendedAt of the sent requests intended in this bucket. */
  latency: H;
  /** doneAt − sentAt of the same requests. */
  serviceTime: H;
  /** Every sample intended in this bucket, dropped ones included. */
  counters: Counters;
  /**
   * Sent requests whose doneAt falls in this bucket, whenever they were intended (the basis of
   * throughput: what the system delivered during this interval).
   */
  completed: number;
  /** The ok ones among `completed`. */
  completedOk: number;
}

/** One request name of the workload (e.g. "GET /products/:id") over one phase. */
export interface RequestMetrics<H> {
  request: string;
  latency: H;
  counters: Counters;
}

export interface PhaseMetrics<H> {
  phase: string;
  /** The whole phase: exactly the merge of its buckets. */
  latency: H;
  serviceTime: H;
  counters: Counters;
  /**
   * Values recorded at a bound of the histogram range instead of their own (see histogram.ts).
   * Normally all zero; anything else means the numbers at that end are bounds, not measurements.
   */
  clamped: { latency: ClampCounts; serviceTime: ClampCounts };
  /** Ascending index; only buckets that something was recorded in (timeline.ts fills the gaps). */
  buckets: BucketMetrics<H>[];
  /** Sorted by request name. */
  requests: RequestMetrics<H>[];
}

export interface HistogramLayout {
  lowestDiscernibleUs: number;
  highestTrackableUs: number;
  significantDigits: number;
}

export interface MetricsData<H> {
  version: 1;
  /** Unit of histogram values. */
  histogramUnit: 'us';
  histogramLayout: HistogramLayout;
  bucketWidthMs: number;
  /** Run-clock ms a bucket boundary falls on; 0 (the run's start) in results written before it existed. */
  originMs: number;
  /** In the order each phase was first recorded. */
  phases: PhaseMetrics<H>[];
}

/** Histograms as compressed base64 HdrHistogram V2 strings: what result.json holds. */
export type MetricsSnapshotJSON = MetricsData<string>;

/**
 * Plain data with live histograms. JSON.stringify() writes it as MetricsSnapshotJSON (histograms
 * encoded, not the library's own toJSON summary); snapshotFromJSON() reads that back.
 */
export interface MetricsSnapshot extends MetricsData<LatencyHistogram> {
  toJSON(): MetricsSnapshotJSON;
}

function mapHistograms<A, B>(data: MetricsData<A>, f: (h: A, where: string) => B): MetricsData<B> {
  return {
    ...data,
    phases: data.phases.map((p) => ({
      ...p,
      latency: f(p.latency, `phase ${p.phase} latency`),
      serviceTime: f(p.serviceTime, `phase ${p.phase} serviceTime`),
      buckets: p.buckets.map((b) => ({
        ...b,
        latency: f(b.latency, `phase ${p.phase} bucket ${b.index} latency`),
        serviceTime: f(b.serviceTime, `phase ${p.phase} bucket ${b.index} serviceTime`),
      })),
      requests: p.requests.map((r) => ({
        ...r,
        latency: f(r.latency, `phase ${p.phase} request ${r.request}`),
      })),
    })),
  };
}

export function snapshotToJSON(snapshot: MetricsData<LatencyHistogram>): MetricsSnapshotJSON {
  return mapHistograms(snapshot, (h) => encodeHistogram(h));
}

/** Gives plain snapshot data its toJSON (not enumerable, so the data still reads as plain data). */
export function makeSnapshot(data: MetricsData<LatencyHistogram>): MetricsSnapshot {
  return Object.defineProperty(data, 'toJSON', {
    value: () => snapshotToJSON(data),
    enumerable: false,
  }) as MetricsSnapshot;
}

const count = z.number().int().min(0);
const countersSchema = z.object({
  ok: count,
  fail: count,
  info: count,
  dropped: count,
  byError: z.record(z.string(), count),
  byStatus: z.record(z.string(), count),
});
const clampSchema = z.object({ low: count, high: count });
const histogramSchema = z.string().min(1);
const snapshotSchema = z.object({
  version: z.literal(1),
  histogramUnit: z.literal('us'),
  histogramLayout: z.object({
    lowestDiscernibleUs: z.number().int().min(1),
    highestTrackableUs: z.number().int().min(2),
    significantDigits: z.number().int().min(0).max(5),
  }),
  bucketWidthMs: z.number().positive(),
  originMs: z.number().default(0),
  phases: z.array(
    z.object({
      phase: z.string(),
      latency: histogramSchema,
      serviceTime: histogramSchema,
      counters: countersSchema,
      clamped: z.object({ latency: clampSchema, serviceTime: clampSchema }),
      buckets: z.array(
        z.object({
          index: z.number().int(),
          startMs: z.number(),
          latency: histogramSchema,
          serviceTime: histogramSchema,
          counters: countersSchema,
          completed: count,
          completedOk: count,
        }),
      ),
      requests: z.array(
        z.object({ request: z.string(), latency: histogramSchema, counters: countersSchema }),
      ),
    }),
  ),
});

/**
 * Restores a snapshot from its JSON form (as parsed from result.json), decoding every histogram.
 * Throws a usage error naming every schema problem, or the histogram that does not decode.
 */
export function snapshotFromJSON(json: unknown): MetricsSnapshot {
  const parsed: MetricsSnapshotJSON = parseOrThrow(
    snapshotSchema,
    json,
    'metrics in result.json',
    'METRICS_JSON_INVALID',
    'the file was written by another faultline version or edited by hand',
  );
  const data = mapHistograms(parsed, (encoded, where) => {
    try {
      return decodeHistogram(encoded);
    } catch (error) {
      if (error instanceof Error) error.message = `${where}: ${error.message}`;
      throw error;
    }
  });
  // Back to null-prototype counter maps, as the recorder makes them.
  for (const p of data.phases) {
    p.counters = mergeCounters([p.counters]);
    for (const b of p.buckets) b.counters = mergeCounters([b.counters]);
    for (const r of p.requests) r.counters = mergeCounters([r.counters]);
  }
  return makeSnapshot(data);
}

/** The layout of every histogram we record (see histogram.ts for why). */
export function currentLayout(): HistogramLayout {
  return { ...HISTOGRAM_LAYOUT };
}
