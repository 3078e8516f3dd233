import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import initSqlJs, { type Database, type SqlJsStatic, type Statement } from 'sql.js';
import type { Params, RunResult, SqlEngine } from './engine';

// Not named `require`: the bundler's ESM shim declares one in shared chunks (e.g. the model worker's).
const requireHere = createRequire(import.meta.url);
let sqlModule: Promise<SqlJsStatic> | undefined;

export const loadSqlJs = (): Promise<SqlJsStatic> => {
  if (!sqlModule) {
    const wasmPath = requireHere.resolve('sql.js/dist/sql-wasm.wasm');
    const buf = readFileSync(wasmPath);
    const wasmBinary = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    sqlModule = initSqlJs({ wasmBinary });
  }
  return sqlModule;
};

/** sql.js behind the SqlEngine interface, with a statement cache (prepare is the expensive part). */
export class SqlJsEngine implements SqlEngine {
  private readonly cache = new Map<string, Statement>();
  /** Column names per cached statement (fixed once prepared): rows are built without asking for them per row. */
  private readonly names = new WeakMap<Statement, string[]>();
  private lastIdStmt: Statement | undefined;

  private constructor(private readonly db: Database) {}

  static async create(bytes?: Uint8Array): Promise<SqlJsEngine> {
    const SQL = await loadSqlJs();
    const db = new SQL.Database(bytes);
    // Validate the image now: sql.js opens garbage lazily and fails on first read.
    db.exec('PRAGMA foreign_keys = ON; SELECT count(*) FROM sqlite_master;');
    return new SqlJsEngine(db);
  }

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.cache.size > 500) this.clearCache();
      this.cache.set(sql, s);
    }
    return s;
  }

  private clearCache(): void {
    for (const s of this.cache.values()) s.free();
    this.cache.clear();
  }

  exec(sql: string): void {
    this.clearCache();
    this.db.exec(sql);
  }

  run(sql: string, params: Params = []): RunResult {
    const s = this.stmt(sql);
    try {
      s.bind(params as (string | number | null)[]);
      s.step();
    } finally {
      s.reset();
    }
    const changes = this.db.getRowsModified();
    this.lastIdStmt ??= this.db.prepare('SELECT last_insert_rowid()');
    this.lastIdStmt.step();
    const lastInsertRowid = Number(this.lastIdStmt.get()[0]);
    this.lastIdStmt.reset();
    return { changes, lastInsertRowid };
  }

  private columns(s: Statement): string[] {
    let n = this.names.get(s);
    if (!n) {
      n = s.getColumnNames();
      this.names.set(s, n);
    }
    return n;
  }

  /** One row as an object. sql.js's getAsObject asks SQLite for every column name on every row: 3-4x slower. */
  private row<T>(s: Statement, names: readonly string[]): T {
    const v = s.get();
    const o: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) o[names[i]!] = v[i];
    return o as T;
  }

  all<T>(sql: string, params: Params = []): T[] {
    const s = this.stmt(sql);
    const out: T[] = [];
    try {
      s.bind(params as (string | number | null)[]);
      const names = this.columns(s);
      while (s.step()) out.push(this.row<T>(s, names));
    } finally {
      s.reset();
    }
    return out;
  }

  get<T>(sql: string, params: Params = []): T | undefined {
    const s = this.stmt(sql);
    try {
      s.bind(params as (string | number | null)[]);
      return s.step() ? this.row<T>(s, this.columns(s)) : undefined;
    } finally {
      s.reset();
    }
  }

  export(): Uint8Array {
    // sql.js 1.17 exports through SQLite's backup API: prepared statements stay valid.
    return this.db.export();
  }

  close(): void {
    this.clearCache();
    this.lastIdStmt?.free();
    this.db.close();
  }
}
