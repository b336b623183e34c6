/**
 * Starts named steps as soon as the steps each waits for are ready, all others side by side. Knows
 * nothing of services or runtimes: a topology turns its components into steps. The first failure
 * cancels what has not started yet and aborts what is starting; once every step in flight has
 * settled (so nothing is left half-started behind the caller's back), it is thrown as it was.
 */
import { performance } from 'node:perf_hooks';
import { FaultlineError } from '../core/errors.ts';
import { type Logger, silentLogger } from '../core/logger.ts';

export interface StartStep {
  /** Unique; other steps wait for it by this name. */
  readonly name: string;
  readonly waitsFor: readonly string[];
  /** Resolves once the steps that wait for it may start. `signal` aborts when another step failed. */
  start(signal: AbortSignal): Promise<void>;
  /**
   * What must also hold before the whole start is done, which no step waits for (a replica
   * streaming): it runs once `start` resolved, alongside the steps that wait for this one.
   */
  settle?(signal: AbortSignal): Promise<void>;
}

/** When each step started (its waits met), was ready and settled, in ms since the graph started. */
export interface StepTimes {
  startedAt: number;
  readyAt: number;
  settledAt: number;
}

export interface StartReport {
  totalMs: number;
  steps: Record<string, StepTimes>;
  /** The chain of waits that decided the total, first step first, each from its start to settled. */
  chain: { step: string; ms: number }[];
}

export interface StartGraphOptions {
  log?: Logger;
  /** Milliseconds, monotonic (injectable for specs). */
  now?: () => number;
}

/** Thrown into steps that never started because another one failed; never what startGraph throws. */
class Cancelled extends Error {}

const graphError = (message: string) =>
  new FaultlineError('topology.graph', message, 'fix the components’ declared waits');

/** The steps in an order where each comes after what it waits for; a clear error for anything else. */
export function startOrder(steps: readonly StartStep[]): StartStep[] {
  const byName = new Map<string, StartStep>();
  for (const step of steps) {
    if (byName.has(step.name)) throw graphError(`two components start "${step.name}"`);
    byName.set(step.name, step);
  }
  for (const step of steps) {
    for (const wait of step.waitsFor) {
      if (!byName.has(wait)) {
        throw graphError(
          `${step.name} waits for "${wait}", which nothing starts (started: ${[...byName.keys()].join(', ')})`,
        );
      }
    }
  }
  const ordered: StartStep[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (step: StartStep, path: string[]) => {
    if (state.get(step.name) === 'done') return;
    if (state.get(step.name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(step.name)), step.name];
      throw graphError(`the components wait for each other in a cycle: ${cycle.join(' -> ')}`);
    }
    state.set(step.name, 'visiting');
    for (const wait of step.waitsFor) visit(byName.get(wait) as StartStep, [...path, step.name]);
    state.set(step.name, 'done');
    ordered.push(step);
  };
  for (const step of steps) visit(step, []);
  return ordered;
}

export async function startGraph(
  steps: readonly StartStep[],
  { log = silentLogger, now = () => performance.now() }: StartGraphOptions = {},
): Promise<StartReport> {
  const ordered = startOrder(steps);
  const t0 = now();
  const at = () => Math.round(now() - t0);
  const abort = new AbortController();
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    if (!failure && !(error instanceof Cancelled)) {
      failure = { error };
      abort.abort(error);
    }
    throw error;
  };

  const times = new Map<string, StepTimes>();
  const ready = new Map<string, Promise<void>>();
  const settled: Promise<void>[] = [];
  for (const step of ordered) {
    const waits = step.waitsFor.map((name) => ready.get(name) as Promise<void>);
    const started = Promise.all(waits)
      .then(async () => {
        if (abort.signal.aborted) throw new Cancelled(step.name);
        const startedAt = at();
        await step.start(abort.signal);
        const readyAt = at();
        times.set(step.name, { startedAt, readyAt, settledAt: readyAt });
        log.info(`${step.name} ready (${readyAt - startedAt} ms, at ${readyAt} ms)`);
      })
      .catch(fail);
    ready.set(step.name, started);
    const { settle } = step;
    settled.push(
      settle === undefined
        ? started
        : started.then(async () => {
            const from = at();
            await settle.call(step, abort.signal).catch(fail);
            const settledAt = at();
            (times.get(step.name) as StepTimes).settledAt = settledAt;
            log.info(`${step.name} settled (${settledAt - from} ms, at ${settledAt} ms)`);
          }),
    );
  }
  await Promise.allSettled(settled);
  if (failure) throw failure.error;

  // When the last step was done, not a later clock read: the report's numbers agree with each other.
  const totalMs = Math.max(0, ...[...times.values()].map((t) => t.settledAt));
  const chain = criticalPath(ordered, times).map((step) => {
    const t = times.get(step) as StepTimes;
    return { step, ms: t.settledAt - t.startedAt };
  });
  log.info(
    `all ready in ${totalMs} ms; the longest chain: ${chain.map((s) => `${s.step} ${s.ms} ms`).join(' → ')}`,
  );
  return { totalMs, steps: Object.fromEntries(times), chain };
}

/** From the step that finished last back through the wait that held each one up the longest. */
function criticalPath(steps: readonly StartStep[], times: Map<string, StepTimes>): string[] {
  const finished = (name: string) => (times.get(name) as StepTimes).settledAt;
  const readyAt = (name: string) => (times.get(name) as StepTimes).readyAt;
  let last = steps[0];
  for (const step of steps) if (last && finished(step.name) > finished(last.name)) last = step;
  const byName = new Map(steps.map((s) => [s.name, s]));
  const path: string[] = [];
  for (let step: StartStep | undefined = last; step; ) {
    path.unshift(step.name);
    const latest: string | undefined = [...step.waitsFor].sort((a, b) => readyAt(b) - readyAt(a))[0];
    step = latest === undefined ? undefined : byName.get(latest);
  }
  return path;
}
