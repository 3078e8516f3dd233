import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { detectColumns, parseNumberCell, TabularEncoder } from './tabular';

const TABLE = parseCsv(
  [
    'id,plan,charges,seats,name,const,label',
    '1,basic,10.5,3,Ann,x,No',
    '2,pro, ,4,Bob,x,Yes',
    '3,basic,?,5,Cy,x,No',
    '4,enterprise,20,n/a,Di,x,Yes',
    '5,,30,6,Ed,x,No',
    '6,pro,"1,250.00",7,Flo,x,Yes',
  ].join('\n'),
);

describe('tabular column detection and encoding', () => {
  it('parses numbers leniently and treats blanks and odd values as missing', () => {
    expect(parseNumberCell(' 42 ')).toBe(42);
    expect(parseNumberCell('1,250.00')).toBe(1250);
    expect(parseNumberCell('$3.5')).toBe(3.5);
    expect(parseNumberCell('1e3')).toBe(1000);
    for (const odd of ['', ' ', '?', 'n/a', 'NaN', 'abc', '1.2.3', '12abc'])
      expect(parseNumberCell(odd)).toBeNaN();
  });

  it('detects numeric, categorical and dropped columns; skips label and id', () => {
    const cols = detectColumns(TABLE, { exclude: ['id', 'label'] });
    const kinds = Object.fromEntries(cols.map((c) => [c.name, c.kind]));
    expect(kinds).toEqual({
      plan: 'categorical',
      charges: 'numeric',
      seats: 'numeric',
      name: 'categorical',
      const: 'dropped',
    });
    expect(cols.find((c) => c.name === 'charges')!.missing).toBe(2);
  });

  it('drops identifier-like text columns on larger tables', () => {
    const rows = Array.from({ length: 200 }, (_, i) => [
      `cust-${i}`,
      i % 2 ? 'a' : 'b',
      String(1000 + i),
      String(i),
    ]);
    const cols = detectColumns({ header: ['ref', 'kind', 'account_id', 'visits'], rows }, { exclude: [] });
    expect(cols.map((c) => c.kind)).toEqual(['dropped', 'categorical', 'dropped', 'numeric']);
    const more = detectColumns(
      { header: ['customerId', 'paid', 'ID'], rows: rows.map((r) => [r[2]!, r[3]!, r[2]!]) },
      { exclude: [] },
    );
    expect(more.map((c) => c.kind)).toEqual(['dropped', 'numeric', 'dropped']);
  });

  it('imputes medians with a missing indicator and one-hot encodes with other/missing levels', () => {
    const cols = detectColumns(TABLE, { exclude: ['id', 'label', 'name'] });
    const enc = new TabularEncoder(cols, { minLevelCount: 2 }).fit(TABLE.rows);
    expect(enc.featureNames).toEqual([
      'plan=basic',
      'plan=pro',
      'plan=(other)',
      'plan=(missing)',
      'charges',
      'charges (missing)',
      'seats',
      'seats (missing)',
    ]);
    const X = enc.transform(TABLE.rows);
    const row = (i: number) => [...X.data.subarray(i * X.cols, (i + 1) * X.cols)];
    // charges median of 10.5, 20, 30, 1250 = 25; seats median of 3,4,5,6,7 = 5
    expect(row(0)).toEqual([1, 0, 0, 0, 10.5, 0, 3, 0]);
    expect(row(1)).toEqual([0, 1, 0, 0, 25, 1, 4, 0]);
    expect(row(3)).toEqual([0, 0, 1, 0, 20, 0, 5, 1]);
    expect(row(4)).toEqual([0, 0, 0, 1, 30, 0, 6, 0]);
    // a level never seen in training goes to (other)
    const unseen = enc.transform([['7', 'platinum', '5', '1', 'Gus', 'x', 'No']]);
    expect([...unseen.data]).toEqual([0, 0, 1, 0, 5, 0, 1, 0]);
  });

  it('fits its statistics on the rows it is given only (no leakage across folds)', () => {
    const cols = detectColumns(TABLE, { exclude: ['id', 'label', 'name'] });
    const enc = new TabularEncoder(cols, { minLevelCount: 1 }).fit(TABLE.rows.slice(0, 3));
    expect(enc.featureNames).toContain('charges (missing)');
    expect(enc.featureNames).not.toContain('plan=enterprise');
    const X = enc.transform([TABLE.rows[1]!]);
    expect(X.data[enc.featureNames.indexOf('charges')]).toBe(10.5); // median of the training rows' only value
  });
});
