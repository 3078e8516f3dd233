/** Small statistics used by metrics and patterns. Quantiles use linear interpolation between order statistics. */
export const quantile = (xs: readonly number[], q: number): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
};

export const median = (xs: readonly number[]): number | null => quantile(xs, 0.5);

export const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);

/** Wilson score interval for a proportion (95%). */
export const wilson = (successes: number, n: number, z = 1.96): [number, number] => {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const d = 1 + (z * z) / n;
  const c = p + (z * z) / (2 * n);
  const m = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, (c - m) / d), Math.min(1, (c + m) / d)];
};

/**
 * Risk ratio of two proportions with a 95% CI on the log scale (Katz). A 0.5 continuity correction is
 * applied when any cell is zero.
 */
export const riskRatio = (
  a: number,
  n1: number,
  c: number,
  n2: number,
): { rr: number | null; low: number | null; high: number | null } => {
  if (n1 === 0 || n2 === 0) return { rr: null, low: null, high: null };
  let [a1, b1, c1, d1] = [a, n1 - a, c, n2 - c];
  if (a1 === 0 || b1 === 0 || c1 === 0 || d1 === 0)
    [a1, b1, c1, d1] = [a1 + 0.5, b1 + 0.5, c1 + 0.5, d1 + 0.5];
  const rr = a1 / (a1 + b1) / (c1 / (c1 + d1));
  const se = Math.sqrt(1 / a1 - 1 / (a1 + b1) + 1 / c1 - 1 / (c1 + d1));
  return { rr, low: Math.exp(Math.log(rr) - 1.96 * se), high: Math.exp(Math.log(rr) + 1.96 * se) };
};

export const daysBetweenIso = (a: string, b: string): number => (Date.parse(b) - Date.parse(a)) / 86_400_000;
