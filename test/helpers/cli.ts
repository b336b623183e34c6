/** Runs the real `faultline` CLI as a child process, as a user would. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type RunResult, readResult } from '../../harness/journal/result.ts';

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

/**
 * The result.json of a `run --json` that judged every hypothesis. Exit 1 (one did not hold) counts:
 * at reduced durations a short fault phase can tip an error-rate bound that the full length keeps,
 * and the spec judges the hypotheses it is about itself.
 */
export async function judgedRun(run: CliRun): Promise<RunResult> {
  const code = await run.exit;
  const output = `exit ${code}; stderr: ${run.stderr()} stdout: ${run.stdout()}`;
  if (code !== 0 && code !== 1) throw new Error(`the run was not judged: ${output}`);
  const line = JSON.parse(run.stdout().trim().split('\n').at(-1) as string) as { path: string };
  const result = await readResult(line.path);
  const unjudged = result.hypotheses.filter((h) => h.holds === 'unknown');
  if (unjudged.length) throw new Error(`not judged: ${unjudged.map((h) => h.text).join(', ')}; ${output}`);
  return result;
}
