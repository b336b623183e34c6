/**
 * When requests should start, as offsets (ms) on the run clock: an absolute schedule, so a stall
 * in the generator or the target never shifts later arrivals (wrk2's open-loop model).
 */
import type { Random } from '../core/random.ts';

/** Yields intended start times in increasing order. */
export type Arrivals = Generator<number, undefined>;

/** Evenly spaced: T0 + i/R. */
export function* uniformArrivals(ratePerSecond: number, durationMs: number, startMs = 0): Arrivals {
  const gap = 1000 / ratePerSecond;
  const count = Math.floor((durationMs * ratePerSecond) / 1000);
  for (let i = 0; i < count; i++) yield startMs + i * gap;
  return undefined;
}

/** A Poisson process (exponential gaps), seeded: bursts and lulls like independent users make. */
export function* poissonArrivals(
  ratePerSecond: number,
  durationMs: number,
  random: Random,
  startMs = 0,
): Arrivals {
  let t = startMs;
  for (;;) {
    t += (-Math.log(1 - random()) * 1000) / ratePerSecond;
    if (t >= startMs + durationMs) return undefined;
    yield t;
  }
}

export interface Stage {
  /** Rate (req/s) reached at the end of the stage, ramping linearly from the previous one. */
  target: number;
  durationMs: number;
}

/**
 * Rate ramping linearly between stages. The i-th arrival is where the integral of the rate reaches
 * i (solved exactly per stage), so counts match the ramp whatever its steepness.
 */
export function* rampingArrivals(startRate: number, stages: readonly Stage[], startMs = 0): Arrivals {
  let emitted = 0; // arrivals so far; the next is due when the cumulative count reaches this
  let done = 0; // cumulative expected count at the start of the stage
  let t0 = startMs;
  let r0 = startRate;
  for (const { target: r1, durationMs } of stages) {
    const d = durationMs / 1000;
    const total = ((r0 + r1) / 2) * d;
    while (emitted < done + total) {
      const n = emitted - done; // solve r0 s + (r1 - r0) s^2 / (2d) = n for s in [0, d]
      const a = (r1 - r0) / (2 * d);
      const s = Math.abs(a) < 1e-12 ? n / r0 : (-r0 + Math.sqrt(r0 * r0 + 4 * a * n)) / (2 * a);
      yield t0 + s * 1000;
      emitted++;
    }
    done += total;
    t0 += durationMs;
    r0 = r1;
  }
  return undefined;
}
