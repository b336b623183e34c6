/** Metrics: samples → HDR latency histograms and counters, per phase and time bucket → timelines. */
export {
  type Counters,
  countSample,
  createCounters,
  errorRateOf,
  mergeCounters,
  totalOf,
} from './counters.ts';
export {
  type ClampCounts,
  clampCounts,
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  HISTOGRAM_LAYOUT,
  type LatencyHistogram,
  type LatencySummary,
  mergeHistograms,
  recordMs,
  summarize,
} from './histogram.ts';
export { MetricsRecorder, type MetricsRecorderOptions } from './recorder.ts';
export {
  type BucketMetrics,
  type HistogramLayout,
  type MetricsData,
  type MetricsSnapshot,
  type MetricsSnapshotJSON,
  type PhaseMetrics,
  type RequestMetrics,
  snapshotFromJSON,
  snapshotToJSON,
} from './snapshot.ts';
export { buildTimeline, type TimelineOptions, type TimelinePoint } from './timeline.ts';
