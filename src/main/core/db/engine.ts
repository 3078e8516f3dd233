/**
 * The one small interface every caller uses to reach SQLite. The engine behind it (sql.js today) can change
 * without touching callers. Values are always bound, never concatenated into SQL.
 */
export type SqlValue = number | string | null;
export type Params = readonly SqlValue[];

export interface RunResult {
  changes: number;
  lastInsertRowid: number;
}

export interface SqlEngine {
  /** Runs one or more statements that take no parameters (schema, pragmas). */
  exec(sql: string): void;
  run(sql: string, params?: Params): RunResult;
  all<T>(sql: string, params?: Params): T[];
  get<T>(sql: string, params?: Params): T | undefined;
  /** A consistent byte image of the whole database. */
  export(): Uint8Array;
  close(): void;
}
