/**
 * Turns any CSV table into a numeric matrix for the models.
 *
 * Column detection (on the whole file, label-blind): a column is numeric when at least 95% of its non-blank
 * cells parse as numbers; the cells that do not ("?", "n/a", " ") become missing. Other columns are
 * categorical, except text columns with nearly one distinct value per row (names, ids) and constant
 * columns, which are dropped with a reason.
 *
 * Encoding is fitted on training rows only (so cross-validation does not leak): numeric missing values are
 * imputed with the training median and flagged by a "(missing)" indicator column when the training rows had
 * any; categorical columns are one-hot encoded over their most frequent levels (at most `maxLevels`, each
 * seen at least `minLevelCount` times), the rest grouped as "(other)" and blanks as "(missing)".
 */
import type { CsvTable } from './csv';
import type { Matrix } from './matrix';

export type ColumnKind = 'numeric' | 'categorical' | 'dropped';

export interface ColumnInfo {
  name: string;
  index: number;
  kind: ColumnKind;
  /** Cells that were blank or unparseable (for numeric columns) in the whole file. */
  missing: number;
  /** Non-blank cells in a numeric column that were not numbers and were treated as missing. */
  oddValues?: number;
  distinct: number;
  reason?: string;
}

const MISSING = new Set([
  '',
  'na',
  'n/a',
  'nan',
  'null',
  'none',
  '?',
  '-',
  '--',
  '#n/a',
  'missing',
  'undefined',
]);
const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** "id", "account_id", "customerId", "CustomerID", "uuid" — but not "paid" or "valid". */
const looksLikeIdName = (name: string): boolean =>
  /(^|[^a-zA-Z])id$/i.test(name) || /[a-z]Id$|ID$/.test(name) || /^(key|uuid|guid)$/i.test(name);

export const isMissingCell = (cell: string): boolean => MISSING.has(cell.trim().toLowerCase());

/** The number in a cell, or NaN when it is blank or not a number. Thousands separators and $/% are allowed. */
export const parseNumberCell = (cell: string): number => {
  const t = cell.trim();
  if (MISSING.has(t.toLowerCase())) return Number.NaN;
  let s = t.replace(/^\$|%$/g, '');
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) s = s.replace(/,/g, '');
  return NUMBER_RE.test(s) ? Number(s) : Number.NaN;
};

export interface DetectOptions {
  /** Columns not to use as features (label, id). */
  exclude: string[];
  numericShare?: number;
}

export const detectColumns = (table: CsvTable, opts: DetectOptions): ColumnInfo[] => {
  const share = opts.numericShare ?? 0.95;
  const n = table.rows.length;
  return table.header.flatMap((name, index): ColumnInfo[] => {
    if (opts.exclude.includes(name)) return [];
    let blank = 0;
    let numeric = 0;
    const distinct = new Set<string>();
    for (const r of table.rows) {
      const cell = r[index] ?? '';
      if (isMissingCell(cell)) {
        blank++;
        continue;
      }
      distinct.add(cell.trim());
      if (!Number.isNaN(parseNumberCell(cell))) numeric++;
    }
    const filled = n - blank;
    const base = { name, index, distinct: distinct.size };
    if (filled === 0)
      return [{ ...base, kind: 'dropped' as const, missing: blank, reason: 'every cell is blank' }];
    if (distinct.size === 1 && blank === 0)
      return [{ ...base, kind: 'dropped' as const, missing: 0, reason: 'constant' }];
    if (numeric >= share * filled) {
      if (looksLikeIdName(name) && distinct.size === filled && filled > 20) {
        return [
          {
            ...base,
            kind: 'dropped',
            missing: blank,
            reason: 'a unique number per row named like an identifier',
          },
        ];
      }
      return [{ ...base, kind: 'numeric' as const, missing: n - numeric, oddValues: filled - numeric }];
    }
    if (distinct.size > 0.5 * filled && distinct.size > 50) {
      return [
        {
          ...base,
          kind: 'dropped' as const,
          missing: blank,
          reason: 'text with nearly one distinct value per row (an identifier?)',
        },
      ];
    }
    return [{ ...base, kind: 'categorical' as const, missing: blank }];
  });
};

