/**
 * File import: stream -> rows -> mapping -> checks -> one transaction.
 *
 * Pass 1 (async, cancellable, flat memory): parse every row, map and check it (types, dates, enums,
 * references, duplicate ids), collect errors with line and column. By default any error refuses the file.
 * Pass 2 (inside one `store.bulk` transaction): read the file again synchronously and upsert each valid row;
 * duplicates and database constraint failures found here are errors too. The transaction commits only when
 * the import is accepted, so a refused, failed, cancelled or dry-run import leaves nothing behind.
 */
import { statSync } from 'node:fs';
import type { SqlValue } from '../db/engine';
import type { PortfolioStore, Tx } from '../db/store';
import type { EntityDef } from './entities';
import {
  type CompiledMapping,
  compileMapping,
  DEFAULT_SOURCE,
  dbRefResolver,
  type ImportIssue,
  type Mapping,
} from './mapping';
import {
  AbortedError,
  createRowParser,
  type FileFormat,
  FileSyntaxError,
  feedAsync,
  feedSync,
  formatOf,
} from './reader';

export interface ImportOptions {
  file: string;
  mapping: Mapping;
  dryRun?: boolean;
  /** Import the valid rows and skip the bad ones (default: any bad row refuses the whole file). */
  validOnly?: boolean;
  signal?: AbortSignal;
  /** Most errors listed in the report (all are counted). Default 1000. */
  maxErrors?: number;
  onProgress?: (p: { done: number; total: number; label: string }) => void;
  now?: () => Date;
  chunkSize?: number;
  /** Ids tracked in memory by pass 1 for early duplicate reports (default 50,000; pass 2 always catches the rest). */
  dedupMemoryLimit?: number;
}

export type ImportStatus = 'imported' | 'refused' | 'dry_run' | 'cancelled';

export interface ImportReport {
  status: ImportStatus;
  /** One line saying why the file was refused, or null. */
  reason: string | null;
  entity: string;
  table: string;
  source: string;
  file: string;
  format: FileFormat;
  delimiter: string | null;
  dryRun: boolean;
  validOnly: boolean;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows left out because they had errors (validOnly). */
  skipped: number;
  errorCount: number;
  errors: ImportIssue[];
  durationMs: number;
}

class Rollback extends Error {}

const FATAL_FILE_CODES = new Set(['missing_required_column', 'unmapped_required', 'missing_column']);

