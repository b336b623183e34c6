/**
 * Live progress while load runs: what was sent, what failed, how slow. On a terminal one line is
 * redrawn in place; elsewhere (CI logs) a plain line is printed per interval.
 */
import { createHistogram, recordMs, summarize } from '../metrics/histogram.ts';
import { latencyMs } from '../samples/sample.ts';
import type { SampleBus } from '../samples/sample-bus.ts';

export interface ProgressOptions {
  intervalMs?: number;
  /** Context shown before the numbers (e.g. phase, time left, active faults). */
  prefix?: () => string;
}

interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function reportProgress(bus: SampleBus, out: Output, options: ProgressOptions = {}): () => void {
  const intervalMs = options.intervalMs ?? 1000;
  const live = out.isTTY === true;
  const started = performance.now();
  let window = createHistogram();
  let ok = 0;
  let failed = 0;
  let dropped = 0;
  const unsubscribe = bus.subscribe((sample) => {
    if (sample.sentAt === undefined) dropped++;
    else if (sample.outcome === 'ok') ok++;
    else failed++;
    const latency = latencyMs(sample);
    if (latency !== undefined) recordMs(window, latency);
  });
  const timer = setInterval(() => {
    const { p50, p99 } = summarize(window);
    const rate = ((ok + failed) * 1000) / intervalMs;
    const elapsed = ((performance.now() - started) / 1000).toFixed(0);
    const context = options.prefix ? `${options.prefix()}  ` : '';
    const line = `${context}t=${elapsed}s  ${rate.toFixed(0)} req/s  ok ${ok}  failed ${failed}  dropped ${dropped}  p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms`;
    out.write(live ? `\r\x1b[K${line}` : `${line}\n`);
    window = createHistogram();
    ok = failed = dropped = 0;
  }, intervalMs);
  return () => {
    clearInterval(timer);
    unsubscribe();
    if (live) out.write('\r\x1b[K');
  };
}
