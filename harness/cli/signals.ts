/** Waits for Ctrl-C or SIGTERM so long-running commands can shut down cleanly. */
import { shutdownGracefully } from '../runtime/local/exit-guard.ts';

export function untilSignal(): Promise<NodeJS.Signals> {
  const release = shutdownGracefully();
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      release();
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
