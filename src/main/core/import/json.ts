/**
 * Streaming JSON records: a top-level array of objects (`[{...},{...}]`) or JSON Lines (one object per line).
 * The scanner finds each top-level object's extent (braces, strings, escapes), so only one object is held in
 * memory at a time; each is parsed with JSON.parse. Problems carry the line where the object starts.
 */
import { DEFAULT_MAX_FIELD_SIZE } from './csv';
import { Utf8Error, Utf8Stream } from './text-stream';

export class JsonSyntaxError extends Error {
  constructor(
    readonly code: 'invalid_json' | 'invalid_utf8' | 'record_too_large' | 'unclosed',
    message: string,
    readonly line: number,
    readonly char: number,
  ) {
    super(`line ${line}, character ${char}: ${message}`);
    this.name = 'JsonSyntaxError';
  }
}

export interface JsonRecord {
  value: Record<string, unknown> | null;
  line: number;
  problem?: { message: string };
}

enum M {
  Start,
  ArrayExpectValue,
  ArrayAfterValue,
  Lines,
  Done,
}

export class JsonRecordParser {
  private readonly utf8 = new Utf8Stream();
  private mode: M = M.Start;
  private buf = '';
  private depth = 0;
  private inString = false;
  private escape = false;
  private inRecord = false;
  private line = 1;
  private char = 0;
  private recLine = 1;
  private recChar = 1;
  private readonly maxSize: number;
  private started = false;
  private count = 0;

  constructor(
    opts: { maxRecordSize?: number },
    private readonly onRecord: (rec: JsonRecord) => void,
  ) {
    this.maxSize = opts.maxRecordSize ?? DEFAULT_MAX_FIELD_SIZE * 4;
  }

  get format(): 'json' | 'jsonl' | null {
    return this.mode === M.Start ? null : this.mode === M.Lines ? 'jsonl' : 'json';
  }

  pushBytes(chunk: Uint8Array): void {
    let text: string;
    try {
      text = this.utf8.decode(chunk);
    } catch (e) {
      if (e instanceof Utf8Error) {
        this.pushText(e.validText);
        throw new JsonSyntaxError(
          'invalid_utf8',
          `${e.message}: the file is not UTF-8`,
          this.line,
          this.char + 1,
        );
      }
      throw e;
    }
    this.pushText(text);
  }

  end(): void {
    this.pushText(this.utf8.end());
    if (this.inRecord) {
      throw new JsonSyntaxError(
        'unclosed',
        'the file ends inside a record opened here',
        this.recLine,
        this.recChar,
      );
    }
    if (this.mode === M.ArrayExpectValue || this.mode === M.ArrayAfterValue) {
      throw new JsonSyntaxError(
        'unclosed',
        'the top-level array is never closed with "]"',
        this.line,
        this.char + 1,
      );
    }
  }

  private err(message: string): never {
    throw new JsonSyntaxError('invalid_json', message, this.line, this.char + 1);
  }

  pushText(t: string): void {
    if (!this.started && t.length > 0) {
      this.started = true;
      if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    }
    let segStart = this.inRecord ? 0 : -1;
    for (let i = 0; i < t.length; i++) {
      const ch = t[i]!;
      if (this.inRecord) {
        if (this.inString) {
          if (this.escape) this.escape = false;
          else if (ch === '\\') this.escape = true;
          else if (ch === '"') this.inString = false;
        } else if (ch === '"') this.inString = true;
        else if (ch === '{' || ch === '[') this.depth++;
        else if (ch === '}' || ch === ']') {
          this.depth--;
          if (this.depth === 0) {
            this.buf += t.slice(segStart, i + 1);
            segStart = -1;
            this.inRecord = false;
            this.emit();
            this.mode = this.mode === M.Lines ? M.Lines : M.ArrayAfterValue;
          }
        }
      } else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        // whitespace between records
      } else if (this.mode === M.Start) {
        if (ch === '[') this.mode = M.ArrayExpectValue;
        else if (ch === '{') {
          this.mode = M.Lines;
          i--;
          continue;
        } else this.err('expected a JSON array of objects or JSON Lines (one object per line)');
      } else if (this.mode === M.ArrayAfterValue) {
        if (ch === ',') this.mode = M.ArrayExpectValue;
        else if (ch === ']') this.mode = M.Done;
        else this.err(`expected "," or "]" after record ${this.count}, found ${JSON.stringify(ch)}`);
      } else if (this.mode === M.Done) {
        this.err('unexpected text after the closing "]"');
      } else if (ch === ']' && this.mode === M.ArrayExpectValue && this.count === 0) {
        this.mode = M.Done;
      } else if (ch === '{') {
        this.inRecord = true;
        this.depth = 1;
        this.buf = '';
        segStart = i;
        this.recLine = this.line;
        this.recChar = this.char + 1;
      } else {
        this.err(`record ${this.count + 1} is not an object (found ${JSON.stringify(ch)})`);
      }
      if (ch === '\n') {
        this.line++;
        this.char = 0;
      } else this.char++;
    }
    if (this.inRecord && segStart >= 0) {
      this.buf += t.slice(segStart);
      if (this.buf.length > this.maxSize) {
        throw new JsonSyntaxError(
          'record_too_large',
          `record ${this.count + 1} is longer than the ${this.maxSize}-character limit`,
          this.recLine,
          this.recChar,
        );
      }
    }
  }

  private emit(): void {
    this.count++;
    const text = this.buf;
    this.buf = '';
    if (text.length > this.maxSize) {
      throw new JsonSyntaxError(
        'record_too_large',
        `record ${this.count} is longer than the ${this.maxSize}-character limit`,
        this.recLine,
        this.recChar,
      );
    }
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      this.onRecord({ value, line: this.recLine });
    } catch (e) {
      this.onRecord({
        value: null,
        line: this.recLine,
        problem: { message: `invalid JSON: ${(e as Error).message}` },
      });
    }
  }
}
