/**
 * What happened to requests, by outcome, error code and HTTP status: the numbers beside the latency
 * histograms (error rates, "how many 503s during the failover").
 */
import type { Sample } from '../samples/sample.ts';

/**
 * The four outcome counts are exclusive: a dropped request (never sent: no `sentAt`) counts only as
 * `dropped`, whatever its `outcome` says, so `ok + fail + info + dropped` is the number of samples
 * and `ok + fail + info` the number actually sent. Timeouts are `info` (error 'TIMEOUT').
 */
export interface Counters {
  ok: number;
  fail: number;
  info: number;
  dropped: number;
  /** Error code → samples with it (undici codes, 'TIMEOUT', 'DROPPED', ...). */
  byError: Record<string, number>;
  /** HTTP status (as a decimal string, like every JSON key) → samples that received it. */
  byStatus: Record<string, number>;
}

// Null-prototype maps: error codes come from outside, and a code such as 'constructor' or
// '__proto__' must count like any other instead of hitting Object.prototype.
function emptyMap(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}

function add(map: Record<string, number>, key: string, n: number): void {
  map[key] = (map[key] ?? 0) + n;
}

export function createCounters(): Counters {
  return { ok: 0, fail: 0, info: 0, dropped: 0, byError: emptyMap(), byStatus: emptyMap() };
}

export function countSample(counters: Counters, sample: Sample): void {
  if (sample.sentAt === undefined) counters.dropped++;
  else counters[sample.outcome]++;
  if (sample.error !== undefined) add(counters.byError, sample.error, 1);
  if (sample.status !== undefined) add(counters.byStatus, String(sample.status), 1);
}

/** A new Counters holding the sum of all the given ones (also accepts ones parsed from JSON). */
export function mergeCounters(list: readonly Counters[]): Counters {
  const merged = createCounters();
  for (const c of list) {
    merged.ok += c.ok;
    merged.fail += c.fail;
    merged.info += c.info;
    merged.dropped += c.dropped;
    for (const [key, n] of Object.entries(c.byError)) add(merged.byError, key, n);
    for (const [key, n] of Object.entries(c.byStatus)) add(merged.byStatus, key, n);
  }
  return merged;
}

/** Every sample counted: sent or not. */
export function totalOf(c: Counters): number {
  return c.ok + c.fail + c.info + c.dropped;
}

/**
 * Share of samples that did not end ok: fail, info (indeterminate, e.g. timeouts — the user did not
 * get an answer) and dropped. 0 when nothing was counted.
 */
export function errorRateOf(c: Counters): number {
  const total = totalOf(c);
  return total === 0 ? 0 : (c.fail + c.info + c.dropped) / total;
}
