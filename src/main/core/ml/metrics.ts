/** Classification metrics on binary labels (0/1) and scores/probabilities. All pure functions. */

const check = (y: ArrayLike<number>, p: ArrayLike<number>): void => {
  if (y.length !== p.length)
    throw new Error(`labels (${y.length}) and scores (${p.length}) differ in length`);
};

/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative, ties
 * counting one half (Mann-Whitney U with mid-ranks). NaN when only one class is present.
 */
export const rocAuc = (y: ArrayLike<number>, score: ArrayLike<number>): number => {
  check(y, score);
  const n = y.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a]! - score[b]!);
  let nPos = 0;
  let rankSumPos = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && score[idx[j + 1]!] === score[idx[i]!]) j++;
    const midRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let k = i; k <= j; k++) {
      if (y[idx[k]!] === 1) {
        nPos++;
        rankSumPos += midRank;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
};

export const accuracy = (y: ArrayLike<number>, p: ArrayLike<number>, threshold = 0.5): number => {
  check(y, p);
  let ok = 0;
  for (let i = 0; i < y.length; i++) if ((p[i]! >= threshold ? 1 : 0) === y[i]) ok++;
  return ok / y.length;
};

/** Mean squared error of the probability against the 0/1 outcome. */
export const brier = (y: ArrayLike<number>, p: ArrayLike<number>): number => {
  check(y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i]! - y[i]!) ** 2;
  return s / y.length;
};

/** Mean negative log-likelihood (natural log), probabilities clipped to [eps, 1 - eps]. */
export const logLoss = (y: ArrayLike<number>, p: ArrayLike<number>, eps = 1e-15): number => {
  check(y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i]!));
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
};

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export const confusion = (y: ArrayLike<number>, p: ArrayLike<number>, threshold = 0.5): Confusion => {
  check(y, p);
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < y.length; i++) {
    const hit = p[i]! >= threshold;
    if (y[i] === 1) hit ? c.tp++ : c.fn++;
    else hit ? c.fp++ : c.tn++;
  }
  return c;
};

export interface ThresholdStats {
  threshold: number;
  precision: number;
  recall: number;
  falsePositiveRate: number;
  flagged: number;
}

export const atThreshold = (
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  threshold: number,
): ThresholdStats => {
  const c = confusion(y, p, threshold);
  const flagged = c.tp + c.fp;
  return {
    threshold,
    precision: flagged > 0 ? c.tp / flagged : Number.NaN,
    recall: c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : Number.NaN,
    falsePositiveRate: c.fp + c.tn > 0 ? c.fp / (c.fp + c.tn) : Number.NaN,
    flagged,
  };
};

export interface TopKStats {
  k: number;
  precision: number;
  recall: number;
  /** precision at k divided by the base rate: how many times better than flagging at random. */
  lift: number;
}

/**
 * Precision, recall and lift when the k highest-scoring rows are flagged (an alert budget). Rows tied with
 * the k-th score are shared fractionally, so the answer does not depend on the input order.
 */
export const atTopK = (y: ArrayLike<number>, score: ArrayLike<number>, k: number): TopKStats => {
  check(y, score);
  const n = y.length;
  const kk = Math.max(0, Math.min(n, Math.floor(k)));
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]!);
  let hits = 0;
  if (kk > 0) {
    const cut = score[idx[kk - 1]!]!;
    let above = 0;
    let abovePos = 0;
    let tied = 0;
    let tiedPos = 0;
    for (let i = 0; i < n; i++) {
      const s = score[i]!;
      if (s > cut) {
        above++;
        abovePos += y[i]!;
      } else if (s === cut) {
        tied++;
        tiedPos += y[i]!;
      }
    }
    hits = abovePos + ((kk - above) * tiedPos) / tied;
  }
  const precision = kk > 0 ? hits / kk : Number.NaN;
  const base = n > 0 ? pos / n : Number.NaN;
  return {
    k: kk,
    precision,
    recall: pos > 0 ? hits / pos : Number.NaN,
    lift: base > 0 ? precision / base : Number.NaN,
  };
};

export interface CalibrationBin {
  lo: number;
  hi: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Reliability diagram data: `bins` equal-width probability bins (empty bins omitted). */
export const calibrationBins = (y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): CalibrationBin[] => {
  check(y, p);
  const cnt = new Array<number>(bins).fill(0);
  const sp = new Array<number>(bins).fill(0);
  const sy = new Array<number>(bins).fill(0);
  for (let i = 0; i < y.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i]! * bins)));
    cnt[b]!++;
    sp[b]! += p[i]!;
    sy[b]! += y[i]!;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (cnt[b] === 0) continue;
    out.push({
      lo: b / bins,
      hi: (b + 1) / bins,
      count: cnt[b]!,
      meanPredicted: sp[b]! / cnt[b]!,
      observedRate: sy[b]! / cnt[b]!,
    });
  }
  return out;
};

/**
 * Calibration bins of (about) equal size by predicted probability — for rare events, where almost every
 * prediction falls in the first of ten equal-width bins. Each bin reports the range of predictions it holds.
 */
export const quantileCalibrationBins = (
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] => {
  check(y, p);
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a]! - p[b]!);
  const out: CalibrationBin[] = [];
  const k = Math.max(1, Math.min(bins, n));
  for (let b = 0; b < k; b++) {
    const from = Math.floor((b * n) / k);
    const to = Math.floor(((b + 1) * n) / k);
    if (to <= from) continue;
    let sp = 0;
    let sy = 0;
    for (let r = from; r < to; r++) {
      sp += p[order[r]!]!;
      sy += y[order[r]!]!;
    }
    out.push({
      lo: p[order[from]!]!,
      hi: p[order[to - 1]!]!,
      count: to - from,
      meanPredicted: sp / (to - from),
      observedRate: sy / (to - from),
    });
  }
  return out;
};

/** Expected calibration error: count-weighted mean |observed - predicted| over the bins. */
export const expectedCalibrationError = (y: ArrayLike<number>, p: ArrayLike<number>, bins = 10): number => {
  const b = calibrationBins(y, p, bins);
  const n = b.reduce((s, x) => s + x.count, 0);
  return b.reduce((s, x) => s + (x.count / n) * Math.abs(x.observedRate - x.meanPredicted), 0);
};

export interface BinaryReport {
  n: number;
  positives: number;
  baseRate: number;
  auc: number;
  accuracy: number;
  brier: number;
  logLoss: number;
}

export const binaryReport = (y: ArrayLike<number>, p: ArrayLike<number>): BinaryReport => {
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i]!;
  return {
    n: y.length,
    positives,
    baseRate: y.length ? positives / y.length : Number.NaN,
    auc: rocAuc(y, p),
    accuracy: accuracy(y, p),
    brier: brier(y, p),
    logLoss: logLoss(y, p),
  };
};
