/** Runs one load spec against the targets, emitting every sample to the bus. */
import { type Clock, monotonicClock } from '../core/clock.ts';
import type { Random } from '../core/random.ts';
import { seededRandom } from '../core/random.ts';
import { ErrorCodes } from '../samples/sample.ts';
import type { SampleBus } from '../samples/sample-bus.ts';
import { CookieJar } from './cookie-jar.ts';
import {
  type GeneratorHealth,
  GeneratorHealthMonitor,
  type GeneratorHealthPart,
  generatorHealth,
} from './generator-health.ts';
import { HttpClient } from './http-client.ts';
import { executorKind, type LoadSpec } from './load-spec.ts';
import { Operation, type Targets } from './operation.ts';
import { workloadKinds } from './workloads/registry.ts';

/** Which of the generator's threads this is: it sends every `of`-th arrival, from the `index`-th. */
export interface LoadPart {
  index: number;
  of: number;
}

export interface RunLoadOptions {
  targets: Targets;
  bus: SampleBus;
  seed: number;
  clock?: Clock;
  signal?: AbortSignal;
  /** One thread of several (default: the only one). */
  part?: LoadPart;
}

export interface LoadResult {
  startedAt: number;
  endedAt: number;
  health: GeneratorHealth;
  /** Each thread's part of it, which a merge of several generators' results judges exactly. */
  healthParts: GeneratorHealthPart[];
}

/** One thread's run, which loadResult merges with the others'. */
export interface LoadPartResult {
  startedAt: number;
  endedAt: number;
  health: GeneratorHealthPart;
}

/** The run over all threads: from the first start to the last end, their health merged. */
export function loadResult(parts: readonly LoadPartResult[], spec: LoadSpec): LoadResult {
  return {
    startedAt: Math.min(...parts.map((p) => p.startedAt)),
    endedAt: Math.max(...parts.map((p) => p.endedAt)),
    health: generatorHealth(
      parts.map((p) => p.health),
      spec.maxSendLagMs,
    ),
    healthParts: parts.map((p) => p.health),
  };
}

/** A thread's share of a total (connections, the in-flight cap): at least one each. */
const shareOf = (total: number, part: LoadPart) => Math.max(1, Math.ceil(total / part.of));

function workloadFor(spec: LoadSpec['workload'], random: Random) {
  const kind = workloadKinds.get(spec.workload);
  if (!kind) throw new Error(`unknown workload "${spec.workload}" (the load spec was not validated)`);
  return kind.create(spec, random);
}

/** A load ready to start at once: its connections are already open. */
export interface PreparedLoad {
  /**
   * Runs the schedule from `startAt` (run clock; default now, and every thread of one load is
   * given the same); resolves when every request is done (and the connections are closed).
   */
  run(startAt?: number): Promise<LoadPartResult>;
  /** Closes the connections without running. */
  close(): Promise<void>;
}

/** Opens the connections to every target (see HttpClient.warm), so the schedule can start at once. */
export async function prepareLoad(spec: LoadSpec, options: RunLoadOptions): Promise<PreparedLoad> {
  const part = options.part ?? { index: 0, of: 1 };
  const client = new HttpClient({ connections: shareOf(spec.connections, part), timeoutMs: spec.timeout });
  await client.warm(Object.values(options.targets));
  return {
    run: (startAt) => runPrepared(spec, options, part, client, startAt),
    close: () => client.close(),
  };
}

/** Runs the load in this thread (its `workers` are not started: that is run-load-in-worker's job). */
export async function runLoad(spec: LoadSpec, options: RunLoadOptions): Promise<LoadResult> {
  return loadResult([await (await prepareLoad(spec, options)).run()], spec);
}

async function runPrepared(
  spec: LoadSpec,
  options: RunLoadOptions,
  part: LoadPart,
  client: HttpClient,
  startAt?: number,
): Promise<LoadPartResult> {
  const clock = options.clock ?? monotonicClock();
  const { bus } = options;
  const health = new GeneratorHealthMonitor(spec.maxSendLagMs);
  const unsubscribe = bus.subscribe((sample) => health.record(sample));
  // Each thread draws its own requests; the schedule (the executor's draws) is the same one for all.
  const workload = workloadFor(spec.workload, seededRandom(options.seed + part.index * 0x9e3779b1));
  const executor = executorKind(spec.executor.executor).create(
    spec.executor,
    spec.executor.duration,
    seededRandom(options.seed ^ 0x5bd1e995),
  );
  let users = 0;
  // Users of several threads must not share a name (sessions-lost follows them by it).
  const user = () => new CookieJar(part.of > 1 ? `w${part.index + 1}-user-${++users}` : `user-${++users}`);
  const deps = { client, targets: options.targets, bus, clock };
  const startedAt = startAt ?? clock.now();
  try {
    await executor({
      clock,
      startAt: startedAt,
      part,
      workload,
      maxInFlight: shareOf(spec.maxInFlight, part),
      precise: spec.precise,
      signal: options.signal,
      newUser: user,
      operation: (intendedAt, jar, readyAt) => new Operation(deps, intendedAt, jar ?? user(), readyAt),
      dropped: (intendedAt) =>
        bus.emit({
          request: workload.name,
          intendedAt,
          doneAt: intendedAt,
          outcome: 'fail',
          error: ErrorCodes.dropped,
        }),
    });
  } finally {
    unsubscribe();
    await client.close();
  }
  return { startedAt, endedAt: clock.now(), health: health.finish() };
}
