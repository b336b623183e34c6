/** `faultline run`: runs experiments (all by default); one result.json and report.html per run. */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { writeReportBeside } from '../../../reports/html/write.ts';
import { writeJUnit } from '../../../reports/junit/junit.ts';
import { ExitCode, FaultlineError, usageError } from '../../core/errors.ts';
import { stderrLine } from '../../core/live-line.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import { loadExperiments } from '../../experiment/catalog.ts';
import { parseRequestText } from '../../load/workloads/request-text.ts';
import { type PlanOverrides, planRun, type RunPlan } from '../../run/plan-run.ts';
import { checkResultsDir } from '../../run/results-dir.ts';
import { type RunOutcome, runVariant } from '../../run/run-experiment.ts';
import { type SelectedRun, selectRuns } from '../../run/selection.ts';
import { shutdownGracefully } from '../../runtime/local/exit-guard.ts';
import {
  checkRunnable,
  RUNTIME_HELP,
  type RuntimeChoice,
  type RuntimeName,
  resolveRuntime,
  runtimeChoices,
  topologyStarter,
} from '../../runtime/runtimes.ts';
import { type AppFlags, appFromFlags, appOptions } from '../app-options.ts';
import { numberOption } from '../number-option.ts';
import { plannedLoadMs, SuiteProgress } from '../suite-progress.ts';
import { formatSummary } from '../summary.ts';

export interface RunCommandOptions extends Omit<PlanOverrides, 'durationScale'> {
  experiments: string[];
  runtime: RuntimeChoice;
  seed?: number;
  durationScale: number;
  out: string;
  variant?: string;
  json: boolean;
  /** Run each experiment/variant this many times, seeds seed, seed+1, … (a spread for compare). */
  repeat?: number;
  /** Also write JUnit XML here: one test case per hypothesis (per run). */
  junit?: string;
}

/**
 * Exit code for a set of runs: 0 all hypotheses hold, 1 one failed, 3 a run was invalid — or
 * nothing was judged at all, which is never a green.
 */
export function exitCodeOf(outcomes: RunOutcome[]): ExitCode {
  if (!outcomes.some((o) => o.result.hypotheses.some((h) => h.holds !== 'unknown'))) {
    return ExitCode.environment;
  }
  if (outcomes.some((o) => o.result.verdict === 'invalid')) return ExitCode.environment;
  if (outcomes.some((o) => o.result.verdict === 'fail')) return ExitCode.hypothesisFailed;
  return ExitCode.ok;
}

/**
 * A variant another target cannot take: against --target, its own topology options are refused
 * (the shop's mitigations on pyshop, say) while it plans on the experiment's own target, so the
 * variant itself is sound. Only when the user did not ask for that variant by name.
 */
async function foreignVariant(err: unknown, run: SelectedRun, options: RunCommandOptions): Promise<boolean> {
  if (!(err instanceof FaultlineError) || err.code !== 'topology.options') return false;
  if (options.target === undefined || options.variant !== undefined || !run.variant?.topology) return false;
  const { target: _, ...own } = options;
  // A variant wrong for its own target stays an error (this throws it).
  await planRun(run.experiment, run.variant, own);
  return true;
}

/** Every run's plan; variants the chosen target cannot take are left out, each saying why. */
async function planRuns(selected: SelectedRun[], options: RunCommandOptions, log: Logger) {
  const runs: SelectedRun[] = [];
  const plans: RunPlan[] = [];
  for (const run of selected) {
    try {
      plans.push(await planRun(run.experiment, run.variant, options));
      runs.push(run);
    } catch (err) {
      if (!(await foreignVariant(err, run, options))) throw err;
      log.warn(`skipped ${run.experiment.name} [${run.variant?.name}]: ${(err as Error).message}`);
    }
  }
  if (runs.length === 0) {
    throw usageError(
      'run.none-runnable',
      `--target ${options.target} takes none of the selected variants`,
      'choose variants or experiments that target runs; faultline list shows them',
    );
  }
  return { runs, plans };
}

export async function runCommand(options: RunCommandOptions, signal?: AbortSignal): Promise<RunOutcome[]> {
  if (!(options.durationScale > 0)) {
    throw usageError(
      'run.scale',
      `--duration-scale must be > 0, got ${options.durationScale}`,
      'e.g. 0.5 for half-length phases',
    );
  }
  const repeat = options.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) {
    throw usageError('run.repeat', `--repeat must be a whole number ≥ 1, got ${repeat}`, 'e.g. --repeat 3');
  }
  if (options.junit !== undefined) await checkJUnitPath(options.junit);
  await checkResultsDir(options.out, '--out');
  const experiments = await loadExperiments(options.experiments);
  const log = createLogger(options.json ? 'warn' : 'info');
  // Every run is checked before the first starts (and before the runtime is chosen).
  const { runs, plans } = await planRuns(
    selectRuns(experiments, options.variant, options.experiments.length > 0),
    options,
    log,
  );
  const runtime = await resolveRuntime(options.runtime, { log });
  for (const plan of plans) await checkRunnable(runtime, plan.composition);
  const outcomes: RunOutcome[] = [];
  try {
    await runAll(runs, { ...options, runtime }, repeat, log, outcomes, signal);
  } catch (err) {
    // The runs that finished are still reported; the harness failure stays the error that counts.
    if (options.junit !== undefined && outcomes.length) {
      await writeJUnit(
        options.junit,
        outcomes.map((o) => o.result),
      ).catch(() => undefined);
    }
    throw err;
  }
  if (options.junit !== undefined) {
    await writeJUnit(
      options.junit,
      outcomes.map((o) => o.result),
    );
  }
  return outcomes;
}

