/**
 * Last-resort cleanup for local sessions: on Ctrl-C, SIGTERM or process exit, kill what is still
 * running, synchronously, before the process goes. (kill -9 is covered by the session watchdog.)
 */
const cleanups = new Set<() => void>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

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
  runAll();
  // If nobody else handles the signal, die of it as the user asked (exit status 128+n).
  if (process.listenerCount(signal) === 1) {
    for (const s of SIGNALS) process.off(s, onSignal);
    installed = false;
    process.kill(process.pid, signal);
  }
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
