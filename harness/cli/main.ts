/** The `faultline` command line: parses arguments, runs one command, and owns the exit code. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ExitCode, FaultlineError } from '../core/errors.ts';
import { compareCommandModule } from './commands/compare.ts';
import { doctorCommand } from './commands/doctor.ts';
import { imagesCommand } from './commands/images.ts';
import { listCommandModule } from './commands/list.ts';
import { loadCommandModule } from './commands/load.ts';
import { mergeCommandModule } from './commands/merge.ts';
import { proxyCommand } from './commands/proxy.ts';
import { reportCommandModule } from './commands/report.ts';
import { runCommandModule } from './commands/run.ts';
import { upCommand } from './commands/up.ts';

export async function main(argv: string[]): Promise<number> {
  try {
    await yargs(argv)
      .scriptName('faultline')
      .usage(
        '$0 <command> [options]\n\nChaos experiments for a scale-out web architecture: real services, real faults, honest numbers.',
      )
      .command(runCommandModule)
      .command(listCommandModule)
      .command(reportCommandModule)
      .command(compareCommandModule)
      .command(upCommand)
      .command(doctorCommand)
      .command(imagesCommand)
      .command(loadCommandModule)
      .command(mergeCommandModule)
      .command(proxyCommand)
      .demandCommand(1, 'Name a command; see the list above.')
      .strict()
      .recommendCommands()
      .help()
      .alias('h', 'help')
      .version()
      .wrap(Math.min(110, process.stdout.columns || 110))
      .fail((message, error, y) => {
        if (error) throw error;
        // Bad usage: the help for context, then the one line that says what is wrong.
        y.showHelp('error');
        throw new FaultlineError('usage', message, 'see --help', ExitCode.usage);
      })
      .parseAsync();
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof FaultlineError) {
      process.stderr.write(`faultline: ${err.oneLine()}\n`);
      return err.exitCode;
    }
    process.stderr.write(`faultline: unexpected failure: ${(err as Error).stack ?? err}\n`);
    return ExitCode.environment;
  }
}

// A command may have set a verdict exit code itself (run: 1 a hypothesis failed); keep it unless main failed.
const code = await main(hideBin(process.argv));
process.exitCode = code === ExitCode.ok ? (process.exitCode ?? ExitCode.ok) : code;
