/** A uniform [0, 1) source; seeded runs are reproducible, unseeded ones use Math.random. */
export type Random = () => number;

/** mulberry32: tiny, fast, good enough for jitter and toxicity rolls (not for cryptography). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createRandom(seed?: number): Random {
  return seed === undefined ? Math.random : seededRandom(seed);
}

/** Uniform integer in [0, n), like Go's rand.Intn (n must be > 0). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}
