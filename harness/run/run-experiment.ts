import type { RunRecord } from '../checkers/checker.ts';
import { monotonicClock } from '../core/clock.ts';
import { ExitCode, FaultlineError } from '../core/errors.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import type { Experiment, PhaseName } from '../experiment/definition.ts';
import type { FaultContext } from '../faults/fault.ts';
import { type RunResult, writeJournal } from '../journal/index.ts';
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
import { evaluateHypotheses, judge } from './judge.ts';
import { startObservers } from './observers.ts';
import { planRun, type RunPlan, type TopologyInput, type Variant } from './plan-run.ts';
import { type RunStatusLine, runStatus } from './status-line.ts';

export interface RunOptions {
  startTopology: (options: TopologyInput) => Promise<StartedTopology>;
  runtime: string;
  outDir: string;
  durationScale?: number;
  seed?: number;
  log?: Logger;
  signal?: AbortSignal;
  /** Called with the bus once load starts, for live progress; returns how to stop it. */
  onBus?: (bus: SampleBus, status: () => RunStatusLine) => () => void;
  /**
   * Called as each step of a run begins, once the topology is up; an error it throws fails that
   * step like any other (how the teardown spec proves that every step's failure tears down).
   */
  onStep?: (step: RunStep) => void | Promise<void>;
}

/** The steps of a run after the topology started, in order. */
export type RunStep = 'load' | PhaseName | 'steady' | 'inject' | 'heal' | 'audit' | 'judge' | 'journal';

export interface RunOutcome {
  result: RunResult;
  path: string;
}

/**
 * Runs one experiment (variant): checks everything it can first (nothing starts for a bad
 * definition), starts the topology, measures, and stops the topology whatever happened; then writes
 * result.json (only that: report.html is the caller's, e.g. `faultline run`). A failure after the start that the result cannot record is one FaultlineError (exit 3).
 */
export async function runExperiment(
  experiment: Experiment,
  variant: Variant | undefined,
  options: RunOptions,
): Promise<RunOutcome> {
  const log = options.log ?? silentLogger;
  const plan = planRun(experiment, variant, options.durationScale ?? 1);
  const startedAt = new Date();
  log.info(`${plan.label}: starting topology`);
  // A runtime stops whatever it started when its start fails.
  const topology = await options.startTopology(plan.topology).catch((err: unknown) => {
    throw runFailed(plan.label, err);
  });
  try {
    const result = await measure(experiment, variant, plan, topology, options, startedAt).finally(() =>
      topology.stop(),
    );
    await options.onStep?.('journal');
    const path = await writeJournal(options.outDir, result);
    log.info(`${plan.label}: ${result.verdict} (${result.status}) → ${path}`);
    return { result, path };
  } catch (err) {
    throw runFailed(plan.label, err);
  }
}

/** Errors are one line with a hint; one that is not a FaultlineError is a harness failure (exit 3). */
function runFailed(label: string, err: unknown): FaultlineError {
  if (err instanceof FaultlineError) return err;
  return new FaultlineError(
    'run.failed',
    `${label}: ${String((err as Error)?.message ?? err).split('\n')[0]}`,
    'nothing was left running; fix what it says and run again',
    ExitCode.environment,
    { cause: err },
  );
}

/** Load through the phases, the faults in theirs, heals, the heal audit and the judgement. */
async function measure(
  experiment: Experiment,
  variant: Variant | undefined,
  plan: RunPlan,
  topology: StartedTopology,
  options: RunOptions,
  startedAt: Date,
): Promise<RunResult> {
  const log = options.log ?? silentLogger;
  const scale = options.durationScale ?? 1;
  const seed = options.seed ?? experiment.seed;
  const { label, faults } = plan;
  const step = async (name: RunStep) => options.onStep?.(name);
  const clock = monotonicClock();
  const events = new EventLog(clock.now);
  const bus = new SampleBus();
  const recorder = new MetricsRecorder({ bucketWidthMs: 1000 });
  const samples: Sample[] = [];
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  // The generator thread loads first, so the schedule starts exactly when the phases do.
  await step('load');
  const loadThread = await prepareLoadThread(plan.load, {
    targets: { lb: topology.endpoints.lb, cdn: topology.endpoints.cdn },
    bus,
    seed,
    clock,
    signal: abort.signal,
  });
  const loadStart = clock.now();
  const windows = plan.phases.map((w) => ({
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
  let stopProgress: () => void = () => undefined;

  let status: RunResult['status'] = 'completed';
  let statusReason: string | undefined;
  let loadResult: LoadResult | undefined;
  // Heals must run even after Ctrl-C, so they get a signal of their own.
  const healCtx: FaultContext = { topology, clock, events, log, signal: new AbortController().signal };
  const faultCtx: FaultContext = { ...healCtx, signal: abort.signal };
  let stopObservers: () => Promise<void> = async () => undefined;
  let load: Promise<LoadResult> | undefined;
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
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) abort.abort();
  try {
    stopProgress = options.onBus?.(bus, statusLine) ?? stopProgress;
    stopObservers = startObservers(topology, events);
    load = loadThread.start();
    load.catch(() => undefined);
    for (const window of windows) {
      if (!(await waitUntil(clock, window.startMs, abort.signal))) break;
      events.record({ kind: 'phase-start', phase: window.name });
      log.info(`${label}: ${window.name} (${Math.round((window.endMs - window.startMs) / 1000)} s)`);
      await step(window.name);
      if (window.name === 'fault') {
        await step('steady');
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
        await step('inject');
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
        await step('heal');
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
    // The generator is done (or never started) before anything else stops.
    await (load ? load.catch(() => undefined) : loadThread.terminate());
    stopProgress();
    if (injected) await healAll(faults, healCtx);
    await stopObservers();
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  const healProblems = await step('audit')
    .then(() => auditHeal(topology))
    .catch((err: Error) => [`heal audit failed: ${err.message}`]);
  if (healProblems.length && status === 'completed') {
    status = 'error';
    statusReason = `heal incomplete: ${healProblems.join('; ')}`;
  }
  await step('judge');
  return judge({
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
}
