/**
 * Plain line logger on stderr (stdout stays free for results); levels filter what is shown. Lines go
 * above a live progress line (live-line.ts) instead of being glued onto its end.
 */
import { stderrLine } from './live-line.ts';

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof levels;
export const logLevels = Object.keys(levels) as LogLevel[];

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(
  level: LogLevel = 'info',
  write = (line: string) => stderrLine.print(line),
): Logger {
  const at = (name: Exclude<LogLevel, 'silent'>) => (message: string) => {
    if (levels[name] >= levels[level]) write(`${new Date().toISOString()} ${name.padEnd(5)} ${message}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = createLogger('silent');
