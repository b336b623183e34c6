/**
 * Number options, checked by us: declared with yargs' `type: 'number'`, "abc" silently becomes NaN
 * and the user reads "got NaN" about something they never typed. Declared without a type, yargs still
 * reads "0.5" as a number and leaves "abc" as it was (a bare flag is `true`), so the command's handler
 * can say what was wrong with it. (Not a yargs `coerce` or `requiresArg`: yargs rewraps their errors.)
 * Nor a yargs `default`: with one, a bare `--repeat` silently becomes the default; the default is
 * applied here instead, and shown in --help with `defaultDescription`.
 */
import { usageError } from '../core/errors.ts';

/** The option's value as a number; "not a number: abc" is a usage error (exit 2). */
export function numberOption(value: unknown, flag: string, example: string, fallback?: number): number {
  if (typeof value === 'number') return value;
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'boolean' || value === '') {
    throw usageError('usage.number', `${flag} needs a number`, `e.g. ${flag} ${example}`);
  }
  if (Array.isArray(value)) {
    throw usageError(
      'usage.number',
      `${flag} is given ${value.length} times`,
      `give it once, e.g. ${flag} ${example}`,
    );
  }
  throw usageError('usage.number', `${flag}: not a number: ${value}`, `e.g. ${flag} ${example}`);
}
