/**
 * The contract every Bellwether model shares (convention 10): fit, predictProba/predict, score, toJSON/load.
 * A model's JSON always carries `name` (which class loads it) and `version` (the format of its parameters).
 */
import type { Matrix } from './matrix';

export interface ModelJson {
  name: string;
  version: number;
  [key: string]: unknown;
}

export interface Classifier {
  readonly name: string;
  /** Fits on X (rows × features) and binary labels y (0/1); optional per-row weights. Returns this. */
  fit(X: Matrix, y: ArrayLike<number>, weights?: ArrayLike<number>): this;
  /** P(y = 1) for each row. */
  predictProba(X: Matrix): Float64Array;
  /** 0/1 at `threshold` (default 0.5). */
  predict(X: Matrix, threshold?: number): Uint8Array;
  /** ROC AUC of the model's probabilities against y (ranking quality: the number the model card leads with). */
  score(X: Matrix, y: ArrayLike<number>): number;
  toJSON(): ModelJson;
}

export const checkXy = (X: Matrix, y: ArrayLike<number>, weights?: ArrayLike<number>): void => {
  if (X.rows !== y.length) throw new Error(`X has ${X.rows} rows but y has ${y.length}`);
  if (weights && weights.length !== y.length)
    throw new Error(`weights has ${weights.length} values, y has ${y.length}`);
  if (X.rows === 0) throw new Error('cannot fit on zero rows');
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new Error(`labels must be 0 or 1; row ${i} has ${y[i]}`);
  }
};

export const thresholdPredict = (p: Float64Array, threshold = 0.5): Uint8Array => {
  const out = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i]! >= threshold ? 1 : 0;
  return out;
};

export const checkJson = (json: unknown, name: string, maxVersion: number): ModelJson => {
  const j = json as ModelJson;
  if (!j || typeof j !== 'object' || j.name !== name) {
    throw new Error(`not a ${name} model (name is ${JSON.stringify((j as { name?: unknown })?.name)})`);
  }
  if (typeof j.version !== 'number' || j.version < 1 || j.version > maxVersion) {
    throw new Error(
      `${name} model format version ${j.version} is not supported (this build reads up to ${maxVersion})`,
    );
  }
  return j;
};

/** Class weights that make each class carry half the total weight ("balanced"). */
export const balancedWeights = (y: ArrayLike<number>): { w0: number; w1: number } => {
  let n1 = 0;
  for (let i = 0; i < y.length; i++) n1 += y[i]!;
  const n0 = y.length - n1;
  return { w0: n0 > 0 ? y.length / (2 * n0) : 1, w1: n1 > 0 ? y.length / (2 * n1) : 1 };
};
