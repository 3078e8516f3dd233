/**
 * Files chosen in the browser (web mode) or the desktop window are uploaded to the core as text and kept in an
 * `imports/` folder beside the portfolio file, so the preview and the run read them like any other local file.
 * Nothing leaves the machine; copies older than a week are removed on the next upload.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { CoreError } from '../../../shared/result';

/** What one upload may carry (the web transport's request limit is 20 MB of JSON). */
export const MAX_UPLOAD_CHARS = 15 * 1024 * 1024;
const KEEP_MS = 7 * 24 * 3600 * 1000;
const EXTENSIONS = new Set(['.csv', '.tsv', '.txt', '.json', '.jsonl', '.ndjson']);

export const uploadsDir = (dbPath: string | null): string =>
  dbPath ? join(dirname(dbPath), 'imports') : join(tmpdir(), 'bellwether-imports');

/** A safe file name from whatever the browser reports: the last path part, odd characters replaced. */
export const safeUploadName = (name: string): string => {
  const base = basename(name.replaceAll('\\', '/'))
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^\.+/, '');
  return base.slice(-120) || 'upload';
};

export const saveUpload = (
  dbPath: string | null,
  name: string,
  content: string,
  now: Date,
): { file: string; bytes: number; name: string } => {
  const safe = safeUploadName(name);
  const ext = extname(safe).toLowerCase();
  if (!EXTENSIONS.has(ext))
    throw new CoreError(
      'invalid_arguments',
      `${name}: only .csv, .tsv, .txt, .json, .jsonl or .ndjson files can be imported`,
      'name',
    );
  if (content.length > MAX_UPLOAD_CHARS)
    throw new CoreError(
      'invalid_arguments',
      `${name} is larger than ${MAX_UPLOAD_CHARS / 1024 / 1024} MB; give its path on this computer instead`,
      'content',
    );
  const dir = uploadsDir(dbPath);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    try {
      if (now.getTime() - statSync(p).mtimeMs > KEEP_MS) rmSync(p, { force: true });
    } catch {
      // another process may have removed it
    }
  }
  const file = join(dir, `${now.toISOString().replace(/[:.]/g, '-')}-${safe}`);
  writeFileSync(file, content, { encoding: 'utf8', mode: 0o600 });
  return { file, bytes: Buffer.byteLength(content), name: safe };
};
