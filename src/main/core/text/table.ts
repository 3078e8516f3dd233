/**
 * Reads a labelled-text table for the CLI and evaluations: CSV (any delimiter the CSV parser detects) or a
 * JSON array of objects. Also normalizes sentiment labels written in the usual ways.
 */
import { readFileSync } from 'node:fs';
import { parseCsv } from '../ml/csv';

export interface TextTable {
  header: string[];
  rows: string[][];
}

export const readTextTable = (path: string): TextTable => {
  const raw = readFileSync(path, 'utf8');
  const trimmed = raw.replace(/^\uFEFF/, '').trimStart();
  if (path.toLowerCase().endsWith('.json') || trimmed.startsWith('[')) {
    const data = JSON.parse(trimmed) as unknown;
    if (!Array.isArray(data)) throw new Error(`${path}: expected a JSON array of objects`);
    const header: string[] = [];
    for (const r of data) {
      if (!r || typeof r !== 'object') throw new Error(`${path}: expected a JSON array of objects`);
      for (const k of Object.keys(r)) if (!header.includes(k)) header.push(k);
    }
    const rows = data.map((r: Record<string, unknown>) =>
      header.map((h) => (r[h] === undefined || r[h] === null ? '' : String(r[h]))),
    );
    return { header, rows };
  }
  return parseCsv(raw);
};

export const column = (t: TextTable, name: string, what: string): number => {
  const i = t.header.indexOf(name);
  if (i < 0) throw new Error(`${what} column "${name}" is not in the file (columns: ${t.header.join(', ')})`);
  return i;
};

/** Removes everything up to and including `marker` (e.g. a prompt prefix before "Comment:"). */
export const stripBefore = (text: string, marker: string | undefined): string => {
  if (!marker) return text;
  const i = text.indexOf(marker);
  return i >= 0 ? text.slice(i + marker.length).trim() : text;
};

/** positive / negative / neutral from the usual spellings (1/0, pos/neg, +1/-1, true/false); null if unknown. */
export const normalizeSentimentLabel = (v: string): 'positive' | 'negative' | 'neutral' | null => {
  const s = v.trim().toLowerCase();
  if (['positive', 'pos', 'p', '1', '+1', 'true', 'yes', 'good'].includes(s)) return 'positive';
  if (['negative', 'neg', 'n', '0', '-1', 'false', 'no', 'bad'].includes(s)) return 'negative';
  if (['neutral', 'neu', 'mixed', 'none'].includes(s)) return 'neutral';
  return null;
};
