/** `faultline run`: runs experiments (all by default) and writes one result.json per run. */
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ExitCode, FaultlineError, usageError } from '../../core/errors.ts';
import { createLogger } from '../../core/logger.ts';
import { loadExperiments } from '../../experiment/catalog.ts';
import { type RunOutcome, runExperiment } from '../../run/run-experiment.ts';
import { shutdownGracefully } from '../../runtime/local/exit-guard.ts';
import { startLocalTopology } from '../../runtime/local/local-topology.ts';
import { reportProgress } from '../progress.ts';

export interface RunCommandOptions {
  experiments: string[];
  runtime: 'local';
  seed?: number;
  durationScale: number;
  out: string;
  variant?: string;
  json: boolean;
}

/** Exit code for a set of runs: 0 all hypotheses hold, 1 one failed, 3 a run was invalid. */
export function exitCodeOf(outcomes: RunOutcome[]): ExitCode {
  if (outcomes.some((o) => o.result.verdict === 'invalid')) return ExitCode.environment;
  if (outcomes.some((o) => o.result.verdict === 'fail')) return ExitCode.hypothesisFailed;
  return ExitCode.ok;
}

export async function runCommand(options: RunCommandOptions, signal?: AbortSignal): Promise<RunOutcome[]> {
  if (!(options.durationScale > 0)) {
    throw usageError(
      'run.scale',
      `--duration-scale must be > 0, got ${options.durationScale}`,
      'e.g. 0.5 for half-length phases',
    );
  }
  const experiments = await loadExperiments(options.experiments);
  const log = createLogger(options.json ? 'warn' : 'info');
  const outcomes: RunOutcome[] = [];
  for (const experiment of experiments) {
    const variants = experiment.variants.length ? experiment.variants : [undefined];
    const chosen = options.variant ? variants.filter((v) => v?.name === options.variant) : variants;
    for (const variant of chosen) {
      if (signal?.aborted) return outcomes;
      outcomes.push(
        await runExperiment(experiment, variant, {
          startTopology: (topology) => startLocalTopology(topology, { log: createLogger('warn') }),
          runtime: options.runtime,
          outDir: resolve(options.out),
          durationScale: options.durationScale,
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          log,
          ...(signal ? { signal } : {}),
          ...(options.json
            ? {}
            : {
                onBus: (bus, status) =>
                  reportProgress(bus, process.stderr, {
                    intervalMs: process.stderr.isTTY ? 500 : 2000,
                    prefix: () => {
                      const { phase, leftMs, faults } = status();
                      const fault = faults.length ? `, ${faults.join(' ')}` : '';
                      return `${phase} (${Math.ceil(leftMs / 1000)}s left${fault})`;
                    },
                  }),
              }),
        }),
      );
    }
  }
  return outcomes;
}

export const runCommandModule: CommandModule<object, RunCommandOptions> = {
  command: 'run [experiments..]',
  describe: 'Run experiments (all by default): topology up, load, faults, verdicts, result.json',
  builder: (yargs: Argv) =>
    yargs
      .positional('experiments', {
        type: 'string',
        array: true,
        default: [],
        describe: 'Experiment names (see faultline list) or .experiment.ts paths',
      })
      .option('runtime', {
        choices: ['local'] as const,
        default: 'local' as const,
        describe: 'Where the topology runs',
      })
      .option('seed', { type: 'number', describe: 'Override the experiments’ seeds' })
      .option('duration-scale', {
        type: 'number',
        default: 1,
        describe: 'Multiply every phase duration (0.5 = half as long)',
      })
      .option('out', {
        type: 'string',
        default: 'runs',
        describe: 'Results go to <out>/<experiment>/<timestamp>/result.json',
      })
      .option('variant', { type: 'string', describe: 'Run only this variant (e.g. mitigation=lsn)' })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print one JSON line per run instead of progress',
      })
      .example('$0 run', 'the whole suite')
      .example('$0 run replica-lag --variant mitigation=lsn --duration-scale 0.5', 'one variant, half length')
      .epilog(
        'Exit 0: every hypothesis held; 1: a hypothesis failed; 2: bad usage or definition; 3: a run was invalid (not steady, fault not verified, generator behind) or the harness failed.',
      ) as unknown as Argv<RunCommandOptions>,
  handler: async (argv: ArgumentsCamelCase<RunCommandOptions>) => {
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const release = shutdownGracefully();
    let outcomes: RunOutcome[];
    try {
      outcomes = await runCommand(argv, controller.signal);
    } finally {
      release();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    for (const { result, path } of outcomes) {
      if (argv.json) {
        process.stdout.write(
          `${JSON.stringify({ experiment: result.experiment.name, variant: result.variant, verdict: result.verdict, status: result.status, path })}\n`,
        );
        continue;
      }
      const name = result.variant ? `${result.experiment.name} [${result.variant}]` : result.experiment.name;
      process.stdout.write(
        `${result.verdict.toUpperCase().padEnd(7)} ${name}${result.statusReason ? ` — ${result.statusReason}` : ''}\n`,
      );
      for (const h of result.hypotheses) {
        const mark = h.holds === true ? 'holds' : h.holds === false ? 'FAILS' : 'unknown';
        process.stdout.write(
          `        ${mark.padEnd(7)} ${h.text} (measured ${h.value === null ? 'n/a' : +h.value.toFixed(4)})\n`,
        );
      }
      process.stdout.write(`        → ${path}\n`);
    }
    const code = exitCodeOf(outcomes);
    if (controller.signal.aborted)
      throw new FaultlineError(
        'run.aborted',
        'stopped by the user; partial results were written',
        'run again to complete',
        ExitCode.environment,
      );
    if (code !== ExitCode.ok) process.exitCode = code;
  },
};
