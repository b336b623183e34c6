/** Numbers as a report shows them: milliseconds, percentages, rates and counts, compact but exact enough. */

/** Up to 3 significant digits, no trailing zeros beyond what is needed (1234 → "1234", 0.01234 → "0.0123"). */
export function num(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '−∞' : 'n/a';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 10 ** digits) return Math.round(x).toLocaleString('en-US');
  return String(Number(x.toPrecision(digits)));
}

export function ms(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return 'never';
  const abs = Math.abs(x);
  if (abs >= 60_000) return `${num(x / 60_000)} min`;
  if (abs >= 1000) return `${num(x / 1000)} s`;
  if (abs > 0 && abs < 1) return `${num(x * 1000)} µs`;
  return `${num(x)} ms`;
}

export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return 'never';
  const p = x * 100;
  if (p === 0 || p === 100) return `${p} %`;
  const abs = Math.abs(p);
  // Trailing zeros dropped: 5 %, 4.72 %, 96.3 %, 0.012 %.
  return `${abs >= 10 ? Number(p.toFixed(1)) : abs >= 0.1 ? Number(p.toFixed(2)) : num(p, 2)} %`;
}

export function count(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return 'never';
  return Number.isInteger(x) ? x.toLocaleString('en-US') : num(x);
}

export function perSecond(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  return `${num(x)}/s`;
}

export type MetricUnit = 'ms' | 'ratio' | 'count' | 'per-second';

/** A value in a hypothesis metric's unit. */
export function inUnit(x: number | null | undefined, unit: MetricUnit | undefined): string {
  switch (unit) {
    case 'ms':
      return ms(x);
    case 'ratio':
      return pct(x);
    case 'per-second':
      return perSecond(x);
    default:
      return count(x);
  }
}

/** Seconds relative to load start, as the event log and charts show time: "+2.045 s". */
export function relSeconds(deltaMs: number, decimals = 3): string {
  const s = deltaMs / 1000;
  return `${s < 0 ? '−' : '+'}${Math.abs(s).toFixed(decimals)} s`;
}

/** A signed duration between two events: "+13 ms", "+3.59 s". */
export function delta(deltaMs: number): string {
  return `${deltaMs < 0 ? '−' : '+'}${ms(Math.abs(deltaMs))}`;
}
