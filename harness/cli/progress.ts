/** One plain line per interval while load runs: what was sent, what failed, how slow (stderr). */
import { createHistogram, recordMs, summarize } from '../metrics/histogram.ts';
import { latencyMs } from '../samples/sample.ts';
import type { SampleBus } from '../samples/sample-bus.ts';

export function reportProgress(bus: SampleBus, write: (line: string) => void, intervalMs = 1000): () => void {
  let window = createHistogram();
  let ok = 0;
  let failed = 0;
  let dropped = 0;
  let elapsed = 0;
  const unsubscribe = bus.subscribe((sample) => {
    if (sample.sentAt === undefined) dropped++;
    else if (sample.outcome === 'ok') ok++;
    else failed++;
    const latency = latencyMs(sample);
    if (latency !== undefined) recordMs(window, latency);
  });
  const timer = setInterval(() => {
    elapsed += intervalMs;
    const { p50, p99 } = summarize(window);
    const rate = ((ok + failed) * 1000) / intervalMs;
    write(
      `t=${(elapsed / 1000).toFixed(0)}s  ${rate.toFixed(0)} req/s  ok ${ok}  failed ${failed}  dropped ${dropped}  p50 ${p50.toFixed(1)} ms  p99 ${p99.toFixed(1)} ms\n`,
    );
    window = createHistogram();
    ok = failed = dropped = 0;
  }, intervalMs);
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}
