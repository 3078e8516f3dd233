/** Seeded splits: stratified k-fold and stratified holdout. */
import { Prng } from './prng';

/**
 * Assigns each row to one of k folds so that every fold has (as near as possible) the same share of
 * positives. Deterministic for a given seed. Returns fold[i] in 0..k-1.
 */
export const stratifiedKFold = (y: ArrayLike<number>, k: number, seed = 42): Int32Array => {
  if (!(k >= 2)) throw new Error('k-fold needs k >= 2');
  const rng = new Prng(seed);
  const fold = new Int32Array(y.length);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    const list = byClass.get(c) ?? [];
    list.push(i);
    byClass.set(c, list);
  }
  let offset = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = rng.shuffle(byClass.get(c)!);
    // Continue the round-robin from where the previous class stopped so fold sizes stay balanced.
    list.forEach((row, j) => {
      fold[row] = (offset + j) % k;
    });
    offset = (offset + list.length) % k;
  }
  return fold;
};

/** Indices of rows in / out of fold f. */
export const foldIndices = (fold: Int32Array, f: number): { train: Int32Array; test: Int32Array } => {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < fold.length; i++) (fold[i] === f ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
};

/** A stratified holdout: `fraction` of each class goes to `holdout`, the rest to `train`. */
export const stratifiedHoldout = (
  y: ArrayLike<number>,
  fraction: number,
  seed = 7,
): { train: Int32Array; holdout: Int32Array } => {
  const rng = new Prng(seed);
  const train: number[] = [];
  const holdout: number[] = [];
  for (const c of [0, 1]) {
    const list: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === c) list.push(i);
    rng.shuffle(list);
    const h = Math.round(list.length * fraction);
    for (let k = 0; k < list.length; k++) (k < h ? holdout : train).push(list[k]!);
  }
  train.sort((a, b) => a - b);
  holdout.sort((a, b) => a - b);
  return { train: Int32Array.from(train), holdout: Int32Array.from(holdout) };
};
