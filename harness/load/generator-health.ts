/**
 * Is the generator keeping its schedule? Send lag (sent - when it could have been sent: the intended
 * time, or later when a session user still waited for its previous answer) and event-loop delay. When the
 * generator itself fell behind, its latencies are not the target's: the run is marked invalid
 * instead of being reported as fast (or slow).
 */
import { type ELDHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  mergeHistograms,
  recordMs,
  summarize,
} from '../metrics/histogram.ts';
import type { Sample } from '../samples/sample.ts';

export interface GeneratorHealth {
  sendLagMs: { p50: number; p99: number; max: number };
  eventLoopDelayMs: { p99: number; max: number };
  /** False when the generator could not keep the schedule. */
  valid: boolean;
  reason?: string;
}

// The histogram records the time between ticks of a timer firing every LOOP_RESOLUTION_MS, so every
// value includes that interval: the delay is what is left over.
const LOOP_RESOLUTION_MS = 10;
const loopDelayMs = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);

/**
 * One generator thread's share of the health, which generatorHealth merges over the threads: its
 * send lags as an encoded histogram (merged exactly), how many were late, its own event loop.
 */
export interface GeneratorHealthPart {
  sendLag: string;
  late: number;
  eventLoopDelayMs: { p99: number; max: number };
}

export class GeneratorHealthMonitor {
  private readonly sendLag = createHistogram();
  private late = 0;
  private readonly loop: ELDHistogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });

  constructor(private readonly maxSendLagP99Ms: number) {
    this.loop.enable();
  }

  record(sample: Sample): void {
    if (sample.sentAt === undefined) return;
    const lag = sample.sentAt - Math.max(sample.intendedAt, sample.readyAt ?? sample.intendedAt);
    recordMs(this.sendLag, lag);
    if (lag > this.maxSendLagP99Ms) this.late++;
  }

  /** This thread's part; the monitor stops watching the event loop. */
  finish(): GeneratorHealthPart {
    this.loop.disable();
    return {
      sendLag: encodeHistogram(this.sendLag),
      late: this.late,
      eventLoopDelayMs: { p99: loopDelayMs(this.loop.percentile(99)), max: loopDelayMs(this.loop.max) },
    };
  }
}

/** The generator's health over all its threads: their send lags merged, the worst event loop. */
export function generatorHealth(
  parts: readonly GeneratorHealthPart[],
  maxSendLagP99Ms: number,
): GeneratorHealth {
  const lag = summarize(mergeHistograms(parts.map((p) => decodeHistogram(p.sendLag))));
  const late = parts.reduce((n, p) => n + p.late, 0);
  const health: GeneratorHealth = {
    sendLagMs: { p50: lag.p50, p99: lag.p99, max: lag.max },
    eventLoopDelayMs: {
      p99: Math.max(0, ...parts.map((p) => p.eventLoopDelayMs.p99)),
      max: Math.max(0, ...parts.map((p) => p.eventLoopDelayMs.max)),
    },
    // Over 1% late is "p99 above the limit", but a single warm-up hiccup in a tiny run is not.
    valid: late <= Math.max(1, lag.count / 100),
  };
  if (!health.valid) {
    health.reason = `the load generator fell behind: send lag p99 ${lag.p99.toFixed(1)} ms > ${maxSendLagP99Ms} ms (lower the rate or free the CPU${parts.length > 1 ? '' : ', or add workers'})`;
  }
  return health;
}
