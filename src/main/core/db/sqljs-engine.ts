import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import initSqlJs, { type Database, type SqlJsStatic, type Statement } from 'sql.js';
import type { Params, RunResult, SqlEngine } from './engine';

const require = createRequire(import.meta.url);
let sqlModule: Promise<SqlJsStatic> | undefined;

export const loadSqlJs = (): Promise<SqlJsStatic> => {
  if (!sqlModule) {
    const wasmPath = require.resolve('sql.js/dist/sql-wasm.wasm');
    const buf = readFileSync(wasmPath);
    const wasmBinary = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    sqlModule = initSqlJs({ wasmBinary });
  }
  return sqlModule;
};

/** sql.js behind the SqlEngine interface, with a statement cache (prepare is the expensive part). */
export class SqlJsEngine implements SqlEngine {
  private readonly cache = new Map<string, Statement>();
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

  all<T>(sql: string, params: Params = []): T[] {
    const s = this.stmt(sql);
    const out: T[] = [];
    try {
      s.bind(params as (string | number | null)[]);
      while (s.step()) out.push(s.getAsObject() as T);
    } finally {
      s.reset();
    }
    return out;
  }

  get<T>(sql: string, params: Params = []): T | undefined {
    const s = this.stmt(sql);
    try {
      s.bind(params as (string | number | null)[]);
      return s.step() ? (s.getAsObject() as T) : undefined;
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