interface NumericEncoding {
  kind: 'numeric';
  name: string;
  index: number;
  median: number;
  indicator: boolean;
}

interface CategoricalEncoding {
  kind: 'categorical';
  name: string;
  index: number;
  levels: string[];
  other: boolean;
  missing: boolean;
}

type Encoding = NumericEncoding | CategoricalEncoding;

export interface EncoderOptions {
  maxLevels?: number;
  /** Minimum training rows for a level to get its own column (default max(5, 0.5% of rows)). */
  minLevelCount?: number;
}

export const OTHER = '(other)';
export const MISSING_LEVEL = '(missing)';

export class TabularEncoder {
  encodings: Encoding[] = [];
  featureNames: string[] = [];
  /** For each output feature, the source column name. */
  featureColumns: string[] = [];

  constructor(
    readonly columns: ColumnInfo[],
    readonly opts: EncoderOptions = {},
  ) {}

  fit(rows: readonly string[][]): this {
    const maxLevels = this.opts.maxLevels ?? 20;
    const minCount = this.opts.minLevelCount ?? Math.max(5, Math.ceil(rows.length * 0.005));
    this.encodings = [];
    for (const c of this.columns) {
      if (c.kind === 'numeric') {
        const vals: number[] = [];
        let miss = 0;
        for (const r of rows) {
          const v = parseNumberCell(r[c.index] ?? '');
          if (Number.isNaN(v)) miss++;
          else vals.push(v);
        }
        vals.sort((a, b) => a - b);
        const m = vals.length;
        const median = m === 0 ? 0 : m % 2 ? vals[(m - 1) / 2]! : (vals[m / 2 - 1]! + vals[m / 2]!) / 2;
        this.encodings.push({ kind: 'numeric', name: c.name, index: c.index, median, indicator: miss > 0 });
      } else if (c.kind === 'categorical') {
        const counts = new Map<string, number>();
        let miss = 0;
        for (const r of rows) {
          const cell = r[c.index] ?? '';
          if (isMissingCell(cell)) {
            miss++;
            continue;
          }
          const k = cell.trim();
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
        const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
        const kept = ranked.filter(([, k]) => k >= minCount).slice(0, maxLevels);
        const levels = kept.map(([l]) => l);
        const other = ranked.length > levels.length;
        this.encodings.push({
          kind: 'categorical',
          name: c.name,
          index: c.index,
          levels,
          other,
          missing: miss > 0,
        });
      }
    }
    this.featureNames = [];
    this.featureColumns = [];
    for (const e of this.encodings) {
      const names =
        e.kind === 'numeric'
          ? [e.name, ...(e.indicator ? [`${e.name} ${MISSING_LEVEL}`] : [])]
          : [...e.levels, ...(e.other ? [OTHER] : []), ...(e.missing ? [MISSING_LEVEL] : [])].map(
              (l) => `${e.name}=${l}`,
            );
      this.featureNames.push(...names);
      this.featureColumns.push(...names.map(() => e.name));
    }
    return this;
  }

  transform(rows: readonly string[][]): Matrix {
    const d = this.featureNames.length;
    const data = new Float64Array(rows.length * d);
    rows.forEach((r, i) => {
      let j = i * d;
      for (const e of this.encodings) {
        const cell = r[e.index] ?? '';
        if (e.kind === 'numeric') {
          const v = parseNumberCell(cell);
          data[j++] = Number.isNaN(v) ? e.median : v;
          if (e.indicator) data[j++] = Number.isNaN(v) ? 1 : 0;
        } else {
          const width = e.levels.length + (e.other ? 1 : 0) + (e.missing ? 1 : 0);
          if (isMissingCell(cell)) {
            if (e.missing) data[j + width - 1] = 1;
            // a blank level never seen in training: all zeros
          } else {
            const k = e.levels.indexOf(cell.trim());
            if (k >= 0) data[j + k] = 1;
            else if (e.other) data[j + e.levels.length] = 1;
          }
          j += width;
        }
      }
    });
    return { rows: rows.length, cols: d, data };
  }

  toJSON(): { columns: ColumnInfo[]; opts: EncoderOptions; encodings: Encoding[] } {
    return { columns: this.columns, opts: this.opts, encodings: this.encodings };
  }
}
