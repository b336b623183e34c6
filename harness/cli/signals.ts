/** Waits for Ctrl-C or SIGTERM so long-running commands can shut down cleanly. */
import { shutdownGracefully } from '../runtime/local/exit-guard.ts';

export function untilSignal(): Promise<NodeJS.Signals> {
  const release = shutdownGracefully();
  return new Promise((resolve) => {
    // Signal listeners do not keep Node alive; with nothing else pending (containers run elsewhere)
    // the process would end at once and abandon what it started.
    const keepAlive = setInterval(() => undefined, 60_000);
    const stop = (signal: NodeJS.Signals) => {
      clearInterval(keepAlive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      release();
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
