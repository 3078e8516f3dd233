/**
 * The portfolio database: sql.js in memory, made durable by a write-ahead journal plus compacted snapshots.
 *
 * On disk, for a portfolio at `P`:
 *   P            the last snapshot (a plain SQLite file; `meta.journal_seq` = the last journal seq it holds)
 *   P.journal    transactions committed after that snapshot, each fdatasync'd before it is acknowledged
 *   P.bak        the snapshot before that, and P.bak.journal the journal that followed it (last good state)
 *   P.lock       the pid of the process that has the portfolio open
 *
 * A small commit appends one record to the journal (cost independent of database size). Compaction writes
 * a full snapshot to P.next, fsyncs it and renames it over P, so P is never half-written.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { CoreError } from '../../../shared/result';
import type { Params, RunResult, SqlEngine } from './engine';
import { type JournalRecord, JournalWriter, readJournal } from './journal';
import { applyMigrations } from './migrate';
import { SqlJsEngine } from './sqljs-engine';

export interface StoreOptions {
  /** Compact once the journal grows past this many bytes (default 64 MB). */
  compactAtBytes?: number;
  /** Open the last good snapshot (P.bak) when P itself is unreadable. Default false: refuse with a clear error. */
  recoverFromBackup?: boolean;
}

export interface OpenReport {
  replayed: number;
  tornTail: boolean;
  migratedFrom: number | null;
  recoveredFromBackup: boolean;
}

export interface Tx {
  run(sql: string, params?: Params): RunResult;
  all<T>(sql: string, params?: Params): T[];
  get<T>(sql: string, params?: Params): T | undefined;
}

const fsyncDir = (dir: string): void => {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms (Windows) cannot open a directory; rename is still atomic there.
  }
};

