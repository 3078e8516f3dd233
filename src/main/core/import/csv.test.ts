import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvParser, type CsvRecord, CsvSyntaxError, detectDelimiter, writeCsvRecord } from './csv';
import { importFile } from './importer';
import { JsonRecordParser } from './json';
import type { Mapping } from './mapping';
import { hashDatabase, memoryStoreWithConnectors } from './test-helpers';
import { findInvalidUtf8 } from './text-stream';

const parseAll = (chunks: (string | Uint8Array)[], opts = {}): CsvRecord[] => {
  const out: CsvRecord[] = [];
  const p = new CsvParser(opts, (r) => out.push(r));
  for (const c of chunks) typeof c === 'string' ? p.pushText(c) : p.pushBytes(c);
  p.end();
  return out;
};

const splitBytes = (bytes: Uint8Array, cuts: number[]): Uint8Array[] => {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
};

describe('CSV parser', () => {
  it('handles quotes, doubled quotes, embedded line breaks, CRLF and a BOM', () => {
    const recs = parseAll(['\uFEFFa,b\r\n"x, y","say ""hi"""\r\n"multi\nline",z\n']);
    expect(recs.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b']],
      [2, ['x, y', 'say "hi"']],
      [3, ['multi\nline', 'z']],
    ]);
  });

  it('detects the delimiter from the header', () => {
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a\tb')).toBe('\t');
    expect(detectDelimiter('"a;b",c')).toBe(',');
    expect(parseAll(['x|y\n1|2\n'])[1]!.fields).toEqual(['1', '2']);
  });

  it('reports line and character for an unclosed quote and text after a closing quote', () => {
    expect(() => parseAll(['a,b\n1,2\n3,"open\n\n'])).toThrow(/line 3, character 3: unclosed quote/);
    const recs = parseAll(['a,b\n"x"y,2\n']);
    expect(recs[1]!.problem).toMatchObject({ char: 4, field: 1 });
  });

  it('refuses a field over the limit without holding it', () => {
    const p = new CsvParser({ maxFieldSize: 1000 }, () => {});
    p.pushText('a\n');
    let err: unknown;
    try {
      for (let i = 0; i < 100; i++) p.pushText('y'.repeat(100));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CsvSyntaxError);
    expect((err as CsvSyntaxError).code).toBe('field_too_large');
    expect((err as CsvSyntaxError).line).toBe(2);
  });

  it('finds the first invalid UTF-8 byte', () => {
    expect(findInvalidUtf8(new Uint8Array([0x41, 0xc3, 0xa9, 0xff]), true)).toBe(3);
    expect(findInvalidUtf8(new Uint8Array([0x41, 0xe2, 0x82]), false)).toBe(-1);
    expect(findInvalidUtf8(new Uint8Array([0x41, 0xe2, 0x82]), true)).toBe(1);
    expect(findInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]), true)).toBe(0); // a surrogate
  });

  it('reports invalid UTF-8 split across chunks at the right place', () => {
    const bytes = new TextEncoder().encode('a,b\n1,é\n2,x');
    const bad = new Uint8Array([...bytes, 0xc3, 0x28, 0x0a]);
    for (let cut = 0; cut <= bad.length; cut++) {
      expect(() => parseAll([bad.subarray(0, cut), bad.subarray(cut)]), `cut ${cut}`).toThrow(
        /line 3, character 4/,
      );
    }
  });

  it('property: any table written as CSV parses back identically, whatever the chunking', () => {
    const field = fc.string({
      unit: fc.oneof(
        fc.constantFrom('"', ',', ';', '\n', '\r', ' ', 'a', 'é', '😀'),
        fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }),
      ),
      maxLength: 12,
    });
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((cols) =>
            fc.array(fc.array(field, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 8 }),
          ),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        (rows, delimiter, eol, cuts, trailing) => {
          const text = rows.map((r) => writeCsvRecord(r, delimiter)).join(eol) + (trailing ? eol : '');
          fc.pre(!text.startsWith('\uFEFF')); // a leading BOM is dropped by design
          const bytes = new TextEncoder().encode(text);
          const got = parseAll(splitBytes(bytes, cuts), { delimiter });
          expect(got.map((r) => r.fields)).toEqual(rows);
          expect(got.every((r) => r.problem === undefined)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('property: arbitrary bytes never crash the parser with anything but a located syntax error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 4 }), (bytes, cuts) => {
        try {
          const recs = parseAll(splitBytes(bytes, cuts), { maxFieldSize: 50 });
          for (const r of recs) expect(r.line).toBeGreaterThanOrEqual(1);
        } catch (e) {
          expect(e).toBeInstanceOf(CsvSyntaxError);
          expect((e as CsvSyntaxError).line).toBeGreaterThanOrEqual(1);
          expect((e as CsvSyntaxError).char).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('JSON records', () => {
  const parseJson = (chunks: string[]) => {
    const out: unknown[] = [];
    const p = new JsonRecordParser({}, (r) => out.push([r.line, r.value]));
    for (const c of chunks) p.pushBytes(new TextEncoder().encode(c));
    p.end();
    return out;
  };
  it('reads an array of objects and JSON Lines, in any chunking', () => {
    const arr = '[\n {"a": 1, "b": "x}]"},\n {"a": {"n": [1,2]}}\n]';
    for (let cut = 0; cut <= arr.length; cut++) {
      expect(parseJson([arr.slice(0, cut), arr.slice(cut)])).toEqual([
        [2, { a: 1, b: 'x}]' }],
        [3, { a: { n: [1, 2] } }],
      ]);
    }
    expect(parseJson(['{"a":1}\n{"a":2}\n'])).toEqual([
      [1, { a: 1 }],
      [2, { a: 2 }],
    ]);
  });
});

describe('importer fuzzing', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bw-fuzz-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const mapping: Mapping = {
    entity: 'accounts',
    source: 'fuzz',
    dateFormat: 'DD/MM/YYYY',
    fields: {
      external_id: 'id',
      name: 'name',
      segment: { column: 'plan', map: { E: 'enterprise', M: 'mid_market', S: 'smb' } },
      arr: { column: 'mrr', multiply: 12 },
      renewal_date: 'renews',
    },
  };

  it('property: random garbage never crashes the importer, and a refused file never changes the database', async () => {
    const store = await memoryStoreWithConnectors();
    let n = 0;
    const cell = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom(
        'E',
        'M',
        'S',
        'X',
        '12/05/2027',
        '31/02/2027',
        '100',
        '-5',
        '1e3',
        'abc',
        '"',
        '""',
        'A,B',
      ),
    );
    const row = fc.array(cell, { minLength: 0, maxLength: 7 });
    const file = fc.oneof(
      fc
        .array(row, { maxLength: 12 })
        .map((rows) =>
          new TextEncoder().encode(
            ['id,name,plan,mrr,renews', ...rows.map((r) => writeCsvRecord(r))].join('\n'),
          ),
        ),
      fc.uint8Array({ maxLength: 300 }),
      fc.string({ maxLength: 300 }).map((s) => new TextEncoder().encode(`id,name,plan,mrr,renews\n${s}`)),
    );
    await fc.assert(
      fc.asyncProperty(file, fc.boolean(), async (bytes, validOnly) => {
        const path = join(tmp, `f${n++}.csv`);
        writeFileSync(path, bytes);
        const before = hashDatabase(store);
        const r = await importFile(store, { file: path, mapping, validOnly });
        expect(['imported', 'refused']).toContain(r.status);
        if (r.status === 'refused') {
          expect(hashDatabase(store)).toBe(before);
          expect(r.reason).toBeTruthy();
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) expect(e.line).toBeGreaterThanOrEqual(1);
        } else if (!validOnly) expect(r.errors).toEqual([]);
        const count = store.get<{ n: number }>("SELECT count(*) AS n FROM accounts WHERE source = 'fuzz'")!.n;
        expect(count).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('property: random JSON never crashes the importer, and a refused file never changes the database', async () => {
    const store = await memoryStoreWithConnectors();
    let n = 0;
    const jsonMapping: Mapping = {
      entity: 'accounts',
      source: 'fuzzjson',
      fields: { external_id: 'id', name: 'name', segment: { column: 'seg', default: 'smb' }, arr: 'arr' },
    };
    const record = fc.record(
      {
        id: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
        name: fc.oneof(fc.string({ maxLength: 6 }), fc.constant(null)),
        seg: fc.constantFrom('smb', 'enterprise', 'x'),
        arr: fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.double()),
      },
      { requiredKeys: [] },
    );
    const file = fc.oneof(
      fc.array(record, { maxLength: 8 }).map((rs) => JSON.stringify(rs)),
      fc.array(record, { maxLength: 8 }).map((rs) => rs.map((r) => JSON.stringify(r)).join('\n')),
      fc.json(),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(file, fc.boolean(), async (text, validOnly) => {
        const path = join(tmp, `j${n++}.json`);
        writeFileSync(path, text);
        const before = hashDatabase(store);
        const r = await importFile(store, { file: path, mapping: jsonMapping, validOnly });
        expect(['imported', 'refused']).toContain(r.status);
        if (r.status === 'refused') expect(hashDatabase(store)).toBe(before);
      }),
      { numRuns: 200 },
    );
  });
});