/** Growable row-id -> line map for rows inserted by this import (4 bytes a row). */
class LineIndex {
  private arr = new Uint32Array(1024);
  constructor(private readonly base: number) {}
  set(id: number, line: number): void {
    const i = id - this.base - 1;
    if (i < 0) return;
    if (i >= this.arr.length) {
      const next = new Uint32Array(Math.max(this.arr.length * 2, i + 1));
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[i] = line;
  }
  get(id: number): number | null {
    const i = id - this.base - 1;
    return i >= 0 && i < this.arr.length && this.arr[i] ? this.arr[i]! : null;
  }
}

export const importFile = async (store: PortfolioStore, opts: ImportOptions): Promise<ImportReport> => {
  const started = Date.now();
  const mapping = opts.mapping;
  const format = formatOf(opts.file, mapping.format?.type);
  const maxErrors = opts.maxErrors ?? 1000;
  const size = statSync(opts.file).size;
  const total = size * 2;
  const report: ImportReport = {
    status: 'refused',
    reason: null,
    entity: mapping.entity,
    table: '',
    source: mapping.source ?? DEFAULT_SOURCE,
    file: opts.file,
    format,
    delimiter: null,
    dryRun: !!opts.dryRun,
    validOnly: !!opts.validOnly,
    rowsRead: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    errorCount: 0,
    errors: [],
    durationMs: 0,
  };
  const addIssue = (i: ImportIssue): void => {
    report.errorCount++;
    if (report.errors.length < maxErrors) report.errors.push(i);
  };
  const finish = (status: ImportStatus, reason: string | null): ImportReport => {
    report.status = status;
    report.reason = reason;
    report.durationMs = Date.now() - started;
    opts.onProgress?.({ done: total, total, label: status });
    return report;
  };
  const parseOpts = { delimiter: mapping.format?.delimiter, maxFieldSize: mapping.format?.maxFieldSize };
  const refs = dbRefResolver(store);

  // ---------------------------------------------------------------- pass 1: check
  let compiled: CompiledMapping | null = null;
  const seen = new Map<string, number>();
  const dedupLimit = opts.dedupMemoryLimit ?? 50_000;
  let badRows = 0;
  const checkParser = createRowParser(format, parseOpts, {
    header(cols, delimiter) {
      report.delimiter = delimiter;
      compiled = compileMapping(mapping, cols, refs);
      report.table = compiled.entity.table;
      const fatal = compiled.fileIssues.filter((i) => FATAL_FILE_CODES.has(i.code));
      for (const i of compiled.fileIssues) addIssue(i);
      if (fatal.length > 0) throw new FileSyntaxError(fatal[0]!);
    },
    row(r, problem) {
      report.rowsRead++;
      if (problem) {
        addIssue(problem);
        badRows++;
        return;
      }
      const m = compiled!.map(r);
      if (m.issues.length > 0) {
        for (const i of m.issues) addIssue(i);
        badRows++;
        return;
      }
      if (m.externalId !== null) {
        const prev = seen.get(m.externalId);
        if (prev !== undefined) {
          addIssue(duplicateIssue(compiled!, m.externalId, r.line, prev));
          badRows++;
        } else if (seen.size < dedupLimit) seen.set(m.externalId, r.line);
      }
    },
  });
  try {
    await feedAsync(opts.file, checkParser, {
      signal: opts.signal,
      chunkSize: opts.chunkSize,
      onBytes: (done) => opts.onProgress?.({ done, total, label: 'checking' }),
    });
  } catch (e) {
    if (e instanceof AbortedError) return finish('cancelled', e.message);
    if (e instanceof FileSyntaxError) {
      if (!report.errors.includes(e.issue)) addIssue(e.issue);
      return finish('refused', oneLine(e.issue));
    }
    throw e;
  }
  seen.clear();
  if (!compiled) return finish('refused', 'the file has no header row');
  if (badRows > 0 && !opts.validOnly) {
    return finish(
      'refused',
      `${badRows} row${badRows === 1 ? '' : 's'} with errors; nothing was imported (first: ${oneLine(report.errors[0]!)})`,
    );
  }
  if (opts.signal?.aborted) return finish('cancelled', new AbortedError().message);

  // ---------------------------------------------------------------- pass 2: write (one transaction)
  const rowsChecked = report.rowsRead;
  report.rowsRead = 0;
  report.errorCount = 0;
  report.errors = [];
  let writeErrors = 0;
  const now = (opts.now ?? (() => new Date()))().toISOString();
  try {
    store.bulk((tx) => {
      let writer: RowWriter | null = null;
      const parser = createRowParser(format, parseOpts, {
        header(cols) {
          const c = compileMapping(mapping, cols, refs);
          writer = new RowWriter(tx, c, now);
        },
        row(r, problem) {
          report.rowsRead++;
          const w = writer!;
          if (problem) {
            addIssue(problem);
            report.skipped++;
            return;
          }
          const m = w.compiled.map(r);
          if (m.issues.length > 0) {
            for (const i of m.issues) addIssue(i);
            report.skipped++;
            return;
          }
          const res = w.write(m.externalId!, m.values, r.line);
          if (typeof res === 'string') report[res]++;
          else {
            addIssue(res);
            report.skipped++;
            writeErrors++;
          }
        },
      });
      feedSync(opts.file, parser, {
        signal: opts.signal,
        chunkSize: opts.chunkSize,
        onBytes: (done) => opts.onProgress?.({ done: size + done, total, label: 'writing' }),
      });
      if (writeErrors > 0 && !opts.validOnly) throw new Rollback();
      if (opts.dryRun) throw new Rollback();
      if (
        tx.get<{ x: number }>(
          "SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'import_runs'",
        )
      ) {
        tx.run(
          'INSERT INTO import_runs(source, entity, file, finished_at, status, report) VALUES (?, ?, ?, ?, ?, ?)',
          [
            report.source,
            report.entity,
            opts.file,
            now,
            'imported',
            JSON.stringify({ ...report, errors: report.errors.slice(0, 50), status: 'imported' }),
          ],
        );
      }
    });
  } catch (e) {
    if (e instanceof Rollback) {
      if (opts.dryRun && writeErrors === 0) return finish('dry_run', null);
      if (opts.dryRun && opts.validOnly) return finish('dry_run', null);
      report.inserted = report.updated = report.unchanged = 0;
      return finish(
        'refused',
        `${writeErrors} row${writeErrors === 1 ? '' : 's'} could not be written; nothing was imported (first: ${oneLine(report.errors.find((i) => i.code !== 'ragged_row') ?? report.errors[0]!)})`,
      );
    }
    report.inserted = report.updated = report.unchanged = 0;
    if (e instanceof AbortedError) return finish('cancelled', e.message);
    if (e instanceof FileSyntaxError) {
      // The file changed between the passes.
      addIssue(e.issue);
      return finish('refused', oneLine(e.issue));
    }
    throw e;
  }
  if (report.rowsRead !== rowsChecked) {
    // Unreachable unless the file changed under us; the data written is still consistent with what was read.
    addIssue({
      line: 0,
      column: null,
      code: 'file_changed',
      message: 'the file changed while it was being imported',
    });
  }
  return finish('imported', null);
};

const oneLine = (i: ImportIssue): string =>
  `line ${i.line}${i.column ? `, column "${i.column}"` : ''}: ${i.message.replace(/^line \d+, character \d+: /, '')}`;

const duplicateIssue = (
  c: CompiledMapping,
  id: string,
  line: number,
  firstLine: number | null,
): ImportIssue => ({
  line,
  column: extColumn(c),
  field: 'external_id',
  code: 'duplicate_id',
  message: `duplicate id "${id}": ${firstLine ? `line ${firstLine} has the same id` : 'an earlier row has the same id'} (lines ${firstLine ?? '?'} and ${line})`,
});

const extColumn = (c: CompiledMapping): string => {
  return c.entity.naturalKey && !c.columns.includes('external_id')
    ? c.entity.naturalKey.join('+')
    : 'external_id';
};

type WriteOutcome = 'inserted' | 'updated' | 'unchanged';

/** Upserts mapped rows into one table inside the bulk transaction, detecting in-file duplicates. */
class RowWriter {
  private readonly entity: EntityDef;
  private readonly insertSql: string;
  private readonly selectSql: string;
  private readonly updateSql: string;
  private readonly autoInsert: SqlValue[];
  private readonly autoUpdate: SqlValue[];
  private readonly keepIfNull: boolean[];
  private readonly base: number;
  private readonly lines: LineIndex;
  private readonly touched = new Map<number, number>();
  private readonly fresh: boolean;
  private readonly source: string;

