/** Runs the real `faultline` CLI as a child process, as a user would. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or 128 + signal number style name). */
  exit: Promise<number | NodeJS.Signals>;
}

/** `cwd` and `bin` run it elsewhere, e.g. a user's project through its node_modules/.bin/faultline. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  { cwd, bin = 'bin/faultline.js' }: { cwd?: string; bin?: string } = {},
): CliRun {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    ...(cwd ? { cwd } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exit = once(child, 'close').then(([code, signal]) => (code ?? signal) as number | NodeJS.Signals);
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Waits until the CLI's output matches `pattern` (or it exits first). */
export async function waitForOutput(
  run: CliRun,
  pattern: RegExp,
  timeoutMs: number,
  stream: 'stdout' | 'stderr' = 'stdout',
): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(run[stream]());
    if (match) return match;
    if (run.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`no output matching ${pattern}; stdout: ${run.stdout()} stderr: ${run.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
