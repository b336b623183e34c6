/** `faultline load <url>`: the generator alone, like wrk2 or autocannon, with honest percentiles. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { monotonicClock } from '../../core/clock.ts';
import { ExitCode, FaultlineError, usageError } from '../../core/errors.ts';
import { type LiveLine, stderrLine } from '../../core/live-line.ts';
import { parseOrThrow } from '../../core/validation.ts';
import { loadSchema } from '../../load/load-spec.ts';
import type { LoadPart, LoadResult } from '../../load/run-load.ts';
import { prepareLoadThread } from '../../load/run-load-in-worker.ts';
import { countSample, createCounters } from '../../metrics/counters.ts';
import { createHistogram, recordMs } from '../../metrics/histogram.ts';
import { latencyMs, serviceTimeMs } from '../../samples/sample.ts';
import { SampleBus } from '../../samples/sample-bus.ts';
import { formatReport, type LoadReport, loadReport } from '../load-report.ts';
import { numberOption } from '../number-option.ts';
import { reportProgress } from '../progress.ts';

export type { LoadReport } from '../load-report.ts';

export interface LoadOptions {
  url: string;
  /** Constant rate; with `stages`, the rate the ramp starts from. */
  rate?: number;
  /** A ramp, "10s:100,30s:600": each stage's duration and the rate reached at its end. */
  stages?: string;
  /** Default 10s; with `stages`, their total (longer holds the last rate, shorter cuts the ramp). */
  duration?: string;
  connections: number;
  timeout: string;
  arrivals?: 'uniform' | 'poisson';
  maxInFlight: number;
  precise: boolean;
  /** Generator threads, each with every N-th arrival and its own connections (default 1). */
  workers?: number;
  /** "i/N": this generator sends the i-th of N shares of the schedule (faultline merge joins them). */
  part?: string;
  seed: number;
  json: boolean;
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError('load.url', `"${text}" is not a URL`, 'give a full URL like http://127.0.0.1:8080/path');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(
      'load.url',
      `"${text}" is not an http(s) URL`,
      'give a full URL like http://127.0.0.1:8080/path',
    );
  }
  return url;
}

/** "2/3" (the second of three generators) as a 0-based part; a usage error otherwise. */
export function parsePart(text: unknown): LoadPart {
  const match = typeof text === 'string' ? /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text) : null;
  const [i, n] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || n < 1 || i < 1 || i > n) {
    throw usageError(
      'load.part',
      `--part ${String(text)}: not i/N with 1 ≤ i ≤ N`,
      'on each of N generators give its own share, e.g. --part 1/3, --part 2/3, --part 3/3',
    );
  }
  return { index: i - 1, of: n };
}

/** "10s:100,30s:600" as ramping-arrival-rate stages; durations are checked by the load schema. */
export function parseStages(text: string): { duration: string; target: number }[] {
  if (typeof text !== 'string') {
    throw usageError(
      'load.stages',
      '--stages is given more than once',
      'give every stage in one --stages "10s:100,30s:600"',
    );
  }
  return text.split(',').map((part) => {
    const match = /^\s*([^:\s]+)\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!match) {
      throw usageError(
        'load.stages',
        `--stages: "${part}" is not duration:rate`,
        'write each stage as duration:rate, e.g. --stages "10s:100,30s:600" (ramp to 100 req/s over 10 s, then to 600 over 30 s)',
      );
    }
    return { duration: match[1] as string, target: Number(match[2]) };
  });
}

function executorOf(options: LoadOptions) {
  if (options.stages !== undefined) {
    if (options.arrivals !== undefined) {
      throw usageError(
        'load.arrivals',
        '--arrivals applies to a constant --rate; a --stages ramp is evenly spaced',
        'leave out --arrivals, or --stages',
      );
    }
    return {
      executor: 'ramping-arrival-rate',
      startRate: options.rate ?? 0,
      stages: parseStages(options.stages),
      ...(options.duration === undefined ? {} : { duration: options.duration }),
    };
  }
  if (options.rate === undefined) {
    throw usageError(
      'load.rate',
      'give --rate or --stages',
      'e.g. --rate 1000, or --stages "10s:100,30s:600"',
    );
  }
  return {
    executor: 'constant-arrival-rate',
    rate: options.rate,
    duration: options.duration ?? '10s',
    arrivals: options.arrivals ?? 'uniform',
  };
}