function overridesOf(o: RunCommandOptions): Omit<PlanOverrides, 'durationScale'> {
  return {
    ...(o.target === undefined ? {} : { target: o.target }),
    ...(o.app === undefined ? {} : { app: o.app }),
    ...(o.workload === undefined ? {} : { workload: o.workload }),
  };
}

async function checkJUnitPath(path: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw usageError(
      'run.junit',
      `--junit ${path} is a directory`,
      'give a file name, e.g. --junit junit.xml',
    );
  }
}

async function runAll(
  runs: SelectedRun[],
  options: RunCommandOptions & { runtime: RuntimeName },
  repeat: number,
  log: ReturnType<typeof createLogger>,
  outcomes: RunOutcome[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const suite = new SuiteProgress(
    runs.flatMap(({ experiment }) =>
      Array<number>(repeat).fill(plannedLoadMs(experiment, options.durationScale)),
    ),
  );
  for (const { experiment, variant } of runs) {
    const firstSeed = options.seed ?? experiment.seed;
    for (let i = 0; i < repeat; i++) {
      if (signal?.aborted) return;
      const seed = firstSeed + i;
      if (repeat > 1) {
        const name = variant ? `${experiment.name} [${variant.name}]` : experiment.name;
        log.info(`${name}: run ${i + 1} of ${repeat} (seed ${seed})`);
      }
      suite.startRun();
      const outcome = await runVariant(experiment, variant, {
        startTopology: topologyStarter(options.runtime, createLogger('warn')),
        runtime: options.runtime,
        outDir: resolve(options.out),
        durationScale: options.durationScale,
        ...overridesOf(options),
        ...(options.seed === undefined && repeat === 1 ? {} : { seed }),
        log,
        ...(signal ? { signal } : {}),
        ...(options.json ? {} : { onBus: suite.progress(stderrLine) }),
      });
      outcomes.push(outcome);
      // The run writes only result.json; the CLI asks for the page (a failed one is a warning).
      await writeReportBeside(outcome.path);
      suite.endRun();
    }
  }
}

interface RunArgs extends RunCommandOptions, AppFlags {
  appRequest?: string[];
}

export const runCommandModule: CommandModule<object, RunArgs> = {
  command: 'run [experiments..]',
  describe: 'Run experiments (all by default): topology up, load, faults, verdicts, result.json',
  builder: (yargs: Argv) =>
    appOptions(yargs)
      .positional('experiments', {
        type: 'string',
        array: true,
        default: [],
        describe: 'Experiment names (see faultline list) or .experiment.ts paths',
      })
      .option('runtime', {
        choices: runtimeChoices,
        default: 'auto' as const,
        describe: RUNTIME_HELP,
      })
      .option('seed', {
        describe: 'Override the experiments’ seeds',
      })
      .option('duration-scale', {
        defaultDescription: '1',
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
      .option('repeat', {
        defaultDescription: '1',
        describe: 'Run each experiment/variant N times (seeds seed, seed+1, …) so compare sees the noise',
      })
      .option('junit', {
        type: 'string',
        describe: 'Also write JUnit XML to this file: one test case per hypothesis',
      })
      .option('app-request', {
        type: 'string',
        array: true,
        describe:
          'Load for your app instead of the experiment’s: "METHOD PATH [weight=N] [keys=N] [body=...]", {key} drawn Zipf from 1..keys; repeatable',
      })
      .group(['app-request'], 'Your own app (docs/targets.md):')
      .example('$0 run', 'the whole suite')
      .example('$0 run cache-node-loss --repeat 3 --junit junit.xml', 'three runs (seeds 1–3) and JUnit XML')
      .example('$0 run replica-lag --variant mitigation=lsn --duration-scale 0.5', 'one variant, half length')
      .example(
        '$0 run lb-backend-death --app-command "python3 app.py" --app-request "GET /items/{key}"',
        'your own app under an experiment',
      )
      .epilog(
        'Exit 0: every hypothesis held; 1: a hypothesis failed; 2: bad usage or definition; 3: a run was invalid (not steady, fault not verified, generator behind) or the harness failed.',
      ) as unknown as Argv<RunArgs>,
  handler: async (argv: ArgumentsCamelCase<RunArgs>) => {
    const app = appFromFlags(argv);
    const requests = argv.appRequest?.map(parseRequestText);
    const options: RunCommandOptions = {
      ...argv,
      ...(app ? { app } : {}),
      ...(requests?.length ? { workload: { workload: 'http', requests } } : {}),
      durationScale: numberOption(argv.durationScale, '--duration-scale', '0.5', 1),
      repeat: numberOption(argv.repeat, '--repeat', '3', 1),
      ...(argv.seed === undefined ? {} : { seed: numberOption(argv.seed, '--seed', '7') }),
    };
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    const release = shutdownGracefully();
    let outcomes: RunOutcome[];
    try {
      outcomes = await runCommand(options, controller.signal);
    } finally {
      release();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    process.stdout.write(formatSummary(outcomes, argv));
    if (argv.junit !== undefined && !argv.json) process.stdout.write(`JUnit XML → ${resolve(argv.junit)}\n`);
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
