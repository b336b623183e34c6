/** `faultline doctor`: checks what the local runtime needs and says exactly what to install. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { ExitCode, FaultlineError } from '../../core/errors.ts';
import { createLogger } from '../../core/logger.ts';
import { type Check, checkPrerequisites, ensurePrerequisites } from '../../runtime/local/prerequisites.ts';

export interface DoctorOptions {
  fix: boolean;
}

/** Runs the checks (installing what is missing with --fix); returns them with the exit code to use. */
export async function doctor(options: DoctorOptions): Promise<{ checks: Check[]; exitCode: ExitCode }> {
  if (options.fix) await ensurePrerequisites(createLogger('info')).catch(() => undefined);
  const checks = await checkPrerequisites();
  return { checks, exitCode: checks.every((c) => c.ok) ? ExitCode.ok : ExitCode.environment };
}

export const doctorCommand: CommandModule<object, DoctorOptions> = {
  command: 'doctor',
  describe: 'Check the binaries, versions and permissions the local runtime needs',
  builder: (yargs: Argv) =>
    yargs
      .option('fix', {
        type: 'boolean',
        default: false,
        describe: 'Install missing Debian packages (needs root)',
      })
      .example('$0 doctor', 'list what is there and what is missing')
      .example('sudo $0 doctor --fix', 'apt-get install what is missing') as unknown as Argv<DoctorOptions>,
  handler: async (argv: ArgumentsCamelCase<DoctorOptions>) => {
    const { checks, exitCode } = await doctor(argv);
    for (const c of checks) {
      process.stdout.write(
        `${c.ok ? 'ok     ' : 'MISSING'} ${c.name.padEnd(26)} ${c.detail}${c.fix ? `  → ${c.fix}` : ''}\n`,
      );
    }
    if (exitCode !== ExitCode.ok) {
      const fixes = checks.flatMap((c) => (c.fix ? [c.fix] : []));
      throw new FaultlineError('env.missing', 'the local runtime is not ready', fixes.join('; '), exitCode);
    }
    process.stdout.write('everything the local runtime needs is here\n');
  },
};
