/**
 * Latency histograms: HdrHistogram with one fixed layout for the whole harness, values in integer
 * microseconds. Every histogram faultline makes has the same layout, so any two merge exactly (the
 * counts arrays line up index by index) and every encoding carries the same header.
 *
 * Summaries are in milliseconds (the unit of samples and reports); only the stored values are µs.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from 'hdr-histogram-js';
import { ExitCode, FaultlineError } from '../core/errors.ts';

/** A histogram of latencies in integer microseconds, made by {@link createHistogram}. */
export type LatencyHistogram = Histogram;

/**
 * The layout, and why:
 * - lowest 1 µs: loopback service times are often 50–500 µs; whole milliseconds would flatten them
 *   to 0 or 1. Below 1 µs nothing an HTTP client measures is meaningful.
 * - highest 1 hour: latency counts from the intended send time, so a stalled generator or target
 *   yields latencies as long as the stall (minutes, not milliseconds). Clipping those would hide
 *   exactly what coordinated-omission correction exists to show. An hour outlasts any run we plan;
 *   beyond it values are clamped and counted, never dropped.
 * - 3 significant digits: at most 0.1 % quantisation (p99 of 250 ms is exact to ±0.25 ms), the
 *   HdrHistogram default. With this range a histogram is 23,552 32-bit counters, ~95 KB.
 * - no auto-resize: the range never depends on the data, so memory is predictable and every
 *   histogram has the same layout (exact merges; an out-of-range value is a clamp, not a resize).
 * - 32-bit counts: 4 billion samples in one 0.1 % value range is out of reach.
 * - the pure-JS implementation, not WebAssembly: WASM histograms need an init call and a manual
 *   destroy() each, easy to leak with thousands of per-bucket histograms; JS ones are just GC'd.
 */
export const HISTOGRAM_LAYOUT = {
  lowestDiscernibleUs: 1,
  highestTrackableUs: 3_600_000_000,
  significantDigits: 3,
} as const;

export function createHistogram(): LatencyHistogram {
  return build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: HISTOGRAM_LAYOUT.lowestDiscernibleUs,
    highestTrackableValue: HISTOGRAM_LAYOUT.highestTrackableUs,
    numberOfSignificantValueDigits: HISTOGRAM_LAYOUT.significantDigits,
    useWebAssembly: false,
  });
}

/** How many recorded values were out of range and recorded at the nearest bound instead. */
export interface ClampCounts {
  /** Below 1 µs after rounding (zero or negative durations), recorded as 1 µs. */
  low: number;
  /** Above 1 hour, recorded as 1 hour. */
  high: number;
}

// Kept beside the histogram, not in it: the V2 format has no field for them, so they do not
// survive encoding (the recorder's snapshot carries them explicitly for that reason).
const clamps = new WeakMap<LatencyHistogram, ClampCounts>();

export function clampCounts(h: LatencyHistogram): ClampCounts {
  const c = clamps.get(h);
  return { low: c?.low ?? 0, high: c?.high ?? 0 };
}

function addClamps(h: LatencyHistogram, low: number, high: number): void {
  if (low === 0 && high === 0) return;
  const c = clamps.get(h);
  if (c) {
    c.low += low;
    c.high += high;
  } else {
    clamps.set(h, { low, high });
  }
}

/** Records a duration given in (fractional) milliseconds, rounded to the nearest microsecond. */
export function recordMs(h: LatencyHistogram, ms: number): void {
  // NaN would be filed at a NaN index and vanish; a bug upstream must be loud instead.
  if (!Number.isFinite(ms)) throw new RangeError(`cannot record a duration of ${ms} ms`);
  const us = Math.round(ms * 1000);
  if (us < HISTOGRAM_LAYOUT.lowestDiscernibleUs) {
    h.recordValue(HISTOGRAM_LAYOUT.lowestDiscernibleUs);
    addClamps(h, 1, 0);
  } else if (us > HISTOGRAM_LAYOUT.highestTrackableUs) {
    h.recordValue(HISTOGRAM_LAYOUT.highestTrackableUs);
    addClamps(h, 0, 1);
  } else {
    h.recordValue(us);
  }
}

