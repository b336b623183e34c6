/** Durations as people write them: "500ms", "5s", "2m", "1h", "1m30s"; a bare number is milliseconds. */
import { z } from 'zod';
import { usageError } from './errors.ts';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string | number, what = 'duration'): number {
  if (typeof text === 'number') {
    if (Number.isFinite(text) && text >= 0) return text;
  } else {
    const trimmed = text.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
    const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
    if (parts.length && parts.map((p) => p[0]).join('') === trimmed) {
      return parts.reduce((sum, [, n, unit]) => sum + Number(n) * (UNITS[unit as string] as number), 0);
    }
  }
  throw usageError(
    'usage.duration',
    `${what} "${text}" is not a duration`,
    'write it like 500ms, 5s, 2m or 1m30s',
  );
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(2)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes}m${seconds}s` : `${minutes}m`;
}

/**
 * A duration option in a schema: "30s" or ms, parsed to ms; a bad one is a schema issue, not a throw.
 * The description gives its unit to `faultline list` and docs/experiments.md (describe-schema.ts).
 */
export const durationSchema = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    try {
      return parseDuration(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  })
  .describe('a duration: a number of ms or a string like "1.5s" (ms)');
