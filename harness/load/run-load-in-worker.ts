/**
 * Runs a load spec in worker threads (its `workers`, one by default) and replays their samples onto
 * the harness's bus, each thread's in order.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Clock } from '../core/clock.ts';
import type { SampleBus } from '../samples/sample-bus.ts';
import type { LoadSpec } from './load-spec.ts';
import type { LoadWorkerData, LoadWorkerMessage } from './load-worker.ts';
import type { Targets } from './operation.ts';
import { type LoadPart, type LoadPartResult, type LoadResult, loadResult } from './run-load.ts';

// Workers do not inherit the TypeScript loader on Node 20: register tsx, then load the worker module.
// An eval'd worker resolves bare names from the cwd, which is a user's project without tsx: resolve
// it here (with require.resolve: tsx compiles this file to CommonJS for a CommonJS user's script,
// and import.meta.resolve is not there then).
const TSX_API = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(
  new URL('./load-worker.ts', import.meta.url).href,
)}); });`;

/**
 * Every request leaves a little short-lived garbage; with V8's default young generation the
 * scavenges come every ~45 ms and the longer ones showed as send lag (p99 4–5 ms at 5k req/s with 64
 * connections, ~1.6 ms with this).
 */
const YOUNG_GENERATION_MB = 192;

export interface WorkerLoadOptions {
  targets: Targets;
  bus: SampleBus;
  seed: number;
  clock: Clock;
  signal?: AbortSignal;
  /** This generator's share when several run one load (faultline load --part): its threads split it. */
  part?: LoadPart;
}

export interface LoadThread {
  /** Starts the schedule now; resolves when every request is done. */
  start(): Promise<LoadResult>;
  /** Ends the thread without running (when the run fails before load starts). */
  terminate(): Promise<void>;
}

/** One generator thread, loaded and ready, as prepareLoadThread drives it. */
interface GeneratorThread {
  start(at: number): Promise<LoadPartResult>;
  abort(): void;
  terminate(): Promise<void>;
}

async function startThread(
  spec: LoadSpec,
  options: WorkerLoadOptions,
  part: LoadPart,
): Promise<GeneratorThread> {
  const data: LoadWorkerData = {
    spec,
    targets: options.targets,
    seed: options.seed,
    clockOrigin: options.clock.origin,
    startedAtEpochMs: options.clock.startedAtEpochMs,
    part,
  };
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: data,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  let settle: { resolve(result: LoadPartResult): void; reject(err: Error): void } | undefined;
  let failure: Error | undefined;
  const fail = (err: Error) => {
    failure ??= err;
    settle?.reject(err);
  };
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: LoadWorkerMessage) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'samples') for (const sample of message.samples) options.bus.emit(sample);
      else if (message.type === 'done') settle?.resolve(message.result);
      else {
        const err = new Error(`load generator failed: ${message.message}`);
        fail(err);
        reject(err); // also when it fails before it is ready
      }
    });
    worker.on('error', (err) => {
      fail(err);
      reject(err);
    });
    worker.on('exit', (code) => {
      const err = new Error(`load generator thread exited with code ${code}`);
      fail(err);
      reject(err);
    });
  });
  await ready.catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });
  return {
    start: (at) => {
      const done = new Promise<LoadPartResult>((resolve, reject) => {
        settle = { resolve, reject };
        if (failure) reject(failure);
      });
      worker.postMessage({ type: 'start', at });
      return done.finally(() => void worker.terminate());
    },
    abort: () => worker.postMessage({ type: 'abort' }),
    terminate: async () => {
      await worker.terminate();
    },
  };
}

/**
 * Starts the generator's threads (the spec's `workers`) and resolves once every one is loaded and
 * ready to start at once; one that fails to load ends the others.
 */
export async function prepareLoadThread(spec: LoadSpec, options: WorkerLoadOptions): Promise<LoadThread> {
  // Generator i of N with W threads: thread w takes every (N·W)-th arrival from i·W + w.
  const mine = options.part ?? { index: 0, of: 1 };
  const parts = Array.from({ length: spec.workers }, (_, w) => ({
    index: mine.index * spec.workers + w,
    of: mine.of * spec.workers,
  }));
  const started = await Promise.allSettled(parts.map((part) => startThread(spec, options, part)));
  const threads = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(threads.map((t) => t.terminate()));
    throw failed.reason;
  }
  const onAbort = () => {
    for (const t of threads) t.abort();
  };
  return {
    start: async () => {
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        // One start time for all: each thread's share is of the same schedule.
        const at = options.clock.now();
        // A thread that fails stops the others: the run's load is incomplete either way.
        const results = await Promise.all(
          threads.map((t) =>
            t.start(at).catch((err: unknown) => {
              onAbort();
              throw err;
            }),
          ),
        );
        return loadResult(results, spec);
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
        await Promise.all(threads.map((t) => t.terminate()));
      }
    },
    terminate: async () => {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
