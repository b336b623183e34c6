/** Turns schema problems into one line that names every problem with its path, for a usage error. */
import type { z } from 'zod';
import { usageError } from './errors.ts';

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Parses `input` with `schema`, or throws a usage error (exit 2) listing every problem at once. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  code: string,
  hint: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw usageError(code, `invalid ${what}: ${describeIssues(result.error)}`, hint);
}
