import type { ShopTopologyInput } from '../../targets/shop/topology.ts';
import type { RunRecord } from '../checkers/checker.ts';
import { monotonicClock } from '../core/clock.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import { type Experiment, phaseWindows } from '../experiment/definition.ts';
import type { Fault, FaultContext } from '../faults/fault.ts';
import { createFault } from '../faults/registry.ts';
import { loadSchema } from '../load/load-spec.ts';
import type { LoadResult } from '../load/run-load.ts';
import { prepareLoadThread } from '../load/run-load-in-worker.ts';
import { MetricsRecorder, recordSamples } from '../metrics/recorder.ts';
import type { StartedTopology } from '../runtime/topology.ts';
import { EventLog } from '../samples/event-log.ts';
import type { Sample } from '../samples/sample.ts';
import { SampleBus } from '../samples/sample-bus.ts';
import { waitUntil } from './clock-wait.ts';
import { healAll, injectAll } from './fault-window.ts';
import { auditHeal } from './heal-audit.ts';
import { writeJournal } from './journal.ts';
import { evaluateHypotheses, judge } from './judge.ts';
import { startObservers } from './observers.ts';
import type { RunResult } from './result.ts';
import { type RunStatusLine, runStatus } from './status-line.ts';

export interface RunOptions {
  startTopology: (options: ShopTopologyInput) => Promise<StartedTopology>;
  runtime: string;
  outDir: string;
  durationScale?: number;
  seed?: number;
  log?: Logger;
  signal?: AbortSignal;
  /** Called with the bus once load starts, for live progress; returns how to stop it. */
  onBus?: (bus: SampleBus, status: () => RunStatusLine) => () => void;
}

export interface RunOutcome {
  result: RunResult;
  path: string;
}

type Variant = Experiment['variants'][number];

