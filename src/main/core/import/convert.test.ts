import { describe, expect, it } from 'vitest';
import { compileDateFormat, parseBool, parseNumber, resolveNumberLocale, toIso } from './convert';
import { proposeMapping } from './detect';

const d = (raw: string, fmt: string | undefined, kind: 'date' | 'datetime', tz = 'UTC') => {
  const r = toIso(raw, compileDateFormat(fmt), kind, tz);
  return r.ok ? r.value : `ERR ${r.reason}`;
};

describe('dates', () => {
  it('reads day-first, month-first, ISO and epoch formats', () => {
    expect(d('14/02/2022', 'DD/MM/YYYY', 'date')).toBe('2022-02-14');
    expect(d('02/14/2022', 'MM/DD/YYYY', 'date')).toBe('2022-02-14');
    expect(d('3.7.2024', 'D.M.YYYY', 'date')).toBe('2024-07-03');
    expect(d('5 Mar 2025', 'D MMM YYYY', 'date')).toBe('2025-03-05');
    expect(d('2026-02-02T09:07:00+01:00', undefined, 'datetime')).toBe('2026-02-02T08:07:00.000Z');
    expect(d('1767225600', 'epoch_s', 'datetime')).toBe('2026-01-01T00:00:00.000Z');
    expect(d('1767225600000', 'epoch_ms', 'date')).toBe('2026-01-01');
    expect(d('03/15/2026 4:30 PM', 'MM/DD/YYYY h:mm A', 'datetime')).toBe('2026-03-15T16:30:00.000Z');
  });
  it('applies the time zone to wall-clock times, across daylight saving changes', () => {
    expect(d('2026-01-15 09:00', 'YYYY-MM-DD HH:mm', 'datetime', 'America/New_York')).toBe(
      '2026-01-15T14:00:00.000Z',
    );
    expect(d('2026-07-15 09:00', 'YYYY-MM-DD HH:mm', 'datetime', 'America/New_York')).toBe(
      '2026-07-15T13:00:00.000Z',
    );
    expect(d('2026-03-29 12:00', 'YYYY-MM-DD HH:mm', 'datetime', 'Europe/Berlin')).toBe(
      '2026-03-29T10:00:00.000Z',
    );
    // An instant's calendar date depends on the zone.
    expect(d('2026-01-01T03:00:00Z', undefined, 'date', 'America/Los_Angeles')).toBe('2025-12-31');
  });
  it('refuses impossible dates with a reason', () => {
    expect(d('31/02/2024', 'DD/MM/YYYY', 'date')).toMatch(/day 31 does not exist in 2024-02/);
    expect(d('2024-13-01', undefined, 'date')).toMatch(/month 13/);
    expect(d('12/05/2024', undefined, 'date')).toMatch(/not an ISO date/);
    expect(() => compileDateFormat('HH:mm')).toThrow(/needs a year, a month and a day/);
  });
});

describe('numbers and booleans', () => {
  it('reads numbers in the chosen locale and refuses the wrong one', () => {
    const en = resolveNumberLocale('en');
    const de = resolveNumberLocale('de-DE');
    const fr = resolveNumberLocale('fr');
    expect(parseNumber('1,234.56', en)).toEqual({ ok: true, value: 1234.56 });
    expect(parseNumber('1.234,56', de)).toEqual({ ok: true, value: 1234.56 });
    expect(parseNumber('1 234,56', fr)).toEqual({ ok: true, value: 1234.56 });
    expect(parseNumber('$1,200', en)).toEqual({ ok: true, value: 1200 });
    expect(parseNumber('(50)', en)).toEqual({ ok: true, value: -50 });
    expect(parseNumber('1.234,56', en).ok).toBe(false);
    expect(parseNumber('12,34', en).ok).toBe(false);
    expect(parseNumber('1.5', de).ok).toBe(false);
    expect(parseNumber('abc', en).ok).toBe(false);
  });
  it('reads yes/no values', () => {
    expect(parseBool('Yes')).toEqual({ ok: true, value: true });
    expect(parseBool('N')).toEqual({ ok: true, value: false });
    expect(parseBool('maybe').ok).toBe(false);
  });
});

describe('column detection', () => {
  it('matches synonyms and fuzzy names, proposes units, date formats and value maps', () => {
    const p = proposeMapping(
      'accounts',
      ['Acct ID', 'Organisation', 'Tier Level', 'Monthly Recurring Revenue (cents)', 'Renews On', 'Random'],
      [
        {
          'Acct ID': '1',
          Organisation: 'A',
          'Tier Level': 'Large',
          'Monthly Recurring Revenue (cents)': '1000',
          'Renews On': '25/12/2026',
        },
        {
          'Acct ID': '2',
          Organisation: 'B',
          'Tier Level': 'Starter',
          'Monthly Recurring Revenue (cents)': '2000',
          'Renews On': '01/02/2027',
        },
      ],
    );
    expect(p.mapping.fields.name).toBe('Organisation');
    expect(p.mapping.fields.arr).toMatchObject({ multiply: 12, divide: 100 });
    expect(p.mapping.fields.renewal_date).toMatchObject({ column: 'Renews On', dateFormat: 'D/M/YYYY' });
    expect(p.mapping.fields.segment).toMatchObject({
      column: 'Tier Level',
      map: { Large: 'enterprise', Starter: 'smb' },
    });
    expect(p.unmatchedColumns).toContain('Random');
  });
});