  constructor(
    private readonly tx: Tx,
    readonly compiled: CompiledMapping,
    now: string,
  ) {
    const e = compiled.entity;
    this.entity = e;
    this.source = compiled.source;
    const cols = compiled.columns;
    const autos = e.fields.filter((f) => f.auto && !cols.includes(f.name));
    const upd = autos.filter((f) => f.auto === 'updated');
    const ins = ['source', 'external_id', ...cols, ...autos.map((f) => f.name)];
    this.insertSql = `INSERT INTO ${e.table} (${ins.join(', ')}) VALUES (${ins.map(() => '?').join(', ')})`;
    this.selectSql = `SELECT id${cols.map((c) => `, ${c}`).join('')} FROM ${e.table} WHERE source = ? AND external_id = ?`;
    this.keepIfNull = cols.map((c) => !!e.fields.find((f) => f.name === c)?.required);
    const sets = [
      ...cols.map((c, i) => (this.keepIfNull[i] ? `${c} = COALESCE(?, ${c})` : `${c} = ?`)),
      ...upd.map((f) => `${f.name} = ?`),
    ];
    this.updateSql = `UPDATE ${e.table} SET ${sets.join(', ')} WHERE id = ?`;
    this.autoInsert = autos.map(() => now);
    this.autoUpdate = upd.map(() => now);
    this.base = tx.get<{ m: number | null }>(`SELECT max(id) AS m FROM ${e.table}`)?.m ?? 0;
    this.lines = new LineIndex(this.base);
    this.fresh =
      compiled.mode !== 'update' &&
      !tx.get(`SELECT 1 AS x FROM ${e.table} WHERE source = ? LIMIT 1`, [this.source]);
  }

