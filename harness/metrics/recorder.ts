/**
 * Consumes samples into latency histograms and counters, per phase and per time bucket, plus a
 * per-request-name breakdown per phase. Subscribe it to the sample bus:
 * `bus.subscribe((s) => recorder.record(s, schedule.currentPhase))`.
 *
 * Memory: each (phase, bucket) that sees a sample holds two histograms, ~190 KB (fixed layout, see
 * histogram.ts), i.e. ~11 MB per minute of run at the default 1 s buckets. For runs of an hour or
 * more, use a wider bucket.
 */
import { ExitCode, FaultlineError, usageError } from '../core/errors.ts';
import { latencyMs, type Sample, serviceTimeMs } from '../samples/sample.ts';
import { type Counters, countSample, createCounters, mergeCounters } from './counters.ts';
import {
  clampCounts,
  createHistogram,
  type LatencyHistogram,
  mergeHistograms,
  recordMs,
} from './histogram.ts';
import {
  type BucketMetrics,
  currentLayout,
  type MetricsSnapshot,
  makeSnapshot,
  type PhaseMetrics,
  type RequestMetrics,
} from './snapshot.ts';

export interface MetricsRecorderOptions {
  /** Width of a time bucket in ms (default 1000). */
  bucketWidthMs?: number;
  /**
   * Run-clock ms that one bucket boundary falls on (default 0, the run's start): buckets are
   * [origin + k·w, origin + (k+1)·w). A run puts it on the fault's actuation, so that no bucket
   * holds requests from both before and after it.
   */
  originMs?: number;
}

interface BucketState {
  latency: LatencyHistogram;
  serviceTime: LatencyHistogram;
  counters: Counters;
  completed: number;
  completedOk: number;
}

interface RequestState {
  latency: LatencyHistogram;
  counters: Counters;
}

interface PhaseState {
  buckets: Map<number, BucketState>;
  requests: Map<string, RequestState>;
}

function byKey<T>(a: [string | number, T], b: [string | number, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

export class MetricsRecorder {
  readonly bucketWidthMs: number;
  readonly originMs: number;
  // Map keeps insertion order: phases come out in the order they were first recorded.
  private readonly phases = new Map<string, PhaseState>();

  constructor(options: MetricsRecorderOptions = {}) {
    const width = options.bucketWidthMs ?? 1000;
    if (!Number.isFinite(width) || width <= 0) {
      throw usageError(
        'METRICS_BUCKET_WIDTH',
        `metrics bucket width must be a positive number of ms, got ${width}`,
        'use e.g. 1000 for one-second buckets',
      );
    }
    const origin = options.originMs ?? 0;
    if (!Number.isFinite(origin)) {
      throw usageError(
        'METRICS_BUCKET_ORIGIN',
        `metrics bucket origin must be a finite time in ms on the run clock, got ${origin}`,
        'give the run-clock time a bucket boundary should fall on, e.g. the fault actuation',
      );
    }
    this.bucketWidthMs = width;
    this.originMs = origin;
  }

  /**
   * Latency counts from intendedAt (coordinated-omission-correct), service time from sentAt. A
   * dropped sample (no sentAt) is counted but enters no histogram: it has no latency to report.
   */
  record(sample: Sample, phase: string): void {
    // Check everything before changing anything, so a bad sample leaves no half-recorded trace.
    const times = [sample.intendedAt, sample.doneAt, ...(sample.sentAt === undefined ? [] : [sample.sentAt])];
    if (!times.every(Number.isFinite)) {
      throw new FaultlineError(
        'METRICS_BAD_SAMPLE',
        `sample for "${sample.request}" has a non-finite time (intendedAt ${sample.intendedAt}, sentAt ${sample.sentAt}, doneAt ${sample.doneAt})`,
        'an executor emitted a broken sample; this is a faultline bug',
        ExitCode.environment,
      );
    }
    const state = this.phase(phase);
    const intended = this.bucket(state, this.indexOf(sample.intendedAt));
    const request = this.request(state, sample.request);
    countSample(intended.counters, sample);
    countSample(request.counters, sample);

    const latency = latencyMs(sample);
    const serviceTime = serviceTimeMs(sample);
    if (latency === undefined || serviceTime === undefined) return;
    recordMs(intended.latency, latency);
    recordMs(intended.serviceTime, serviceTime);
    recordMs(request.latency, latency);
    const done = this.bucket(state, this.indexOf(sample.doneAt));
    done.completed++;
    if (sample.outcome === 'ok') done.completedOk++;
  }

  /**
   * A copy of everything so far (later records do not change it). Phase totals are merged from the
   * buckets here rather than recorded twice. Costs a copy of every histogram: meant for the end of
   * a run or an occasional progress report, not for every sample.
   */
  snapshot(): MetricsSnapshot {
    const phases: PhaseMetrics<LatencyHistogram>[] = [];
    for (const [phase, state] of this.phases) {
      const buckets: BucketMetrics<LatencyHistogram>[] = [...state.buckets].sort(byKey).map(([index, b]) => ({
        index,
        startMs: this.originMs + index * this.bucketWidthMs,
        latency: mergeHistograms([b.latency]),
        serviceTime: mergeHistograms([b.serviceTime]),
        counters: mergeCounters([b.counters]),
        completed: b.completed,
        completedOk: b.completedOk,
      }));
      const requests: RequestMetrics<LatencyHistogram>[] = [...state.requests]
        .sort(byKey)
        .map(([request, r]) => ({
          request,
          latency: mergeHistograms([r.latency]),
          counters: mergeCounters([r.counters]),
        }));
      const latency = mergeHistograms(buckets.map((b) => b.latency));
      const serviceTime = mergeHistograms(buckets.map((b) => b.serviceTime));
      phases.push({
        phase,
        latency,
        serviceTime,
        counters: mergeCounters(buckets.map((b) => b.counters)),
        clamped: { latency: clampCounts(latency), serviceTime: clampCounts(serviceTime) },
        buckets,
        requests,
      });
    }
    return makeSnapshot({
      version: 1,
      histogramUnit: 'us',
      histogramLayout: currentLayout(),
      bucketWidthMs: this.bucketWidthMs,
      originMs: this.originMs,
      phases,
    });
  }

  private indexOf(t: number): number {
    return Math.floor((t - this.originMs) / this.bucketWidthMs);
  }

  private phase(name: string): PhaseState {
    let state = this.phases.get(name);
    if (!state) {
      state = { buckets: new Map(), requests: new Map() };
      this.phases.set(name, state);
    }
    return state;
  }

  private bucket(state: PhaseState, index: number): BucketState {
    let bucket = state.buckets.get(index);
    if (!bucket) {
      bucket = {
        latency: createHistogram(),
        serviceTime: createHistogram(),
        counters: createCounters(),
        completed: 0,
        completedOk: 0,
      };
      state.buckets.set(index, bucket);
    }
    return bucket;
  }

  private request(state: PhaseState, name: string): RequestState {
    let request = state.requests.get(name);
    if (!request) {
      request = { latency: createHistogram(), counters: createCounters() };
      state.requests.set(name, request);
    }
    return request;
  }
}

/**
 * The snapshot a recorder with these options would have made of these samples: for bucketing a
 * finished run anew once it is known where the boundaries belong (on the fault's actuation).
 */
export function recordSamples(
  samples: Iterable<Sample>,
  phaseOf: (sample: Sample) => string,
  options: MetricsRecorderOptions,
): MetricsSnapshot {
  const recorder = new MetricsRecorder(options);
  for (const sample of samples) recorder.record(sample, phaseOf(sample));
  return recorder.snapshot();
}