export async function runExperiment(
  experiment: Experiment,
  variant: Variant | undefined,
  options: RunOptions,
): Promise<RunOutcome> {
  const log = options.log ?? silentLogger;
  const scale = options.durationScale ?? 1;
  const seed = options.seed ?? experiment.seed;
  const label = variant ? `${experiment.name} [${variant.name}]` : experiment.name;
  const startedAt = new Date();
  const topologyOptions = { ...experiment.topology, ...(variant?.topology ?? {}) } as ShopTopologyInput;
  // Faults are created (and their parameters validated) before anything starts.
  const faults: Fault[] = experiment.faults.map((spec) => createFault(spec));
  log.info(`${label}: starting topology`);
  const topology = await options.startTopology(topologyOptions);
  const clock = monotonicClock();
  const events = new EventLog(clock.now);
  const bus = new SampleBus();
  const recorder = new MetricsRecorder({ bucketWidthMs: 1000 });
  const samples: Sample[] = [];
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const plan = phaseWindows(experiment, scale);
  // Load runs through every phase; its duration is theirs together.
  const spec = loadSchema.parse({
    ...experiment.load,
    executor: { ...experiment.load.executor, duration: plan.at(-1)?.endMs ?? 0 },
  });
  // The generator thread loads first, so the schedule starts exactly when the phases do.
  const loadThread = await prepareLoadThread(spec, {
    targets: { lb: topology.endpoints.lb, cdn: topology.endpoints.cdn },
    bus,
    seed,
    clock,
    signal: abort.signal,
  }).catch(async (err: Error) => {
    await topology.stop();
    throw err;
  });
  const loadStart = clock.now();
  const windows = plan.map((w) => ({
    ...w,
    startMs: w.startMs + loadStart,
    endMs: w.endMs + loadStart,
  }));
  const phaseAt = (t: number) => (windows.find((w) => t < w.endMs) ?? windows.at(-1))?.name as string;
  bus.subscribe((sample) => {
    samples.push(sample);
    recorder.record(sample, phaseAt(sample.intendedAt));
  });
  let injected = false;
  const statusLine = () => runStatus(clock.now(), windows, events.events);
  const stopProgress = options.onBus?.(bus, statusLine) ?? (() => undefined);

  let status: RunResult['status'] = 'completed';
  let statusReason: string | undefined;
  let loadResult: LoadResult | undefined;
  // Heals must run even after Ctrl-C, so they get a signal of their own.
  const healCtx: FaultContext = { topology, clock, events, log, signal: new AbortController().signal };
  const faultCtx: FaultContext = { ...healCtx, signal: abort.signal };
  const stopObservers = startObservers(topology, events);
  // Once a fault is in, bucket boundaries go on its first actuation: no bucket then holds requests
  // from before and after it (errors would seem to come before the fault).
  const metrics = () => {
    const actuatedAt = Math.min(...events.of('fault-actuated').map((e) => e.at));
    if (!Number.isFinite(actuatedAt)) return recorder.snapshot();
    const options = { bucketWidthMs: recorder.bucketWidthMs, originMs: actuatedAt };
    return recordSamples(samples, (s) => phaseAt(s.intendedAt), options);
  };
  const record = (): RunRecord => ({
    experiment: experiment.name,
    phases: windows,
    samples,
    events: events.events,
    metrics: metrics(),
  });
  try {
    const load = loadThread.start();
    load.catch(() => undefined);
    for (const window of windows) {
      if (!(await waitUntil(clock, window.startMs, abort.signal))) break;
      events.record({ kind: 'phase-start', phase: window.name });
      log.info(`${label}: ${window.name} (${Math.round((window.endMs - window.startMs) / 1000)} s)`);
      if (window.name === 'fault') {
        const steady = evaluateHypotheses(record(), experiment.steadyState, experiment.checkers).filter(
          (h) => h.holds !== true,
        );
        if (steady.length) {
          status = 'not-steady';
          statusReason = `not steady at baseline: ${steady.map((h) => `${h.text} (was ${h.value ?? 'unknown'})`).join('; ')}`;
          log.warn(`${label}: ${statusReason}`);
          abort.abort();
          break;
        }
        injected = true;
        // A fault may take most of its window to show (HAProxy: fall x inter), but not longer.
        const outcome = await injectAll(faults, faultCtx, Math.max(2000, window.endMs - clock.now()));
        if (!outcome.verified) {
          status = 'fault-not-verified';
          statusReason = `fault did not take effect: ${outcome.unverified.join(', ')}`;
          log.warn(`${label}: ${statusReason}`);
        }
      }
      const completed = await waitUntil(clock, window.endMs, abort.signal);
      if (injected) {
        await healAll(faults, healCtx);
        injected = false;
      }
      events.record({ kind: 'phase-end', phase: window.name });
      if (!completed) break;
    }
    loadResult = await load;
    // Stopping wins over what the interrupted steps concluded (e.g. a verify cut short).
    if (options.signal?.aborted) {
      status = 'aborted';
      statusReason = 'stopped by the user';
    }
  } catch (err) {
    status = 'error';
    statusReason = (err as Error).message;
    log.error(`${label}: ${statusReason}`);
  } finally {
    abort.abort();
    stopProgress();
    if (injected) await healAll(faults, healCtx);
    await stopObservers();
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  let result: RunResult;
  try {
    const healProblems = await auditHeal(topology).catch((err: Error) => [
      `heal audit failed: ${err.message}`,
    ]);
    if (healProblems.length && status === 'completed') {
      status = 'error';
      statusReason = `heal incomplete: ${healProblems.join('; ')}`;
    }
    result = await judge({
      experiment,
      variant,
      record: record(),
      status,
      statusReason,
      generator: loadResult?.health,
      healAudit: healProblems,
      startedAt,
      environment: { runtime: options.runtime, seed, durationScale: scale },
      topology,
    });
  } finally {
    await topology.stop();
  }
  const path = await writeJournal(options.outDir, result);
  log.info(`${label}: ${result.verdict} (${result.status}) → ${path}`);
  return { result, path };
}