  write(externalId: string, values: SqlValue[], line: number): WriteOutcome | ImportIssue {
    if (this.fresh) return this.insert(externalId, values, line);
    const existing = this.tx.get<Record<string, SqlValue>>(this.selectSql, [this.source, externalId]);
    if (!existing) {
      if (this.compiled.mode === 'update') {
        return {
          line,
          column: extColumn(this.compiled),
          field: 'external_id',
          code: 'not_found',
          message: `no ${this.entity.name} row with id "${externalId}" in source "${this.source}" to update`,
        };
      }
      return this.insert(externalId, values, line);
    }
    const id = existing.id as number;
    const dup = this.duplicateOf(id, externalId, line);
    if (dup) return dup;
    if (this.compiled.mode === 'insert') {
      return {
        line,
        column: extColumn(this.compiled),
        field: 'external_id',
        code: 'exists',
        message: `a ${this.entity.name} row with id "${externalId}" already exists (mode "insert")`,
      };
    }
    this.touched.set(id, line);
    const cols = this.compiled.columns;
    let same = true;
    for (let i = 0; i < cols.length; i++) {
      const v = values[i];
      if (v === null && this.keepIfNull[i]) continue;
      if (existing[cols[i]!] !== v) {
        same = false;
        break;
      }
    }
    if (same) return 'unchanged';
    try {
      this.tx.run(this.updateSql, [...values, ...this.autoUpdate, id]);
    } catch (e) {
      return this.dbIssue(e, line);
    }
    return 'updated';
  }

  private insert(externalId: string, values: SqlValue[], line: number): WriteOutcome | ImportIssue {
    try {
      const r = this.tx.run(this.insertSql, [this.source, externalId, ...values, ...this.autoInsert]);
      this.lines.set(r.lastInsertRowid, line);
      return 'inserted';
    } catch (e) {
      const msg = (e as Error).message;
      if (/UNIQUE constraint failed/.test(msg)) {
        const other = this.tx.get<{ id: number }>(
          `SELECT id FROM ${this.entity.table} WHERE source = ? AND external_id = ?`,
          [this.source, externalId],
        );
        if (other) {
          const dup = this.duplicateOf(other.id, externalId, line);
          if (dup) return dup;
        }
      }
      return this.dbIssue(e, line);
    }
  }

  private duplicateOf(id: number, externalId: string, line: number): ImportIssue | null {
    const first = id > this.base ? this.lines.get(id) : (this.touched.get(id) ?? null);
    if (id > this.base || this.touched.has(id)) return duplicateIssue(this.compiled, externalId, line, first);
    return null;
  }

  private dbIssue(e: unknown, line: number): ImportIssue {
    const msg = (e as Error).message;
    const m = /(?:UNIQUE|CHECK|NOT NULL) constraint failed: (?:\w+\.)?(\w+)/.exec(msg);
    return {
      line,
      column: m?.[1] ?? null,
      code: 'constraint',
      message: /UNIQUE/.test(msg)
        ? `conflicts with a row already in the portfolio (${msg})`
        : `the database refused the row (${msg})`,
    };
  }
}
