/**
 * Live progress while load runs: what was sent, what failed, how slow. On a terminal one line is
 * redrawn in place (log lines go above it); elsewhere (CI logs) a plain line is printed per interval.
 * Numbers are formatted as the HTML report formats them.
 */
import { ms, num, perSecond } from '../../reports/html/format.ts';
import type { LiveLine } from '../core/live-line.ts';
import { createHistogram, type LatencyHistogram, recordMs, summarize } from '../metrics/histogram.ts';
import { latencyMs } from '../samples/sample.ts';
import type { SampleBus } from '../samples/sample-bus.ts';

export interface ProgressOptions {
  intervalMs?: number;
  /** Context shown before the numbers (e.g. suite position, phase, time left, active faults). */
  prefix?: () => string;
  /** Milliseconds, monotonic; injectable so a spec can say how long a tick was. */
  now?: () => number;
}

/** What one tick saw. */
export interface Tick {
  ok: number;
  failed: number;
  dropped: number;
  latencies: LatencyHistogram;
  /** How long the tick was: the counts are turned into rates over it. */
  spanMs: number;
}

/**
 * "80 req/s  ok 78/s  failed 2/s  dropped 0/s  p50 1.23 ms  p99 4.5 ms"; `brief` (for a narrow
 * terminal) leaves out the ok rate, which the other two imply, and dropped while none are.
 */
export function progressLine(tick: Tick, { brief = false } = {}): string {
  const rate = (n: number) => (tick.spanMs > 0 ? (n * 1000) / tick.spanMs : 0);
  const { count, p50, p99 } = summarize(tick.latencies);
  const latency = (v: number) => (count ? ms(v) : 'n/a');
  return [
    `${num(rate(tick.ok + tick.failed))} req/s`,
    ...(brief ? [] : [`ok ${perSecond(rate(tick.ok))}`]),
    `failed ${perSecond(rate(tick.failed))}`,
    ...(brief && tick.dropped === 0 ? [] : [`dropped ${perSecond(rate(tick.dropped))}`]),
    `p50 ${latency(p50)}`,
    `p99 ${latency(p99)}`,
  ].join('  ');
}

export function reportProgress(bus: SampleBus, line: LiveLine, options: ProgressOptions = {}): () => void {
  const intervalMs = options.intervalMs ?? 1000;
  const now = options.now ?? (() => performance.now());
  let tickStart = now();
  let tick = { ok: 0, failed: 0, dropped: 0, latencies: createHistogram() };
  const unsubscribe = bus.subscribe((sample) => {
    if (sample.sentAt === undefined) tick.dropped++;
    else if (sample.outcome === 'ok') tick.ok++;
    else tick.failed++;
    const latency = latencyMs(sample);
    if (latency !== undefined) recordMs(tick.latencies, latency);
  });
  const timer = setInterval(() => {
    const at = now();
    const context = options.prefix?.() ?? '';
    const measured = { ...tick, spanMs: at - tickStart };
    // On a narrow terminal the numbers come first, so the cut falls on the context's tail.
    line.show(
      [context, progressLine(measured)].filter(Boolean).join('  '),
      [progressLine(measured, { brief: true }), context].filter(Boolean).join('  ·  '),
    );
    tickStart = at;
    tick = { ok: 0, failed: 0, dropped: 0, latencies: createHistogram() };
  }, intervalMs);
  return () => {
    clearInterval(timer);
    unsubscribe();
    line.clear();
  };
}
