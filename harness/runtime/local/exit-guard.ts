/**
 * Last-resort cleanup for local sessions: on Ctrl-C or SIGTERM that nothing else handles, and on
 * process exit, kill what is still running, synchronously, before the process goes. (kill -9 is
 * covered by the session watchdog.)
 */
const cleanups = new Set<() => void>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;
let gracefulCommands = 0;
let interrupted = false;

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // keep going: the other sessions still need cleaning
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  // A command that shuts down gracefully (heals faults, writes results) gets the first signal to
  // itself; a second one, or a signal nobody handles, kills everything now and dies of the signal.
  if (gracefulCommands > 0 && !interrupted) {
    interrupted = true;
    return;
  }
  runAll();
  for (const s of SIGNALS) process.off(s, onSignal);
  installed = false;
  process.kill(process.pid, signal);
}

/** Declares that the running command handles Ctrl-C/SIGTERM itself; returns the release. */
export function shutdownGracefully(): () => void {
  gracefulCommands++;
  return () => {
    gracefulCommands--;
  };
}

export function guardExit(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  if (!installed) {
    installed = true;
    for (const s of SIGNALS) process.on(s, onSignal);
    process.on('exit', runAll);
  }
  return () => cleanups.delete(cleanup);
}
