/**
 * A small RFC 4180 CSV parser for tabular model data: quoted fields, doubled quotes inside quotes, line
 * breaks inside quotes, CRLF / LF / CR line endings, a UTF-8 byte-order mark, and a comma, semicolon or tab
 * delimiter (detected from the header line unless given). Blank lines are skipped. Rows shorter than the
 * header are padded with empty strings; longer rows are an error naming the line.
 */

export interface CsvTable {
  header: string[];
  rows: string[][];
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
  }
}

const detectDelimiter = (text: string): string => {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) break;
    else if (!inQuotes && c in counts) counts[c]!++;
  }
  let best = ',';
  for (const d of [';', '\t']) if (counts[d]! > counts[best]!) best = d;
  return best;
};

/** Parses CSV text into records (each an array of raw field strings). */
export const parseCsvRecords = (
  input: string,
  delimiter?: string,
): { records: string[][]; lines: number[] } => {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const delim = delimiter ?? detectDelimiter(text);
  const records: string[][] = [];
  const lines: number[] = [];
  let record: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let atFieldStart = true;
  let quotedSeen = false; // a record holding just "" is a record, not a blank line
  const endRecord = (): void => {
    if (record.length > 0 || field !== '' || quotedSeen) {
      record.push(field);
      records.push(record);
      lines.push(recordLine);
    }
    record = [];
    field = '';
    atFieldStart = true;
    quotedSeen = false;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && atFieldStart) {
      atFieldStart = false;
      quotedSeen = true;
      const openLine = line;
      i++;
      let closed = false;
      while (i < text.length) {
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (q === '\n' || (q === '\r' && text[i + 1] !== '\n')) line++;
        field += q;
        i++;
      }
      if (!closed) throw new CsvError('unterminated quoted field', openLine);
      continue; // text after the closing quote (malformed) is appended by the branches below
    }
    if (c === delim) {
      record.push(field);
      field = '';
      atFieldStart = true;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += c;
    atFieldStart = false;
    i++;
  }
  endRecord();
  return { records, lines };
};

/** Parses CSV with a header row. Header names are trimmed; duplicate or empty names are made unique. */
export const parseCsv = (input: string, opts: { delimiter?: string } = {}): CsvTable => {
  const { records, lines } = parseCsvRecords(input, opts.delimiter);
  if (records.length === 0) throw new CsvError('the file is empty', 1);
  const seen = new Map<string, number>();
  const header = records[0]!.map((h, j) => {
    let name = h.trim() || `column_${j + 1}`;
    const k = seen.get(name) ?? 0;
    seen.set(name, k + 1);
    if (k > 0) name = `${name}_${k + 1}`;
    return name;
  });
  const rows: string[][] = [];
  for (let r = 1; r < records.length; r++) {
    const rec = records[r]!;
    if (rec.length > header.length) {
      // a trailing delimiter (one extra empty field) is common and harmless
      const extra = rec.slice(header.length);
      if (extra.some((x) => x.trim() !== '')) {
        throw new CsvError(`row has ${rec.length} fields but the header has ${header.length}`, lines[r]!);
      }
      rows.push(rec.slice(0, header.length));
    } else {
      while (rec.length < header.length) rec.push('');
      rows.push(rec);
    }
  }
  return { header, rows };
};
