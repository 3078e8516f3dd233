/**
 * Files -> rows. One push parser per format (CSV, JSON array / JSON Lines) fed with byte chunks, either
 * asynchronously from fs.createReadStream (validation pass: cancellable, does not block) or synchronously
 * with readSync (the write pass, which must run inside one database transaction). Memory stays flat.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { CsvParser, CsvSyntaxError } from './csv';
import { JsonRecordParser, JsonSyntaxError } from './json';
import { type ColumnSource, csvColumns, type ImportIssue, jsonColumns, type RawRow } from './mapping';

export type FileFormat = 'csv' | 'json';

export const formatOf = (file: string, declared?: string): FileFormat => {
  if (declared === 'csv') return 'csv';
  if (declared === 'json' || declared === 'jsonl') return 'json';
  const ext = extname(file).toLowerCase();
  return ext === '.json' || ext === '.jsonl' || ext === '.ndjson' ? 'json' : 'csv';
};

export interface RowSink {
  /** Called once with the file's columns before any row. */
  header(cols: ColumnSource, delimiter: string | null): void;
  /** Each data row; `problem` is a structural problem with the row (ragged, bad quote, invalid JSON). */
  row(r: RawRow, problem: ImportIssue | null): void;
}

export interface PushParser {
  pushBytes(chunk: Uint8Array): void;
  end(): void;
}

/** A fatal problem with the file itself: reading stops. */
export class FileSyntaxError extends Error {
  constructor(readonly issue: ImportIssue) {
    super(issue.message);
    this.name = 'FileSyntaxError';
  }
}

const fatal = (e: unknown): never => {
  if (e instanceof CsvSyntaxError) {
    throw new FileSyntaxError({ line: e.line, column: null, char: e.char, code: e.code, message: e.message });
  }
  if (e instanceof JsonSyntaxError) {
    throw new FileSyntaxError({ line: e.line, column: null, char: e.char, code: e.code, message: e.message });
  }
  throw e;
};

export const createRowParser = (
  format: FileFormat,
  opts: { delimiter?: string; maxFieldSize?: number },
  sink: RowSink,
): PushParser => {
  if (format === 'csv') {
    let header: string[] | null = null;
    const p: CsvParser = new CsvParser(
      { delimiter: opts.delimiter ?? 'auto', maxFieldSize: opts.maxFieldSize },
      (rec) => {
        if (!header) {
          header = rec.fields.map((h) => h.trim());
          sink.header(csvColumns(header), p.delimiter);
          return;
        }
        let problem: ImportIssue | null = null;
        if (rec.problem) {
          problem = {
            line: rec.line,
            column: header[rec.problem.field - 1] ?? `#${rec.problem.field}`,
            char: rec.problem.char,
            code: 'bad_quote',
            message: rec.problem.message,
          };
        } else if (rec.fields.length !== header.length) {
          problem = {
            line: rec.line,
            column:
              rec.fields.length > header.length
                ? `#${header.length + 1}`
                : (header[rec.fields.length] ?? null),
            code: 'ragged_row',
            message: `the row has ${rec.fields.length} field${rec.fields.length === 1 ? '' : 's'} but the header has ${header.length}`,
          };
        }
        sink.row({ line: rec.line, fields: rec.fields }, problem);
      },
    );
    return {
      pushBytes: (c) => {
        try {
          p.pushBytes(c);
        } catch (e) {
          fatal(e);
        }
      },
      end: () => {
        try {
          p.end();
        } catch (e) {
          fatal(e);
        }
        if (!header)
          throw new FileSyntaxError({
            line: 1,
            column: null,
            code: 'empty_file',
            message: 'the file is empty (no header row)',
          });
      },
    };
  }
  let first = true;
  const p = new JsonRecordParser(
    { maxRecordSize: opts.maxFieldSize ? opts.maxFieldSize * 4 : undefined },
    (rec) => {
      if (first) {
        first = false;
        sink.header(jsonColumns(rec.value), null);
      }
      sink.row(
        { line: rec.line, obj: rec.value ?? {} },
        rec.problem
          ? { line: rec.line, column: null, code: 'invalid_json', message: rec.problem.message }
          : null,
      );
    },
  );
  return {
    pushBytes: (c) => {
      try {
        p.pushBytes(c);
      } catch (e) {
        fatal(e);
      }
    },
    end: () => {
      try {
        p.end();
      } catch (e) {
        fatal(e);
      }
      if (first) sink.header(jsonColumns(null), null);
    },
  };
};

export class AbortedError extends Error {
  constructor() {
    super('the import was cancelled; nothing was changed');
    this.name = 'AbortedError';
  }
}

export const CHUNK = 1024 * 1024;

/** Streams `file` into `parser` (async, flat memory). Stops early when `stop()` returns true. */
export const feedAsync = async (
  file: string,
  parser: PushParser,
  opts: { signal?: AbortSignal; onBytes?: (n: number) => void; stop?: () => boolean; chunkSize?: number },
): Promise<void> => {
  const stream = createReadStream(file, { highWaterMark: opts.chunkSize ?? CHUNK });
  let done = 0;
  try {
    for await (const chunk of stream) {
      if (opts.signal?.aborted) throw new AbortedError();
      parser.pushBytes(chunk as Buffer);
      done += (chunk as Buffer).length;
      opts.onBytes?.(done);
      if (opts.stop?.()) return;
    }
  } finally {
    stream.destroy();
  }
  parser.end();
};

/** Streams `file` into `parser` synchronously (inside a transaction). */
export const feedSync = (
  file: string,
  parser: PushParser,
  opts: { signal?: AbortSignal; onBytes?: (n: number) => void; chunkSize?: number },
): void => {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(opts.chunkSize ?? CHUNK);
  let done = 0;
  try {
    for (;;) {
      if (opts.signal?.aborted) throw new AbortedError();
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      parser.pushBytes(buf.subarray(0, n));
      done += n;
      opts.onBytes?.(done);
    }
  } finally {
    closeSync(fd);
  }
  parser.end();
};

/** Reads the header and the first `limit` rows (for detection and preview). */
export const sampleFile = async (
  file: string,
  format: FileFormat,
  opts: { delimiter?: string; maxFieldSize?: number; limit: number },
): Promise<{
  cols: ColumnSource | null;
  delimiter: string | null;
  rows: { row: RawRow; problem: ImportIssue | null }[];
  error: ImportIssue | null;
}> => {
  let cols: ColumnSource | null = null;
  let delimiter: string | null = null;
  const rows: { row: RawRow; problem: ImportIssue | null }[] = [];
  const parser = createRowParser(format, opts, {
    header(c, d) {
      cols = c;
      delimiter = d;
    },
    row(r, problem) {
      if (rows.length < opts.limit) rows.push({ row: r, problem });
    },
  });
  try {
    await feedAsync(file, parser, { stop: () => rows.length >= opts.limit, chunkSize: 64 * 1024 });
  } catch (e) {
    if (e instanceof FileSyntaxError) return { cols, delimiter, rows, error: e.issue };
    throw e;
  }
  return { cols, delimiter, rows, error: null };
};
