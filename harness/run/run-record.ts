/**
 * What a run measured, as checkers and hypotheses read it: every sample off the bus, bucketed by
 * the phase it was meant for, with the phase windows and the event log beside them.
 */
import type { PhaseWindow, RunRecord } from '../checkers/checker.ts';
import { MetricsRecorder, recordSamples } from '../metrics/recorder.ts';
import type { EventLog } from '../samples/event-log.ts';
import type { Sample } from '../samples/sample.ts';
import type { SampleBus } from '../samples/sample-bus.ts';

/** Subscribes to `bus`; `record()` is the run so far (the steady-state check reads it mid-run). */
export function recordRun(
  experiment: string,
  windows: readonly PhaseWindow[],
  bus: SampleBus,
  events: EventLog,
): { record: () => RunRecord } {
  const recorder = new MetricsRecorder({ bucketWidthMs: 1000 });
  const samples: Sample[] = [];
  const phaseAt = (t: number) => (windows.find((w) => t < w.endMs) ?? windows.at(-1))?.name as string;
  bus.subscribe((sample) => {
    samples.push(sample);
    recorder.record(sample, phaseAt(sample.intendedAt));
  });
  // Once a fault is in, bucket boundaries go on its first actuation: no bucket then holds requests
  // from before and after it (errors would seem to come before the fault).
  const metrics = () => {
    const actuatedAt = Math.min(...events.of('fault-actuated').map((e) => e.at));
    if (!Number.isFinite(actuatedAt)) return recorder.snapshot();
    const options = { bucketWidthMs: recorder.bucketWidthMs, originMs: actuatedAt };
    return recordSamples(samples, (s) => phaseAt(s.intendedAt), options);
  };
  return {
    record: () => ({ experiment, phases: windows, samples, events: events.events, metrics: metrics() }),
  };
}
