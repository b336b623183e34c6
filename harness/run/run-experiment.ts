/**
 * Runs one experiment (or one variant of it) end to end: topology up, load through warmup →
 * baseline → fault → recovery, steady state checked before the fault, faults injected, verified and
 * always healed, observers watching, then checkers and hypotheses judge the record, and result.json
 * is written — also when the run was aborted or went wrong.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { ShopTopologyInput } from '../../targets/shop/topology.ts';
import type { RunRecord } from '../checkers/checker.ts';
import { metricValue, optionsFromSpecs } from '../checkers/metric-values.ts';
import { runCheckers } from '../checkers/registry.ts';
import { monotonicClock } from '../core/clock.ts';
import { type Logger, silentLogger } from '../core/logger.ts';
import { type Experiment, phaseWindows } from '../experiment/definition.ts';
import { compare, type Hypothesis, parseHypothesis } from '../experiment/hypothesis.ts';
import type { Fault, FaultContext } from '../faults/fault.ts';
import { createFault } from '../faults/registry.ts';
import { loadSchema } from '../load/load-spec.ts';
import type { LoadResult } from '../load/run-load.ts';
import { runLoadInWorker } from '../load/run-load-in-worker.ts';
import { MetricsRecorder } from '../metrics/recorder.ts';
import { checkPrerequisites } from '../runtime/local/prerequisites.ts';
import type { StartedTopology } from '../runtime/topology.ts';
import { EventLog } from '../samples/event-log.ts';
import type { Sample } from '../samples/sample.ts';
import { SampleBus } from '../samples/sample-bus.ts';
import { waitUntil } from './clock-wait.ts';
import { healAll, injectAll } from './fault-window.ts';
import { auditHeal } from './heal-audit.ts';
import { writeJournal } from './journal.ts';
import { startObservers } from './observers.ts';
import { type HypothesisResult, RESULT_SCHEMA_VERSION, type RunResult } from './result.ts';

export interface RunOptions {
  startTopology: (options: ShopTopologyInput) => Promise<StartedTopology>;
  runtime: string;
  outDir: string;
  durationScale?: number;
  seed?: number;
  log?: Logger;
  signal?: AbortSignal;
  /** Called with the bus once load starts, for live progress; returns how to stop it. */
  onBus?: (bus: SampleBus, currentPhase: () => string) => () => void;
}

export interface RunOutcome {
  result: RunResult;
  path: string;
}

type Variant = Experiment['variants'][number];

/** The versions of the services the runtime runs (as faultline doctor reports them). */
async function environmentVersions(): Promise<Record<string, string>> {
  const checks = await checkPrerequisites().catch(() => []);
  return Object.fromEntries(checks.filter((c) => c.ok).map((c) => [c.name, c.detail]));
}

function gitSha(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

function evaluate(record: RunRecord, texts: string[], checkers: Experiment['checkers']): HypothesisResult[] {
  const options = optionsFromSpecs(checkers);
  return texts.map((text) => {
    const h = parseHypothesis(text) as Hypothesis;
    const value = metricValue(record, h.metric, h.phase, options);
    const holds =
      value === undefined || Number.isNaN(value) ? ('unknown' as const) : compare(value, h.op, h.threshold);
    return {
      text,
      metric: h.metric,
      ...(h.phase ? { phase: h.phase } : {}),
      op: h.op,
      threshold: h.threshold,
      value: value ?? null,
      holds,
    };
  });
}

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
  const loadStart = clock.now();
  const windows = phaseWindows(experiment, scale).map((w) => ({
    ...w,
    startMs: w.startMs + loadStart,
    endMs: w.endMs + loadStart,
  }));
  const phaseAt = (t: number) => (windows.find((w) => t < w.endMs) ?? windows.at(-1))?.name as string;
  bus.subscribe((sample) => {
    samples.push(sample);
    recorder.record(sample, phaseAt(sample.intendedAt));
  });
  const stopProgress = options.onBus?.(bus, () => phaseAt(clock.now())) ?? (() => undefined);

  let status: RunResult['status'] = 'completed';
  let statusReason: string | undefined;
  let loadResult: LoadResult | undefined;
  let injected = false;
  // Heals must run even after Ctrl-C, so they get a signal of their own.
  const healCtx: FaultContext = { topology, clock, events, log, signal: new AbortController().signal };
  const faultCtx: FaultContext = { ...healCtx, signal: abort.signal };
  const stopObservers = startObservers(topology, events);
  const record = (): RunRecord => ({
    experiment: experiment.name,
    phases: windows,
    samples,
    events: events.events,
    metrics: recorder.snapshot(),
  });
  try {
    // Load runs through every phase; its duration is theirs together.
    const duration = (windows.at(-1)?.endMs ?? loadStart) - loadStart;
    const spec = loadSchema.parse({
      ...experiment.load,
      executor: { ...experiment.load.executor, duration },
    });
    const load = runLoadInWorker(spec, {
      targets: { lb: topology.endpoints.lb, cdn: topology.endpoints.cdn },
      bus,
      seed,
      clock,
      signal: abort.signal,
    });
    load.catch(() => undefined);
    for (const window of windows) {
      if (!(await waitUntil(clock, window.startMs, abort.signal))) break;
      events.record({ kind: 'phase-start', phase: window.name });
      log.info(`${label}: ${window.name} (${Math.round((window.endMs - window.startMs) / 1000)} s)`);
      if (window.name === 'fault') {
        const steady = evaluate(record(), experiment.steadyState, experiment.checkers).filter(
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
        const outcome = await injectAll(
          faults,
          faultCtx,
          Math.max(5000, (window.endMs - window.startMs) / 2),
        );
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
    const final = record();
    const checks = runCheckers(final, experiment.checkers);
    const hypotheses = evaluate(final, variant?.hypotheses ?? experiment.hypotheses, experiment.checkers);
    const generator = loadResult?.health ?? { valid: false, reason: 'load did not finish' };
    const verdict: RunResult['verdict'] =
      status !== 'completed' || !generator.valid
        ? 'invalid'
        : hypotheses.every((h) => h.holds === true)
          ? 'pass'
          : hypotheses.some((h) => h.holds === false)
            ? 'fail'
            : 'invalid';
    result = {
      schemaVersion: RESULT_SCHEMA_VERSION,
      experiment: {
        name: experiment.name,
        description: experiment.description,
        definition: experiment as unknown as Record<string, unknown>,
      },
      variant: variant?.name ?? null,
      status,
      ...(statusReason ? { statusReason } : {}),
      verdict,
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      environment: {
        runtime: options.runtime,
        seed,
        durationScale: scale,
        gitSha: gitSha(),
        node: process.version,
        cpus: os.cpus().length,
        versions: await environmentVersions(),
      },
      topology: {
        services: [...topology.serviceNames],
        links: [...topology.linkNames],
        options: { ...topology.options },
      },
      phases: windows,
      healAudit: healProblems,
      events: events.events as RunResult['events'],
      generator: generator as RunResult['generator'],
      metrics: final.metrics.toJSON() as unknown as Record<string, unknown>,
      checks,
      hypotheses,
    };
  } finally {
    await topology.stop();
  }
  const path = await writeJournal(options.outDir, result);
  log.info(`${label}: ${result.verdict} (${result.status}) → ${path}`);
  return { result, path };
}