const writeDurably = (path: string, bytes: Uint8Array): void => {
  const fd = openSync(path, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export class PortfolioStore {
  private journal: JournalWriter | null = null;
  private seq = 0;
  private inTx: [string, Params][] | null = null;
  private readonly compactAt: number;
  private closed = false;

  private constructor(
    readonly engine: SqlEngine,
    readonly path: string | null,
    readonly report: OpenReport,
    opts: StoreOptions,
  ) {
    this.compactAt = opts.compactAtBytes ?? 64 * 1024 * 1024;
  }

  /** An in-memory portfolio with no file behind it (tests, previews). */
  static async memory(): Promise<PortfolioStore> {
    const engine = await SqlJsEngine.create();
    const migratedFrom = applyMigrations(engine);
    return new PortfolioStore(
      engine,
      null,
      { replayed: 0, tornTail: false, migratedFrom, recoveredFromBackup: false },
      {},
    );
  }

  static async open(path: string, opts: StoreOptions = {}): Promise<PortfolioStore> {
    mkdirSync(dirname(path), { recursive: true });
    const lockPath = `${path}.lock`;
    if (existsSync(lockPath)) {
      const pid = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new CoreError(
          'storage',
          `${path} is already open in another Bellwether process (pid ${pid}); close it first.`,
          path,
        );
      }
    }
    rmSync(`${path}.next`, { force: true }); // a compaction cut short: P is still the good snapshot

    let recoveredFromBackup = false;
    let engine: SqlEngine;
    let journals: string[];
    try {
      const bytes = existsSync(path) ? readFileSync(path) : undefined;
      engine = await SqlJsEngine.create(bytes);
      journals = [`${path}.journal`];
    } catch (e) {
      const why = (e as Error).message;
      if (!opts.recoverFromBackup || !existsSync(`${path}.bak`)) {
        const hint = existsSync(`${path}.bak`)
          ? ` The last good snapshot is ${path}.bak; open with recovery to use it (nothing has been changed).`
          : '';
        throw new CoreError(
          'storage',
          `${path} is not a readable Bellwether portfolio (${why}).${hint}`,
          path,
        );
      }
      engine = await SqlJsEngine.create(readFileSync(`${path}.bak`));
      journals = [`${path}.bak.journal`, `${path}.journal`];
      recoveredFromBackup = true;
    }

    // Replay journaled transactions newer than the snapshot.
    const hasMeta = engine.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
    const baseSeq = hasMeta
      ? Number(engine.get<{ v: string }>("SELECT value AS v FROM meta WHERE key = 'journal_seq'")?.v ?? 0)
      : 0;
    let seq = baseSeq;
    let replayed = 0;
    let tornTail = false;
    let truncateTo: number | undefined;
    for (const jp of journals) {
      let res: ReturnType<typeof readJournal>;
      try {
        res = readJournal(jp);
      } catch (e) {
        engine.close();
        throw new CoreError('storage', `cannot read journal ${jp}: ${(e as Error).message}`, jp);
      }
      if (res.corruptAt !== null) {
        engine.close();
        throw new CoreError(
          'storage',
          `journal ${jp} is damaged at byte ${res.corruptAt} with intact data after it; it was left untouched. ` +
            'Copy the portfolio files aside and contact support, or open the last good snapshot with recovery.',
          `${jp}@${res.corruptAt}`,
        );
      }
      for (const rec of res.records) {
        if (rec.seq <= seq) continue;
        if (rec.seq !== seq + 1) {
          engine.close();
          throw new CoreError(
            'storage',
            `journal ${jp} skips from transaction ${seq} to ${rec.seq}; refusing to guess.`,
            jp,
          );
        }
        replayTx(engine, rec);
        seq = rec.seq;
        replayed++;
      }
      if (jp === `${path}.journal` && res.tornTail) {
        tornTail = true;
        truncateTo = res.goodEnd;
      }
    }

    let migratedFrom: number | null;
    try {
      migratedFrom = applyMigrations(engine);
    } catch (e) {
      engine.close();
      throw e;
    }
    writeFileSync(lockPath, String(process.pid));
    const store = new PortfolioStore(
      engine,
      path,
      { replayed, tornTail, migratedFrom, recoveredFromBackup },
      opts,
    );
    store.seq = seq;
    store.journal = new JournalWriter(`${path}.journal`, truncateTo);
    if (!existsSync(path) || migratedFrom !== null || recoveredFromBackup) store.compact();
    return store;
  }

  get journalSeq(): number {
    return this.seq;
  }

  all<T>(sql: string, params?: Params): T[] {
    return this.engine.all<T>(sql, params);
  }

  get<T>(sql: string, params?: Params): T | undefined {
    return this.engine.get<T>(sql, params);
  }

  /**
   * Runs `fn` as one transaction. When it returns, the change is durable: it has been journaled and synced.
   * If `fn` throws, nothing is kept.
   */
  write<T>(fn: (tx: Tx) => T): T {
    this.assertOpen();
    if (this.inTx) throw new Error('nested write transactions are not supported');
    const stmts: [string, Params][] = [];
    this.inTx = stmts;
    const tx: Tx = {
      run: (sql, params = []) => {
        stmts.push([sql, params]);
        return this.engine.run(sql, params);
      },
      all: (sql, params) => this.engine.all(sql, params),
      get: (sql, params) => this.engine.get(sql, params),
    };
    this.engine.exec('BEGIN');
    try {
      const value = fn(tx);
      if (stmts.length > 0 && this.journal) {
        const rec: JournalRecord = { seq: this.seq + 1, at: new Date().toISOString(), stmts };
        this.journal.append(rec);
        this.seq = rec.seq;
      }
      this.engine.exec('COMMIT');
      if (this.journal && this.journal.size > this.compactAt) this.compact();
      return value;
    } catch (e) {
      try {
        this.engine.exec('ROLLBACK');
      } catch {
        // already rolled back by SQLite
      }
      throw e;
    } finally {
      this.inTx = null;
    }
  }

  /**
   * A bulk change (generation, import): runs unjournaled inside one transaction, then writes a snapshot
   * before returning, so it is durable as a whole or not at all.
   */
  bulk<T>(fn: (tx: Tx) => T): T {
    this.assertOpen();
    if (this.inTx) throw new Error('nested write transactions are not supported');
    this.inTx = [];
    const tx: Tx = {
      run: (sql, params = []) => this.engine.run(sql, params),
      all: (sql, params) => this.engine.all(sql, params),
      get: (sql, params) => this.engine.get(sql, params),
    };
    this.engine.exec('BEGIN');
    try {
      const value = fn(tx);
      this.engine.exec('COMMIT');
      this.inTx = null;
      this.seq += 1; // the snapshot stands for this transaction
      this.compact();
      return value;
    } catch (e) {
      try {
        this.engine.exec('ROLLBACK');
      } catch {
        // already rolled back
      }
      throw e;
    } finally {
      this.inTx = null;
    }
  }

  /** Writes a full snapshot and starts a fresh journal. P is replaced atomically. */
  compact(): void {
    this.assertOpen();
    if (!this.path || !this.journal) return;
    const path = this.path;
    this.engine.run(
      "INSERT INTO meta(key, value) VALUES ('journal_seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      [String(this.seq)],
    );
    const bytes = this.engine.export();
    writeDurably(`${path}.next`, bytes);
    // Keep the previous snapshot and its journal as the last good state.
    if (existsSync(path)) {
      rmSync(`${path}.bak`, { force: true });
      try {
        linkSync(path, `${path}.bak`);
      } catch {
        copyFileSync(path, `${path}.bak`);
      }
      this.journal.close();
      rmSync(`${path}.bak.journal`, { force: true });
      if (existsSync(`${path}.journal`)) renameSync(`${path}.journal`, `${path}.bak.journal`);
    } else {
      this.journal.close();
    }
    renameSync(`${path}.next`, path);
    fsyncDir(dirname(path));
    this.journal = new JournalWriter(`${path}.journal`);
  }

  close(): void {
    if (this.closed) return;
    if (this.path && this.journal && this.journal.size > 8) this.compact();
    this.journal?.close();
    this.journal = null;
    this.engine.close();
    if (this.path) rmSync(`${this.path}.lock`, { force: true });
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new CoreError('storage', 'the portfolio is closed');
  }
}

const replayTx = (engine: SqlEngine, rec: JournalRecord): void => {
  engine.exec('BEGIN');
  try {
    for (const [sql, params] of rec.stmts) engine.run(sql, params);
    engine.exec('COMMIT');
  } catch (e) {
    engine.exec('ROLLBACK');
    throw new CoreError('storage', `journal transaction ${rec.seq} does not apply: ${(e as Error).message}`);
  }
};
