import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from './csv';

describe('CSV parser', () => {
  it('handles quotes, doubled quotes, embedded delimiters and line breaks', () => {
    const t = parseCsv('id,name,note\n1,"Acme, Inc.","said ""hi""\nthen left"\n2,Beta,\n');
    expect(t.header).toEqual(['id', 'name', 'note']);
    expect(t.rows).toEqual([
      ['1', 'Acme, Inc.', 'said "hi"\nthen left'],
      ['2', 'Beta', ''],
    ]);
  });

  it('handles a BOM, CRLF and CR line endings, blank lines and no final newline', () => {
    const t = parseCsv('\uFEFFa,b\r\n1,2\r\n\r\n3,4\r5,6');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('keeps blank and space-only fields as they are (the Telco TotalCharges quirk)', () => {
    const t = parseCsv('x,TotalCharges,y\n1, ,No\n2,,Yes\n');
    expect(t.rows).toEqual([
      ['1', ' ', 'No'],
      ['2', '', 'Yes'],
    ]);
  });

  it('detects semicolon and tab delimiters', () => {
    expect(parseCsv('a;b\n1,5;2\n').rows).toEqual([['1,5', '2']]);
    expect(parseCsv('a\tb\n1\t2\n').rows).toEqual([['1', '2']]);
  });

  it('pads short rows, tolerates a trailing delimiter, refuses long rows with the line number', () => {
    expect(parseCsv('a,b,c\n1\n').rows).toEqual([['1', '', '']]);
    expect(parseCsv('a,b\n1,2,\n').rows).toEqual([['1', '2']]);
    expect(() => parseCsv('a,b\n1,2\n3,4,5\n')).toThrow(/line 3/);
  });

  it('refuses an unterminated quote and names duplicate headers uniquely', () => {
    expect(() => parseCsv('a,b\n1,"oops\n')).toThrow(CsvError);
    expect(parseCsv('x,x,\n1,2,3\n').header).toEqual(['x', 'x_2', 'column_3']);
  });
});
