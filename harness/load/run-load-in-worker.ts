/** Runs a load spec in a worker thread and replays its samples onto the harness's bus, in order. */
import { Worker } from 'node:worker_threads';
import type { Clock } from '../core/clock.ts';
import type { SampleBus } from '../samples/sample-bus.ts';
import type { LoadSpec } from './load-spec.ts';
import type { LoadWorkerData, LoadWorkerMessage } from './load-worker.ts';
import type { Targets } from './operation.ts';
import type { LoadResult } from './run-load.ts';

// Workers do not inherit the TypeScript loader on Node 20: register tsx, then load the worker module.
const BOOTSTRAP = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(
  new URL('./load-worker.ts', import.meta.url).href,
)}); });`;

export interface WorkerLoadOptions {
  targets: Targets;
  bus: SampleBus;
  seed: number;
  clock: Clock;
  signal?: AbortSignal;
}

export function runLoadInWorker(spec: LoadSpec, options: WorkerLoadOptions): Promise<LoadResult> {
  const data: LoadWorkerData = {
    spec,
    targets: options.targets,
    seed: options.seed,
    clockOrigin: options.clock.origin,
    startedAtEpochMs: options.clock.startedAtEpochMs,
  };
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: data });
  const onAbort = () => worker.postMessage({ type: 'abort' });
  options.signal?.addEventListener('abort', onAbort, { once: true });
  return new Promise<LoadResult>((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: LoadWorkerMessage) => {
      if (message.type === 'samples') for (const sample of message.samples) options.bus.emit(sample);
      else if (message.type === 'done') {
        settled = true;
        resolve(message.result);
      } else {
        settled = true;
        reject(new Error(`load generator failed: ${message.message}`));
      }
    });
    worker.on('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`load generator thread exited with code ${code}`));
    });
  }).finally(() => {
    options.signal?.removeEventListener('abort', onAbort);
    void worker.terminate();
  });
}
