/**
 * A push-based, streaming CSV parser (RFC 4180): quoted fields, doubled quotes, line breaks inside quotes,
 * CRLF / LF / CR line ends, a UTF-8 BOM, a configurable or detected delimiter. Memory holds one record at a
 * time, so a 1 GB file parses in flat memory. Every problem carries its line and character position.
 *
 * Fatal problems (unclosed quote, a field over `maxFieldSize`, invalid UTF-8) stop the parse. A record-level
 * problem (text after a closing quote) marks that record and parsing goes on.
 */
import { Utf8Error, Utf8Stream } from './text-stream';

export const DEFAULT_MAX_FIELD_SIZE = 1024 * 1024;
export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

export interface CsvOptions {
  /** A single character, or 'auto' (default) to detect it from the first line. */
  delimiter?: string;
  /** Longest field accepted, in characters (default 1 MB). */
  maxFieldSize?: number;
}

export type CsvErrorCode = 'unclosed_quote' | 'field_too_large' | 'invalid_utf8' | 'bad_quote';

export class CsvSyntaxError extends Error {
  constructor(
    readonly code: CsvErrorCode,
    message: string,
    readonly line: number,
    /** 1-based character position within the line. */
    readonly char: number,
    /** 1-based field index within the record. */
    readonly field: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export interface CsvRecord {
  fields: string[];
  /** The line on which the record starts (1-based). */
  line: number;
  /** A record-level problem (the record should be refused), if any. */
  problem?: { char: number; field: number; message: string };
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

enum S {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/** Picks the delimiter that splits the first line into the most fields (ignoring quoted text). */
export const detectDelimiter = (firstLine: string): string => {
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITER_CANDIDATES) {
    let count = 0;
    let inQ = false;
    for (let i = 0; i < firstLine.length; i++) {
      const ch = firstLine[i];
      if (ch === '"') inQ = !inQ;
      else if (!inQ && ch === d) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
};

export class CsvParser {
  private readonly maxField: number;
  private delim: number;
  private delimiterChar: string | null;
  private readonly utf8 = new Utf8Stream();
  private state: S = S.FieldStart;
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private char = 0; // chars consumed on the current line
  private recLine = 1;
  private fieldLine = 1;
  private fieldChar = 1;
  private skipLf = false;
  private started = false;
  private pending = ''; // text held back while detecting the delimiter
  private problem: CsvRecord['problem'];
  private failed: CsvSyntaxError | null = null;

  constructor(
    opts: CsvOptions,
    private readonly onRecord: (rec: CsvRecord) => void,
  ) {
    this.maxField = opts.maxFieldSize ?? DEFAULT_MAX_FIELD_SIZE;
    const d = opts.delimiter && opts.delimiter !== 'auto' ? opts.delimiter : null;
    if (d !== null && d.length !== 1) throw new Error(`the delimiter must be one character, got "${d}"`);
    if (d === '"' || d === '\n' || d === '\r')
      throw new Error('the delimiter cannot be a quote or a line break');
    this.delimiterChar = d;
    this.delim = d ? d.charCodeAt(0) : -1;
  }

  /** The delimiter in use (known after the first line when detecting). */
  get delimiter(): string | null {
    return this.delimiterChar;
  }

  pushBytes(chunk: Uint8Array): void {
    let text: string;
    try {
      text = this.utf8.decode(chunk);
    } catch (e) {
      if (e instanceof Utf8Error) {
        this.pushText(e.validText);
        this.fail('invalid_utf8', `${e.message}: the file is not UTF-8 (re-export it as UTF-8)`);
      }
      throw e;
    }
    this.pushText(text);
  }

  /** Call once after the last chunk. */
  end(): void {
    let rest: string;
    try {
      rest = this.utf8.end();
    } catch (e) {
      if (e instanceof Utf8Error) {
        this.pushText(e.validText);
        this.fail('invalid_utf8', `${e.message}: the file is not UTF-8`);
      }
      throw e;
    }
    this.pushText(rest);
    if (this.delimiterChar === null) this.resolveDelimiter(true);
    if (this.state === S.Quoted) {
      this.fail(
        'unclosed_quote',
        `unclosed quote: the field opened at line ${this.fieldLine}, character ${this.fieldChar} never ends`,
        this.fieldLine,
        this.fieldChar,
      );
    }
    if (this.state === S.Unquoted || this.state === S.QuoteInQuoted) {
      this.endField(this.field);
      this.endRecord();
    } else if (this.fields.length > 0) {
      this.endField('');
      this.endRecord();
    }
    this.state = S.FieldStart;
  }

  pushText(text: string): void {
    if (this.failed) throw this.failed;
    if (text.length === 0) return;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.delimiterChar === null) {
      this.pending += text;
      if (!this.resolveDelimiter(false)) {
        if (this.pending.length > this.maxField * 4) this.resolveDelimiter(true);
        return;
      }
      text = this.pending;
      this.pending = '';
    }
    this.consume(text);
  }

  private resolveDelimiter(force: boolean): boolean {
    let inQ = false;
    let end = -1;
    const p = this.pending;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c === QUOTE) inQ = !inQ;
      else if (!inQ && (c === LF || c === CR)) {
        end = i;
        break;
      }
    }
    if (end < 0 && !force) return false;
    this.delimiterChar = detectDelimiter(end < 0 ? p : p.slice(0, end));
    this.delim = this.delimiterChar.charCodeAt(0);
    if (force && p.length > 0) {
      this.pending = '';
      this.consume(p);
    }
    return true;
  }

  private fail(code: CsvErrorCode, message: string, line = this.line, char = this.char + 1): never {
    this.failed = new CsvSyntaxError(
      code,
      `line ${line}, character ${char}: ${message}`,
      line,
      char,
      this.fields.length + 1,
    );
    throw this.failed;
  }

  private endField(value: string): void {
    if (value.length > this.maxField) this.tooLarge();
    this.fields.push(value);
  }

  private tooLarge(): never {
    return this.fail(
      'field_too_large',
      `field ${this.fields.length + 1} is longer than the ${this.maxField}-character limit`,
      this.fieldLine,
      this.fieldChar,
    );
  }

  private endRecord(): void {
    const fields = this.fields;
    this.fields = [];
    const rec: CsvRecord = { fields, line: this.recLine };
    if (this.problem) rec.problem = this.problem;
    this.problem = undefined;
    // A blank line is not a record.
    const blank = fields.length === 1 && fields[0] === '' && !this.quotedInRecord;
    this.quotedInRecord = false;
    if (!blank) this.onRecord(rec);
  }

  private consume(t: string): void {
    const n = t.length;
    const delim = this.delim;
    let i = 0;
    let segStart = 0; // start of the not-yet-copied part of the current field in `t`
    let state = this.state;
    let char = this.char;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (this.skipLf) {
        this.skipLf = false;
        if (c === LF) {
          i++;
          segStart = i;
          continue;
        }
      }
      switch (state) {
        case S.FieldStart:
          if (this.fields.length === 0) this.recLine = this.line;
          this.fieldLine = this.line;
          this.fieldChar = char + 1;
          if (c === QUOTE) {
            state = S.Quoted;
            this.quotedInRecord = true;
            this.prevCr = false;
            i++;
            char++;
            segStart = i;
            this.field = '';
            continue;
          }
          this.field = '';
          segStart = i;
          state = S.Unquoted;
          continue; // re-examine c as unquoted
        case S.Unquoted:
          if (c === delim) {
            this.endField(this.field + t.slice(segStart, i));
            state = S.FieldStart;
            i++;
            char++;
            segStart = i;
            continue;
          }
          if (c === LF || c === CR) {
            this.endField(this.field + t.slice(segStart, i));
            this.endRecord();
            state = S.FieldStart;
            this.line++;
            char = 0;
            if (c === CR) this.skipLf = true;
            i++;
            segStart = i;
            continue;
          }
          // A quote inside an unquoted field is kept literally (common in real exports: 27" monitor).
          i++;
          char++;
          continue;
        case S.Quoted:
          if (c === QUOTE) {
            this.field += t.slice(segStart, i);
            state = S.QuoteInQuoted;
            i++;
            char++;
            segStart = i;
            continue;
          }
          if (c === CR) {
            this.line++;
            char = 0;
            this.prevCr = true;
            i++;
            continue;
          }
          if (c === LF) {
            if (!this.prevCr) this.line++;
            this.prevCr = false;
            char = 0;
            i++;
            continue;
          }
          this.prevCr = false;
          i++;
          char++;
          continue;
        case S.QuoteInQuoted:
          if (c === QUOTE) {
            // A doubled quote: one literal quote; the quoted field goes on.
            this.field += '"';
            state = S.Quoted;
            i++;
            char++;
            segStart = i;
            continue;
          }
          if (c === delim || c === LF || c === CR) {
            state = S.Unquoted; // the field text so far is in this.field; segStart === i
            continue;
          }
          if (!this.problem) {
            this.problem = {
              char: char + 1,
              field: this.fields.length + 1,
              message: `unexpected character ${JSON.stringify(t[i])} after the closing quote of field ${this.fields.length + 1} (line ${this.line}, character ${char + 1})`,
            };
          }
          state = S.Unquoted;
          continue;
      }
    }
    // End of chunk: keep the partial field.
    if (state === S.Unquoted || state === S.Quoted) {
      this.field += t.slice(segStart, n);
      if (this.field.length > this.maxField) {
        this.state = state;
        this.char = char;
        this.tooLarge();
      }
    }
    this.state = state;
    this.char = char;
  }

  private prevCr = false;
  private quotedInRecord = false;
}

/** Serialises one record (used by tests and exports): quotes only when needed. */
export const writeCsvRecord = (fields: readonly string[], delimiter = ','): string =>
  fields
    .map((f) =>
      f.includes('"') || f.includes(delimiter) || f.includes('\n') || f.includes('\r') || f === ''
        ? `"${f.replaceAll('"', '""')}"`
        : f,
    )
    .join(delimiter);
