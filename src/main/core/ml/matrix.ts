/** Dense row-major feature matrix. Missing values are NaN. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export const matrix = (rows: readonly (readonly number[])[], cols?: number): Matrix => {
  const d = cols ?? rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * d);
  rows.forEach((r, i) => {
    if (r.length !== d) throw new Error(`row ${i} has ${r.length} values, expected ${d}`);
    for (let j = 0; j < d; j++) data[i * d + j] = r[j]!;
  });
  return { rows: rows.length, cols: d, data };
};

export const zeros = (rows: number, cols: number): Matrix => ({
  rows,
  cols,
  data: new Float64Array(rows * cols),
});

/** The rows of `m` at `idx`, in that order. */
export const takeRows = (m: Matrix, idx: ArrayLike<number>): Matrix => {
  const out = new Float64Array(idx.length * m.cols);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    out.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), k * m.cols);
  }
  return { rows: idx.length, cols: m.cols, data: out };
};

export const take = (v: ArrayLike<number>, idx: ArrayLike<number>): Float64Array => {
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = v[idx[k]!]!;
  return out;
};

export const row = (m: Matrix, i: number): Float64Array => m.data.subarray(i * m.cols, (i + 1) * m.cols);

export const sigmoid = (z: number): number => {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
};

export const logit = (p: number, eps = 1e-12): number => {
  const q = Math.min(1 - eps, Math.max(eps, p));
  return Math.log(q / (1 - q));
};

/**
 * Solves A x = b for a symmetric positive-definite A (n×n, row-major) by Cholesky. A small ridge is added
 * when A is numerically singular. Returns null if it still fails.
 */
export const solveSpd = (a: Float64Array, b: Float64Array, n: number): Float64Array | null => {
  for (let attempt = 0; attempt < 6; attempt++) {
    const jitter = attempt === 0 ? 0 : 1e-10 * 100 ** attempt;
    const l = new Float64Array(n * n);
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = a[i * n + j]! + (i === j ? jitter : 0);
        for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
        if (i === j) {
          if (!(s > 0)) {
            ok = false;
            break;
          }
          l[i * n + i] = Math.sqrt(s);
        } else l[i * n + j] = s / l[j * n + j]!;
      }
    }
    if (!ok) continue;
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = b[i]!;
      for (let k = 0; k < i; k++) s -= l[i * n + k]! * z[k]!;
      z[i] = s / l[i * n + i]!;
    }
    const x = new Float64Array(n);
    for (let i = n - 1; i >= 0; i--) {
      let s = z[i]!;
      for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
      x[i] = s / l[i * n + i]!;
    }
    return x;
  }
  return null;
};