/** A new histogram holding the sum of all the given ones (they are left unchanged). */
export function mergeHistograms(list: readonly LatencyHistogram[]): LatencyHistogram {
  const merged = createHistogram();
  for (const h of list) {
    merged.add(h);
    const c = clampCounts(h);
    addClamps(merged, c.low, c.high);
  }
  return merged;
}

// HdrHistogram V2 framing: [cookie i32][length i32][zlib(payload)], payload = [cookie i32]
// [payload length i32][normalizingIndexOffset i32][significant digits i32][lowest i64][highest i64]
// [integerToDoubleValueConversionRatio f64][ZigZag LEB128 counts], all big-endian.
const V2_COMPRESSED_COOKIE = 0x1c849314;
const NORMALIZING_INDEX_OFFSET_AT = 8;
const CONVERSION_RATIO_AT = 32;

/**
 * Compressed base64 in the HdrHistogram V2 format ("HISTF..."), readable by the Java, C, Go and
 * Rust implementations. hdr-histogram-js 3 writes two header fields differently from the Java
 * reference: normalizingIndexOffset as 1 (Java writes 0; HdrHistogram_c shifts every value by it,
 * Rust rejects a non-zero one) and the conversion ratio as the integer 1 (Java writes the double
 * 1.0; Rust rejects anything else). We rewrite both to the reference values; hdr-histogram-js
 * ignores them when decoding, so its own round trip is unaffected.
 */
export function encodeHistogram(h: LatencyHistogram): string {
  const framed = Buffer.from(encodeIntoCompressedBase64(h), 'base64');
  const payload = inflateSync(framed.subarray(8, 8 + framed.readUInt32BE(4)));
  payload.writeInt32BE(0, NORMALIZING_INDEX_OFFSET_AT);
  payload.writeDoubleBE(1.0, CONVERSION_RATIO_AT);
  const compressed = deflateSync(payload);
  const out = Buffer.alloc(8 + compressed.length);
  out.writeUInt32BE(V2_COMPRESSED_COOKIE, 0);
  out.writeUInt32BE(compressed.length, 4);
  compressed.copy(out, 8);
  return out.toString('base64');
}

/**
 * Reads a compressed base64 V2 histogram (ours, or one from another HdrHistogram implementation
 * recorded in µs). Its range is widened to at least our layout's, so it always merges with ours.
 */
export function decodeHistogram(encoded: string): LatencyHistogram {
  try {
    return decodeFromCompressedBase64(encoded, 32, false, HISTOGRAM_LAYOUT.highestTrackableUs);
  } catch (error) {
    throw new FaultlineError(
      'METRICS_HISTOGRAM_INVALID',
      `not a compressed HdrHistogram V2 histogram: ${(error as Error).message ?? error}`,
      'histograms in result.json are base64 strings starting with "HISTF"; the file may be truncated or hand-edited',
      ExitCode.usage,
      { cause: error },
    );
  }
}

/** The usual numbers, in milliseconds. All zero for an empty histogram. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
}

/**
 * Values are bucket bounds, as in every HdrHistogram: percentiles and max are the highest value
 * equivalent to the true one (at most 0.1 % above it, never below), min the lowest. That makes a
 * summary identical before and after an encode/decode round trip.
 */
export function summarize(h: LatencyHistogram): LatencySummary {
  if (h.totalCount === 0) return { count: 0, min: 0, mean: 0, max: 0, p50: 0, p90: 0, p99: 0, p999: 0 };
  const ms = (percentile: number) => h.getValueAtPercentile(percentile) / 1000;
  return {
    count: h.totalCount,
    min: ms(0),
    mean: h.mean / 1000,
    max: ms(100),
    p50: ms(50),
    p90: ms(90),
    p99: ms(99),
    p999: ms(99.9),
  };
}