/** Runs the load and returns the report (also used by tests and benchmarks). */
export async function loadCommand(options: LoadOptions, progress?: LiveLine): Promise<LoadReport> {
  const url = parseUrl(options.url);
  const part = options.part === undefined ? undefined : parsePart(options.part);
  const spec = parseOrThrow(
    loadSchema,
    {
      executor: executorOf(options),
      workload: { workload: 'http-get', path: `${url.pathname}${url.search}` },
      connections: options.connections,
      timeout: options.timeout,
      maxInFlight: options.maxInFlight,
      precise: options.precise,
      workers: options.workers ?? 1,
    },
    'load options',
    'load.options',
    'see faultline load --help',
  );
  const bus = new SampleBus();
  const latency = createHistogram();
  const service = createHistogram();
  const counters = createCounters();
  bus.subscribe((sample) => {
    countSample(counters, sample);
    const l = latencyMs(sample);
    const s = serviceTimeMs(sample);
    if (l !== undefined) recordMs(latency, l);
    if (s !== undefined) recordMs(service, s);
  });
  const stopProgress = progress ? reportProgress(bus, progress) : () => undefined;
  let result: LoadResult;
  try {
    // In its own thread, like in experiments: this thread's histograms and progress never delay a request.
    const thread = await prepareLoadThread(spec, {
      targets: { lb: url.origin, cdn: url.origin },
      bus,
      seed: options.seed,
      clock: monotonicClock(),
      ...(part ? { part } : {}),
    });
    result = await thread.start();
  } finally {
    stopProgress();
  }
  const durationMs = result.endedAt - result.startedAt;
  return loadReport({
    schedule: {
      url: url.href,
      ...(spec.executor.executor === 'ramping-arrival-rate'
        ? { stages: spec.executor.stages as LoadReport['stages'] }
        : { rate: spec.executor.rate as number }),
      durationMs: spec.executor.duration,
    },
    ...(part ? { part } : {}),
    workers: spec.workers,
    achievedRate: ((counters.ok + counters.fail + counters.info) * 1000) / durationMs,
    latency,
    service,
    counters,
    generator: result.health,
    generatorParts: result.healthParts,
    maxSendLagMs: spec.maxSendLagMs,
  });
}

export const loadCommandModule: CommandModule<object, LoadOptions> = {
  command: 'load <url>',
  describe: 'Drive open-loop load at one URL and print honest latency percentiles (like wrk2)',
  builder: (yargs: Argv) =>
    yargs
      .positional('url', {
        type: 'string',
        describe: 'Full URL to GET, e.g. http://127.0.0.1:8080/products/1',
      })
      .option('rate', {
        describe:
          'Requests per second (the schedule, kept whatever the server does); with --stages, the rate the ramp starts from (default 0)',
      })
      .option('stages', {
        type: 'string',
        describe:
          'Ramp instead (ramping-arrival-rate): duration:rate stages, the rate ramping linearly to each, e.g. "10s:100,30s:600"',
      })
      .option('duration', {
        type: 'string',
        defaultDescription: '10s, or the stages’ total',
        describe:
          'How long: 500ms, 30s, 2m (with --stages: longer holds the last rate, shorter cuts the ramp)',
      })
      .option('connections', {
        defaultDescription: '64',
        describe: 'Keep-alive connections to the server',
      })
      .option('timeout', {
        type: 'string',
        default: '5s',
        describe: 'Per-request deadline; later answers count as timed out',
      })
      .option('arrivals', {
        choices: ['uniform', 'poisson'] as const,
        defaultDescription: 'uniform',
        describe: 'Evenly spaced or Poisson (seeded) arrivals, at a constant --rate',
      })
      .option('max-in-flight', {
        defaultDescription: '2000',
        describe: 'Requests outstanding before new ones are dropped (and counted)',
      })
      .option('precise', {
        type: 'boolean',
        default: false,
        describe:
          'Poll the event loop just before each arrival: send lag ~1 ms instead of several ms at thousands of req/s, but one CPU core stays busy',
      })
      .option('workers', {
        defaultDescription: '1',
        describe:
          'Generator threads, one core each: each sends every N-th request of the one schedule over its share of --connections',
      })
      .option('part', {
        type: 'string',
        describe:
          'i/N: this is generator i of N running one load (one per machine, same options): it sends every N-th request of the schedule; join their --json reports with faultline merge',
      })
      .option('seed', {
        defaultDescription: '1',
        describe: 'Seed for Poisson arrivals',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print the report as JSON (with the HdrHistogram) and no progress',
      })
      .example('$0 load http://127.0.0.1:8080/ --rate 1000 --duration 30s', '1000 req/s for 30 s')
      .example(
        '$0 load http://127.0.0.1:8080/ --rate 5000 --duration 30s --precise',
        'sub-ms schedule, busy core',
      )
      .example(
        '$0 load http://127.0.0.1:8080/ --rate 20000 --workers 4',
        'more than one thread keeps (four cores)',
      )
      .example(
        '$0 load http://10.0.0.5:8080/ --rate 40000 --part 1/2 --json > a.json',
        'half of a load from this machine (the other: --part 2/2), then: faultline merge a.json b.json',
      )
      .example(
        '$0 load http://127.0.0.1:8080/ --stages "10s:100,30s:600"',
        'ramp 0 → 100 → 600 req/s over 40 s',
      )
      .epilog(
        'Latency counts from when each request was due, so a server stall shows up in the percentiles. Exit 3 when the generator itself fell behind (its numbers would not be the server’s).',
      ) as unknown as Argv<LoadOptions>,
  handler: async (argv: ArgumentsCamelCase<LoadOptions>) => {
    const options: LoadOptions = {
      ...argv,
      rate: argv.rate === undefined ? undefined : numberOption(argv.rate, '--rate', '1000'),
      connections: numberOption(argv.connections, '--connections', '64', 64),
      maxInFlight: numberOption(argv.maxInFlight, '--max-in-flight', '2000', 2000),
      workers: numberOption(argv.workers, '--workers', '2', 1),
      seed: numberOption(argv.seed, '--seed', '7', 1),
    };
    const report = await loadCommand(options, argv.json ? undefined : stderrLine);
    process.stdout.write(argv.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    if (!report.generator.valid) {
      throw new FaultlineError(
        'load.generator',
        'the load generator could not keep its schedule',
        'lower --rate, add --workers (one core each) or free the CPU',
        ExitCode.environment,
      );
    }
  },
};
