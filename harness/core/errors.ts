/**
 * Every failure a user can meet carries a stable code, a hint that says how to fix it, and the
 * process exit code the CLI uses (DESIGN.md: 2 bad usage/config, 3 harness or environment failure).
 * Only cli/ turns these into an exit.
 */
export const ExitCode = {
  ok: 0,
  hypothesisFailed: 1,
  usage: 2,
  environment: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class FaultlineError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly exitCode: ExitCode = ExitCode.environment,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'FaultlineError';
  }

  /** One line for a terminal: what is wrong, then how to fix it. */
  oneLine(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

export function usageError(code: string, message: string, hint: string): FaultlineError {
  return new FaultlineError(code, message, hint, ExitCode.usage);
}
