import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../core';
import { safeUploadName, saveUpload, uploadsDir } from './upload';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-upload-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('uploaded import files', () => {
  it('keeps a copy beside the portfolio that the preview and the import read', async () => {
    const db = join(dir, 'p.bellwether');
    const core = await Core.open({ dbPath: db, now: () => new Date('2026-12-03T10:00:00Z') });
    try {
      const csv =
        'external_id,name,arr,renewal_date,segment\nC-1,Alpha Testworks,120000,2027-04-01,mid_market\n';
      const up = await core.call('import.upload', { name: 'C:\\Users\\me\\accounts.csv', content: csv });
      expect(up.name).toBe('accounts.csv');
      expect(up.file.startsWith(join(dir, 'imports'))).toBe(true);
      expect(readFileSync(up.file, 'utf8')).toBe(csv);
      const preview = await core.call('import.preview', { file: up.file, entity: 'accounts' });
      expect(preview.rows).toHaveLength(1);
      const r = await core.call('import.run', { file: up.file, entity: 'accounts' });
      expect(r).toMatchObject({ status: 'imported', inserted: 1 });
      expect(core.store.get<{ name: string }>('SELECT name FROM accounts')!.name).toBe('Alpha Testworks');
    } finally {
      core.close();
    }
  });

  it('refuses other kinds of files and oversized content, naming the file', () => {
    expect(() => saveUpload(join(dir, 'p'), 'report.exe', 'x', new Date())).toThrow(
      /report\.exe: only \.csv/,
    );
    expect(() => saveUpload(join(dir, 'p'), 'big.csv', 'x'.repeat(15 * 1024 * 1024 + 1), new Date())).toThrow(
      /big\.csv is larger than 15 MB/,
    );
    expect(existsSync(uploadsDir(join(dir, 'p')))).toBe(false);
  });

  it('never writes outside its folder, whatever the name says', () => {
    expect(safeUploadName('../../etc/passwd.csv')).toBe('passwd.csv');
    expect(safeUploadName('..\\..\\x.json')).toBe('x.json');
    expect(safeUploadName('my accounts (final).csv')).toBe('my_accounts_final_.csv');
    expect(safeUploadName('...')).toBe('upload');
    const r = saveUpload(join(dir, 'p'), '../../../escape.csv', 'a,b\n', new Date('2026-12-03T10:00:00Z'));
    expect(r.file.startsWith(join(dir, 'imports'))).toBe(true);
  });

  it('removes copies older than a week on the next upload', () => {
    const folder = uploadsDir(join(dir, 'p'));
    saveUpload(join(dir, 'p'), 'old.csv', 'a\n', new Date('2026-11-01T10:00:00Z'));
    const old = join(folder, readdirSync(folder)[0]!);
    const t = new Date('2026-11-01T10:00:00Z');
    utimesSync(old, t, t);
    writeFileSync(join(folder, 'keep-me.csv'), 'a\n');
    saveUpload(join(dir, 'p'), 'new.csv', 'b\n', new Date('2026-12-03T10:00:00Z'));
    const left = readdirSync(folder);
    expect(left.some((f) => f.endsWith('old.csv'))).toBe(false);
    expect(left).toContain('keep-me.csv');
    expect(left.some((f) => f.endsWith('new.csv'))).toBe(true);
  });
});
