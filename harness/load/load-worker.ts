/**
 * The load generator in its own thread: the harness's other work (observers, snapshots, fault
 * actions) must not delay requests, or the generator would measure the harness, not the target.
 * It says "ready" once loaded (loading TypeScript takes a while) and its connections are open, and
 * starts on "start", so the schedule begins when the harness's phases do. Samples go back in small
 * batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { sharedClock } from '../core/clock.ts';
import type { Sample } from '../samples/sample.ts';
import { SampleBus } from '../samples/sample-bus.ts';
import type { LoadSpec } from './load-spec.ts';
import type { Targets } from './operation.ts';
import { type LoadPart, type LoadPartResult, prepareLoad } from './run-load.ts';

export interface LoadWorkerData {
  spec: LoadSpec;
  targets: Targets;
  seed: number;
  clockOrigin: number;
  startedAtEpochMs: number;
  part: LoadPart;
}

export type LoadWorkerMessage =
  | { type: 'ready' }
  | { type: 'samples'; samples: Sample[] }
  | { type: 'done'; result: LoadPartResult }
  | { type: 'error'; message: string };

const FLUSH_MS = 20;
const port = parentPort;
if (!port) throw new Error('load-worker.ts runs only as a worker thread');
const data = workerData as LoadWorkerData;
const abort = new AbortController();
const bus = new SampleBus();
let batch: Sample[] = [];
const flush = () => {
  if (batch.length === 0) return;
  port.postMessage({ type: 'samples', samples: batch } satisfies LoadWorkerMessage);
  batch = [];
};
bus.subscribe((sample) => batch.push(sample));

const prepared = prepareLoad(data.spec, {
  targets: data.targets,
  bus,
  seed: data.seed,
  clock: sharedClock(data.clockOrigin, data.startedAtEpochMs),
  signal: abort.signal,
  part: data.part,
});

async function run(startAt: number): Promise<void> {
  const timer = setInterval(flush, FLUSH_MS);
  try {
    const result = await (await prepared).run(startAt);
    flush();
    port?.postMessage({ type: 'done', result } satisfies LoadWorkerMessage);
  } catch (err) {
    flush();
    port?.postMessage({ type: 'error', message: (err as Error).message } satisfies LoadWorkerMessage);
  } finally {
    clearInterval(timer);
  }
}

// Every thread of one load is told the same start (the clock is shared), so theirs is one schedule.
port.on('message', (message: { type: 'abort' } | { type: 'start'; at: number }) => {
  if (message.type === 'abort') abort.abort();
  else if (message.type === 'start') void run(message.at);
});
prepared.then(
  () => port.postMessage({ type: 'ready' } satisfies LoadWorkerMessage),
  (err: Error) => port.postMessage({ type: 'error', message: err.message } satisfies LoadWorkerMessage),
);
