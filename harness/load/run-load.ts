/** Runs one load spec against the targets, emitting every sample to the bus. */
import { type Clock, monotonicClock } from '../core/clock.ts';
import type { Random } from '../core/random.ts';
import { seededRandom } from '../core/random.ts';
import { ErrorCodes } from '../samples/sample.ts';
import type { SampleBus } from '../samples/sample-bus.ts';
import { CookieJar } from './cookie-jar.ts';
import { type GeneratorHealth, GeneratorHealthMonitor } from './generator-health.ts';
import { HttpClient } from './http-client.ts';
import { executorKind, type LoadSpec } from './load-spec.ts';
import { Operation, type Targets } from './operation.ts';
import { workloadKinds } from './workloads/registry.ts';

export interface RunLoadOptions {
  targets: Targets;
  bus: SampleBus;
  seed: number;
  clock?: Clock;
  signal?: AbortSignal;
}

export interface LoadResult {
  startedAt: number;
  endedAt: number;
  health: GeneratorHealth;
}

function workloadFor(spec: LoadSpec['workload'], random: Random) {
  const kind = workloadKinds.get(spec.workload);
  if (!kind) throw new Error(`unknown workload "${spec.workload}" (the load spec was not validated)`);
  return kind.create(spec, random);
}

/** A load ready to start at once: its connections are already open. */
export interface PreparedLoad {
  /** Runs the schedule from now; resolves when every request is done (and the connections are closed). */
  run(): Promise<LoadResult>;
  /** Closes the connections without running. */
  close(): Promise<void>;
}

/** Opens the connections to every target (see HttpClient.warm), so the schedule can start at once. */
export async function prepareLoad(spec: LoadSpec, options: RunLoadOptions): Promise<PreparedLoad> {
  const client = new HttpClient({ connections: spec.connections, timeoutMs: spec.timeout });
  await client.warm(Object.values(options.targets));
  return { run: () => runPrepared(spec, options, client), close: () => client.close() };
}

export async function runLoad(spec: LoadSpec, options: RunLoadOptions): Promise<LoadResult> {
  return (await prepareLoad(spec, options)).run();
}

async function runPrepared(spec: LoadSpec, options: RunLoadOptions, client: HttpClient): Promise<LoadResult> {
  const clock = options.clock ?? monotonicClock();
  const { bus } = options;
  const health = new GeneratorHealthMonitor(spec.maxSendLagMs);
  const unsubscribe = bus.subscribe((sample) => health.record(sample));
  const workload = workloadFor(spec.workload, seededRandom(options.seed));
  const executor = executorKind(spec.executor.executor).create(
    spec.executor,
    spec.executor.duration,
    seededRandom(options.seed ^ 0x5bd1e995),
  );
  let users = 0;
  const deps = { client, targets: options.targets, bus, clock };
  const startedAt = clock.now();
  try {
    await executor({
      clock,
      workload,
      maxInFlight: spec.maxInFlight,
      precise: spec.precise,
      signal: options.signal,
      newUser: () => new CookieJar(`user-${++users}`),
      operation: (intendedAt, jar, readyAt) =>
        new Operation(deps, intendedAt, jar ?? new CookieJar(`user-${++users}`), readyAt),
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
