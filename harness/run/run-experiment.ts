import type { Composition } from '../components/composition.ts';
import { monotonicClock } from '../core/clock.ts';
import { ExitCode, FaultlineError } from '../core/errors.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import type { Experiment, PhaseName } from '../experiment/definition.ts';
import type { FaultContext } from '../faults/fault.ts';
import { type RunResult, writeJournal } from '../journal/index.ts';
import type { LoadResult } from '../load/run-load.ts';
import { type LoadThread, prepareLoadThread } from '../load/run-load-in-worker.ts';
import type { StartedTopology } from '../runtime/topology.ts';
import { EventLog } from '../samples/event-log.ts';
import { SampleBus } from '../samples/sample-bus.ts';
import { waitUntil } from './clock-wait.ts';
import { healAll, injectAll } from './fault-window.ts';
import { auditHeal } from './heal-audit.ts';
import { evaluateHypotheses, judge } from './judge.ts';
import { readBackLedger } from './ledger-read-back.ts';
import { startObservers } from './observers.ts';
import { type PlanOverrides, planRun, type RunPlan, type Variant } from './plan-run.ts';
import { recordRun } from './run-record.ts';
import { type RunStatusLine, runStatus } from './status-line.ts';

export interface RunOptions extends PlanOverrides {
  startTopology: (composition: Composition) => Promise<StartedTopology>;
  runtime: string;
  outDir: string;
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
 * result.json (only that: report.html is the caller's, e.g. `faultline run`). A failure after the
 * start that the result cannot record is one FaultlineError (exit 3).
 */
export async function runVariant(
  experiment: Experiment,
  variant: Variant | undefined,
  options: RunOptions,
): Promise<RunOutcome> {
  const plan = await planRun(experiment, variant, options);
  const startedAt = new Date();
  const topology = await startTopology(plan, options);
  try {
    const run = newRun({ experiment, variant, plan, topology, options, startedAt });
    const result = await measure(run).finally(() => topology.stop());
    return await journal(run, result);
  } catch (err) {
    throw runFailed(plan.label, err);
  }
}

/** One run under way: what it runs on, its clock and event log, and its options' defaults. */
interface Run {
  experiment: Experiment;
  variant: Variant | undefined;
  plan: RunPlan;
  topology: StartedTopology;
  options: RunOptions;
  startedAt: Date;
  log: Logger;
  seed: number;
  clock: ReturnType<typeof monotonicClock>;
  events: EventLog;
  step: (name: RunStep) => Promise<void>;
}

function newRun(run: Omit<Run, 'log' | 'seed' | 'clock' | 'events' | 'step'>): Run {
  const clock = monotonicClock();
  return {
    ...run,
    log: run.options.log ?? silentLogger,
    seed: run.options.seed ?? run.experiment.seed,
    clock,
    events: new EventLog(clock.now),
    step: async (name) => run.options.onStep?.(name),
  };
}

async function startTopology(plan: RunPlan, options: RunOptions): Promise<StartedTopology> {
  (options.log ?? silentLogger).info(`${plan.label}: starting topology`);
  // A runtime stops whatever it started when its start fails.
  return options.startTopology(plan.composition).catch((err: unknown) => {
    throw runFailed(plan.label, err);
  });
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
async function measure(run: Run): Promise<RunResult> {
  const load = await prepareLoad(run);
  const phases = await runPhases(run, load);
  const healAudit = await auditHeals(run, phases);
  await readBackLedger(run.topology, load.record().samples, run.events);
  await run.step('judge');
  return judge({
    experiment: run.experiment,
    variant: run.variant,
    record: load.record(),
    status: phases.status,
    statusReason: phases.statusReason,
    generator: phases.loadResult?.health,
    healAudit,
    load: run.plan.load,
    startedAt: run.startedAt,
    environment: {
      runtime: run.options.runtime,
      seed: run.seed,
      durationScale: run.options.durationScale ?? 1,
    },
    topology: run.topology,
  });
}

/** The load generator, ready to start, and the phase windows and record on its clock. */
interface PreparedLoad {
  thread: LoadThread;
  bus: SampleBus;
  /** Stops the load and the phases (the end of the run, a user's stop, a failed steady state). */
  abort: AbortController;
  windows: RunPlan['phases'];
  record: ReturnType<typeof recordRun>['record'];
}

async function prepareLoad(run: Run): Promise<PreparedLoad> {
  const { clock, topology } = run;
  const bus = new SampleBus();
  const abort = new AbortController();
  // The generator thread loads first, so the schedule starts exactly when the phases do.
  await run.step('load');
  const thread = await prepareLoadThread(run.plan.load, {
    targets: { lb: topology.endpoints.lb, cdn: topology.endpoints.cdn },
    bus,
    seed: run.seed,
    clock,
    signal: abort.signal,
  });
  const loadStart = clock.now();
  const windows = run.plan.phases.map((w) => ({
    ...w,
    startMs: w.startMs + loadStart,
    endMs: w.endMs + loadStart,
  }));
  const { record } = recordRun(run.experiment.name, windows, bus, run.events);
  return { thread, bus, abort, windows, record };
}

/** How the phases ended, as the result's status says, with the generator's own account. */
interface PhasesOutcome {
  status: RunResult['status'];
  statusReason?: string | undefined;
  loadResult?: LoadResult | undefined;
}

/** What the phases share: how they ended so far, and whether faults are in (to heal them). */
interface PhasesState extends PhasesOutcome {
  injected: boolean;
  faultCtx: FaultContext;
  healCtx: FaultContext;
}

/**
 * Starts the load and goes through the phases; whatever happens, the load stops, faults still in are
 * healed and the observers stop. A step that fails is recorded (status "error"), not thrown.
 */
async function runPhases(run: Run, load: PreparedLoad): Promise<PhasesOutcome> {
  const { topology, clock, events, log, options } = run;
  const { abort, windows } = load;
  // Heals must run even after Ctrl-C, so they get a signal of their own.
  const healCtx: FaultContext = { topology, clock, events, log, signal: new AbortController().signal };
  const state: PhasesState = {
    status: 'completed',
    injected: false,
    healCtx,
    faultCtx: { ...healCtx, signal: abort.signal },
  };
  const onOuterAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) abort.abort();
  let stopProgress: () => void = () => undefined;
  let stopObservers: () => Promise<void> = async () => undefined;
  let loading: Promise<LoadResult> | undefined;
  try {
    stopProgress =
      options.onBus?.(load.bus, () => runStatus(clock.now(), windows, events.events)) ?? stopProgress;
    stopObservers = startObservers(topology, events);
    loading = load.thread.start();
    loading.catch(() => undefined);
    for (const window of windows) {
      if (!(await runPhase(run, load, window, state))) break;
    }
    state.loadResult = await loading;
    // Stopping wins over what the interrupted steps concluded (e.g. a verify cut short).
    if (options.signal?.aborted) {
      state.status = 'aborted';
      state.statusReason = 'stopped by the user';
    }
  } catch (err) {
    state.status = 'error';
    state.statusReason = (err as Error).message;
    log.error(`${run.plan.label}: ${state.statusReason}`);
  } finally {
    abort.abort();
    // The generator is done (or never started) before anything else stops.
    await (loading ? loading.catch(() => undefined) : load.thread.terminate());
    stopProgress();
    if (state.injected) await healAll(run.plan.faults, healCtx);
    await stopObservers();
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  return { status: state.status, statusReason: state.statusReason, loadResult: state.loadResult };
}

/** One phase, from its start to its end; false when the run stops here. */
async function runPhase(
  run: Run,
  load: PreparedLoad,
  window: PreparedLoad['windows'][number],
  state: PhasesState,
): Promise<boolean> {
  const { clock, events, log } = run;
  if (!(await waitUntil(clock, window.startMs, load.abort.signal))) return false;
  events.record({ kind: 'phase-start', phase: window.name });
  log.info(`${run.plan.label}: ${window.name} (${Math.round((window.endMs - window.startMs) / 1000)} s)`);
  await run.step(window.name);
  if (window.name === 'fault' && !(await injectIfSteady(run, load, window, state))) return false;
  const completed = await waitUntil(clock, window.endMs, load.abort.signal);
  if (state.injected) {
    await run.step('heal');
    await healAll(run.plan.faults, state.healCtx);
    state.injected = false;
  }
  events.record({ kind: 'phase-end', phase: window.name });
  return completed;
}

/**
 * The fault phase's start: the steady state must hold at baseline (else the run stops, not
 * steady), then every fault goes in and is verified within the phase.
 */
async function injectIfSteady(
  run: Run,
  load: PreparedLoad,
  window: PreparedLoad['windows'][number],
  state: PhasesState,
): Promise<boolean> {
  const { experiment, log, plan } = run;
  await run.step('steady');
  const steady = evaluateHypotheses(load.record(), experiment.steadyState, experiment.checkers).filter(
    (h) => h.holds !== true,
  );
  if (steady.length) {
    state.status = 'not-steady';
    state.statusReason = `not steady at baseline: ${steady.map((h) => `${h.text} (was ${h.value ?? 'unknown'})`).join('; ')}`;
    log.warn(`${plan.label}: ${state.statusReason}`);
    load.abort.abort();
    return false;
  }
  state.injected = true;
  await run.step('inject');
  // A fault may take most of its window to show (HAProxy: fall x inter), but not longer.
  const outcome = await injectAll(
    plan.faults,
    state.faultCtx,
    Math.max(2000, window.endMs - run.clock.now()),
  );
  if (!outcome.verified) {
    state.status = 'fault-not-verified';
    state.statusReason = `fault did not take effect: ${outcome.unverified.join(', ')}`;
    log.warn(`${plan.label}: ${state.statusReason}`);
  }
  return true;
}

/** Every heal held (no toxics, proxies enabled, services running); a failed audit is a problem too. */
async function auditHeals(run: Run, phases: PhasesOutcome): Promise<string[]> {
  const problems = await run
    .step('audit')
    .then(() => auditHeal(run.topology))
    .catch((err: Error) => [`heal audit failed: ${err.message}`]);
  if (problems.length && phases.status === 'completed') {
    phases.status = 'error';
    phases.statusReason = `heal incomplete: ${problems.join('; ')}`;
  }
  return problems;
}

async function journal(run: Run, result: RunResult): Promise<RunOutcome> {
  await run.step('journal');
  const path = await writeJournal(run.options.outDir, result);
  run.log.info(`${run.plan.label}: ${result.verdict} (${result.status}) → ${path}`);
  return { result, path };
}
