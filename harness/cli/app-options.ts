/**
 * The command-line flags that put the user's own web app under a run or `faultline up`
 * (docs/targets.md): a command for the local runtime, an image for docker, its health path and the
 * SQL schema applied before it starts.
 */
import type { Argv } from 'yargs';
import type { AppSpecInput } from '../components/web-app.ts';
import { usageError } from '../core/errors.ts';

export interface AppFlags {
  target?: string;
  appCommand?: string;
  appImage?: string;
  appHealth?: string;
  appSchema?: string;
}

export function appOptions<T>(yargs: Argv<T>): Argv<T & AppFlags> {
  return yargs
    .option('target', {
      type: 'string',
      describe:
        'What to put under test: a target name (targets/<name>/target.ts) or a target.ts path [default: shop]',
    })
    .option('app-command', {
      type: 'string',
      describe:
        'Your web app as a command, started once per web instance on the local runtime (e.g. "python3 app.py")',
    })
    .option('app-image', {
      type: 'string',
      describe: 'Your web app as an image, one container per web instance on the docker runtime',
    })
    .option('app-health', {
      type: 'string',
      describe: 'The path your app answers 2xx on when ready [default: /healthz]',
    })
    .option('app-schema', {
      type: 'string',
      describe: 'An SQL file applied to the primary before your app starts',
    })
    .group(
      ['target', 'app-command', 'app-image', 'app-health', 'app-schema'],
      'Your own app (docs/targets.md):',
    ) as Argv<T & AppFlags>;
}

/** Splits a command line into words, honouring single and double quotes and backslashes (no shell). */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) word = (word ?? '') + text[++i];
      else word = (word ?? '') + ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quote) {
    throw usageError(
      'app.command',
      `--app-command ${text}: unclosed ${quote}`,
      'close the quote, e.g. "python3 \'my app.py\'"',
    );
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The app the flags describe, or undefined when they name none. */
export function appFromFlags(flags: AppFlags): AppSpecInput | undefined {
  const { appCommand, appImage, appHealth, appSchema } = flags;
  if (appCommand === undefined && appImage === undefined) {
    if (appHealth !== undefined || appSchema !== undefined) {
      throw usageError(
        'app.flags',
        '--app-health and --app-schema describe your app, but no --app-command or --app-image gives it',
        'add --app-command "<cmd>" (local runtime) or --app-image <ref> (docker runtime)',
      );
    }
    return undefined;
  }
  const command = appCommand === undefined ? undefined : splitCommand(appCommand);
  if (command && command.length === 0) {
    throw usageError('app.command', '--app-command is empty', 'e.g. --app-command "python3 app.py"');
  }
  return {
    ...(command ? { command } : {}),
    ...(appImage === undefined ? {} : { image: appImage }),
    ...(appHealth === undefined ? {} : { healthPath: appHealth }),
    ...(appSchema === undefined ? {} : { schema: appSchema }),
  };
}
