/**
 * `faultline doctor`: checks what each runtime needs — the local runtime's binaries, versions and
 * permissions; the docker runtime's engine and images — and says exactly what to do about each gap.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ExitCode, FaultlineError } from '../../core/errors.ts';
import { createLogger } from '../../core/logger.ts';
import { checkDocker } from '../../runtime/docker/docker-checks.ts';
import {
  type Check,
  checkPrerequisites,
  ensurePrerequisites,
  patroniPrerequisites,
} from '../../runtime/local/prerequisites.ts';
import { RUNTIME_HELP, type RuntimeChoice, runtimeChoices } from '../../runtime/runtimes.ts';

export interface DoctorOptions {
  fix: boolean;
  runtime: RuntimeChoice;
}

export interface DoctorReport {
  local: Check[];
  docker: Check[];
  /** What failover: patroni adds on the local runtime (installed on first use; never sets the exit code). */
  patroni: Check[];
  /** The runtime whose readiness sets the exit code. */
  judged: 'local' | 'docker';
  exitCode: ExitCode;
}

/** Runs both runtimes' checks (installing what the local one lacks with --fix); judges the chosen one. */
export async function doctor(options: DoctorOptions): Promise<DoctorReport> {
  if (options.fix) await ensurePrerequisites(createLogger('info')).catch(() => undefined);
  const [local, docker, patroni] = await Promise.all([
    checkPrerequisites(),
    checkDocker(),
    patroniPrerequisites(),
  ]);
  // What auto would pick, without pulling: docker when its engine answers and every image is here.
  const judged =
    options.runtime === 'auto' ? (docker.every((c) => c.ok) ? 'docker' : 'local') : options.runtime;
  const ready = (judged === 'local' ? local : docker).every((c) => c.ok);
  return { local, docker, patroni, judged, exitCode: ready ? ExitCode.ok : ExitCode.environment };
}

function print(title: string, checks: Check[]): void {
  process.stdout.write(`${title}\n`);
  for (const c of checks) {
    process.stdout.write(
      `  ${c.ok ? 'ok     ' : 'MISSING'} ${c.name.padEnd(26)} ${c.detail}${c.fix ? `  → ${c.fix}` : ''}\n`,
    );
  }
}

export const doctorCommand: CommandModule<object, DoctorOptions> = {
  command: 'doctor',
  describe: 'Check what the local and docker runtimes need, and say what to install',
  builder: (yargs: Argv) =>
    yargs
      .option('fix', {
        type: 'boolean',
        default: false,
        describe: 'Install missing Debian packages for the local runtime (needs root)',
      })
      .option('runtime', {
        choices: runtimeChoices,
        default: 'auto' as const,
        describe: `Which runtime's readiness sets the exit code. ${RUNTIME_HELP}`,
      })
      .example('$0 doctor', 'list what is there and what is missing')
      .example('sudo $0 doctor --fix', 'apt-get install what is missing')
      .example(
        '$0 doctor --runtime docker',
        'exit 0 only when the engine answers and every image is here',
      ) as unknown as Argv<DoctorOptions>,
  handler: async (argv: ArgumentsCamelCase<DoctorOptions>) => {
    const report = await doctor(argv);
    print('local runtime', report.local);
    print('docker runtime', report.docker);
    print('failover: patroni on the local runtime (installed on first use where it may be)', report.patroni);
    const judged = report.judged === 'local' ? report.local : report.docker;
    if (report.exitCode !== ExitCode.ok) {
      const fixes = judged.flatMap((c) => (c.fix ? [c.fix] : []));
      throw new FaultlineError(
        'env.missing',
        `the ${report.judged} runtime is not ready`,
        fixes.join('; '),
        report.exitCode,
      );
    }
    process.stdout.write(`everything the ${report.judged} runtime needs is here\n`);
  },
};
