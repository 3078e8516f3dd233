import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  DEFAULT_HOURS,
  describeMinutes,
  isWorkingTime,
  nextWorkingTime,
  offsetAt,
  validateCalendar,
  zonedToInstant,
} from './business-time';

const T = (iso: string): number => Date.parse(iso);
const iso = (t: number): string => new Date(t).toISOString();
const cal = (timezone: string, extra: Partial<BusinessCalendar> = {}): BusinessCalendar => ({
  mode: 'business',
  timezone,
  hours: DEFAULT_HOURS,
  ...extra,
});
const UTC = cal('UTC');

describe('time zone conversion (Intl, no tz library)', () => {
  it('reads offsets, including half-hour and DST zones', () => {
    expect(offsetAt(T('2026-01-15T12:00:00Z'), 'America/New_York')).toBe(-5 * 3600_000);
    expect(offsetAt(T('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-4 * 3600_000);
    expect(offsetAt(T('2026-01-15T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3600_000);
    expect(offsetAt(T('2026-01-15T12:00:00Z'), 'Australia/Sydney')).toBe(11 * 3600_000);
    expect(offsetAt(T('2026-07-15T12:00:00Z'), 'Australia/Sydney')).toBe(10 * 3600_000);
  });

  it('resolves local wall times, moving forward through a spring-forward gap and taking the earlier of an overlap', () => {
    expect(iso(zonedToInstant(2026, 3, 9, 9 * 60, 'America/New_York'))).toBe('2026-03-09T13:00:00.000Z');
    // 02:30 does not exist on 2026-03-08 in New York: it becomes 03:30 EDT.
    expect(iso(zonedToInstant(2026, 3, 8, 150, 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    // 01:30 happens twice on 2026-11-01: the first (EDT) one is taken.
    expect(iso(zonedToInstant(2026, 11, 1, 90, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    // Minutes past midnight roll into the next day.
    expect(iso(zonedToInstant(2026, 1, 5, 1440 + 60, 'UTC'))).toBe('2026-01-06T01:00:00.000Z');
  });
});

describe('addBusinessMinutes (Mon-Fri 09:00-17:00)', () => {
  // 2026-01-05 is a Monday.
  const cases: [string, number, string, string][] = [
    ['inside hours', 60, '2026-01-05T10:00:00Z', '2026-01-05T11:00:00Z'],
    ['ending exactly at close', 60, '2026-01-05T16:00:00Z', '2026-01-05T17:00:00Z'],
    ['spilling into the next day', 120, '2026-01-05T16:00:00Z', '2026-01-06T10:00:00Z'],
    ['starting before opening', 30, '2026-01-05T07:00:00Z', '2026-01-05T09:30:00Z'],
    ['starting after closing', 30, '2026-01-05T18:00:00Z', '2026-01-06T09:30:00Z'],
    ['Friday afternoon over the weekend', 120, '2026-01-09T16:00:00Z', '2026-01-12T10:00:00Z'],
    ['starting on Saturday', 60, '2026-01-10T12:00:00Z', '2026-01-12T10:00:00Z'],
    ['starting on Sunday night', 8 * 60, '2026-01-11T23:59:00Z', '2026-01-12T17:00:00Z'],
    ['a whole business week', 5 * 8 * 60, '2026-01-05T09:00:00Z', '2026-01-09T17:00:00Z'],
    ['24 business hours = 3 days', 24 * 60, '2026-01-05T13:00:00Z', '2026-01-08T13:00:00Z'],
    ['zero minutes returns the start even off hours', 0, '2026-01-10T12:00:00Z', '2026-01-10T12:00:00Z'],
  ];
  it.each(cases)('%s', (_name, minutes, start, due) => {
    expect(iso(addBusinessMinutes(UTC, T(start), minutes))).toBe(new Date(due).toISOString());
  });

  it('keeps seconds of the start', () => {
    expect(iso(addBusinessMinutes(UTC, T('2026-01-05T10:15:30Z'), 15))).toBe('2026-01-05T10:30:30.000Z');
  });
});

describe('time zones', () => {
  it('counts working hours in the calendar zone (Berlin, UTC+1 in winter)', () => {
    const berlin = cal('Europe/Berlin');
    // 07:30Z = 08:30 local, opening at 09:00 local = 08:00Z
    expect(iso(addBusinessMinutes(berlin, T('2026-01-05T07:30:00Z'), 60))).toBe('2026-01-05T09:00:00.000Z');
    // 16:30Z = 17:30 local: after hours, next day 09:00 local
    expect(iso(addBusinessMinutes(berlin, T('2026-01-05T16:30:00Z'), 60))).toBe('2026-01-06T09:00:00.000Z');
  });

  it('handles a zone ahead of UTC whose Monday starts on Sunday UTC (Tokyo)', () => {
    const tokyo = cal('Asia/Tokyo');
    // Sunday 2026-01-11 23:00Z = Monday 08:00 JST
    expect(iso(addBusinessMinutes(tokyo, T('2026-01-11T23:00:00Z'), 30))).toBe('2026-01-12T00:30:00.000Z');
    // Friday 17:00 JST = 08:00Z Friday; next is Monday 09:00 JST = Monday 00:00Z
    expect(iso(addBusinessMinutes(tokyo, T('2026-01-09T08:00:00Z'), 60))).toBe('2026-01-12T01:00:00.000Z');
  });

  it('handles a half-hour offset (Kolkata, UTC+5:30)', () => {
    const kolkata = cal('Asia/Kolkata');
    expect(iso(addBusinessMinutes(kolkata, T('2026-01-05T03:00:00Z'), 60))).toBe('2026-01-05T04:30:00.000Z');
  });

  it('handles a zone behind UTC whose Friday ends on Saturday UTC (Los Angeles)', () => {
    const la = cal('America/Los_Angeles');
    // Friday 16:00 PST = Saturday 00:00Z; 2 business hours -> Monday 10:00 PST = 18:00Z
    expect(iso(addBusinessMinutes(la, T('2026-01-10T00:00:00Z'), 120))).toBe('2026-01-12T18:00:00.000Z');
  });

  it('differs by who is on the clock: the same start gives different due instants per zone', () => {
    const start = T('2026-01-05T15:00:00Z');
    const dues = ['Europe/London', 'America/New_York', 'Asia/Singapore'].map((tz) =>
      iso(addBusinessMinutes(cal(tz), start, 60)),
    );
    expect(dues).toEqual([
      '2026-01-05T16:00:00.000Z',
      '2026-01-05T16:00:00.000Z',
      '2026-01-06T02:00:00.000Z',
    ]);
  });
});

describe('daylight saving time', () => {
  const ny = cal('America/New_York');

  it('over the spring-forward weekend the Monday opens at 09:00 EDT', () => {
    // Friday 2026-03-06 16:00 EST = 21:00Z; +120 business minutes -> Monday 10:00 EDT = 14:00Z
    expect(iso(addBusinessMinutes(ny, T('2026-03-06T21:00:00Z'), 120))).toBe('2026-03-09T14:00:00.000Z');
  });

  it('over the fall-back weekend the Monday opens at 09:00 EST', () => {
    // Friday 2026-10-30 16:00 EDT = 20:00Z; +120 -> Monday 2026-11-02 10:00 EST = 15:00Z
    expect(iso(addBusinessMinutes(ny, T('2026-10-30T20:00:00Z'), 120))).toBe('2026-11-02T15:00:00.000Z');
  });

  it('a working day on the DST Sunday still has 8 hours', () => {
    const sevenDays = cal('America/New_York', { hours: { start: '00:00', end: '24:00', days: [0] } });
    // Sunday 2026-03-08 is 23 real hours long; a 00:00-24:00 shift counts them all.
    expect(businessMinutesBetween(sevenDays, T('2026-03-08T00:00:00Z'), T('2026-03-10T00:00:00Z'))).toBe(
      23 * 60,
    );
    const fallSunday = cal('America/New_York', { hours: { start: '00:00', end: '24:00', days: [0] } });
    expect(businessMinutesBetween(fallSunday, T('2026-11-01T00:00:00Z'), T('2026-11-03T00:00:00Z'))).toBe(
      25 * 60,
    );
    const nine5 = cal('America/New_York', { hours: { start: '09:00', end: '17:00', days: [0] } });
    expect(businessMinutesBetween(nine5, T('2026-03-08T00:00:00Z'), T('2026-03-09T00:00:00Z'))).toBe(8 * 60);
  });

  it('an overnight shift across the change counts real hours (7 in spring, 9 in autumn)', () => {
    const nights = cal('America/New_York', { hours: { start: '22:00', end: '06:00', days: [6] } });
    expect(businessMinutesBetween(nights, T('2026-03-07T00:00:00Z'), T('2026-03-09T00:00:00Z'))).toBe(7 * 60);
    expect(businessMinutesBetween(nights, T('2026-10-31T00:00:00Z'), T('2026-11-02T00:00:00Z'))).toBe(9 * 60);
    // The due instant inside the spring night: Sat 22:00 EST (03:00Z) + 6h of real time = 09:00Z Sunday (05:00 EDT)
    expect(iso(addBusinessMinutes(nights, T('2026-03-08T03:00:00Z'), 360))).toBe('2026-03-08T09:00:00.000Z');
  });

  it('southern hemisphere: Sydney goes forward on the first Sunday of October', () => {
    const syd = cal('Australia/Sydney');
    // Friday 2026-10-02 16:00 AEST = 06:00Z; +120 -> Monday 2026-10-05 10:00 AEDT = Sunday 23:00Z
    expect(iso(addBusinessMinutes(syd, T('2026-10-02T06:00:00Z'), 120))).toBe('2026-10-04T23:00:00.000Z');
  });
});

describe('holidays', () => {
  it('skips a dated holiday and a recurring one', () => {
    const xmas = cal('UTC', { holidays: ['2026-12-25'] });
    // Thursday Dec 24 16:00 + 120 -> Friday is a holiday -> Monday Dec 28 10:00
    expect(iso(addBusinessMinutes(xmas, T('2026-12-24T16:00:00Z'), 120))).toBe('2026-12-28T10:00:00.000Z');
    const recurring = cal('UTC', { holidays: ['12-25', '12-28'] });
    expect(iso(addBusinessMinutes(recurring, T('2026-12-24T16:00:00Z'), 120))).toBe(
      '2026-12-29T10:00:00.000Z',
    );
  });

  it('treats holidays as local dates of the calendar zone', () => {
    const tokyo = cal('Asia/Tokyo', { holidays: ['2026-01-12'] });
    // Monday 2026-01-12 JST is a holiday: Sunday 23:00Z (Mon 08:00 JST) + 30 -> Tuesday 09:30 JST = Tue 00:30Z
    expect(iso(addBusinessMinutes(tokyo, T('2026-01-11T23:00:00Z'), 30))).toBe('2026-01-13T00:30:00.000Z');
  });
});

describe('elapsed business time and pauses', () => {
  it('counts only working hours between two instants', () => {
    expect(businessMinutesBetween(UTC, T('2026-01-09T16:00:00Z'), T('2026-01-12T10:00:00Z'))).toBe(120);
    expect(businessMinutesBetween(UTC, T('2026-01-10T00:00:00Z'), T('2026-01-11T23:00:00Z'))).toBe(0);
    expect(businessMinutesBetween(UTC, T('2026-01-12T10:00:00Z'), T('2026-01-09T16:00:00Z'))).toBe(0);
  });

  it('does not count paused working time and pushes the due instant out by it', () => {
    const start = T('2026-01-05T09:00:00Z');
    const pauses = [{ from: T('2026-01-05T10:00:00Z'), to: T('2026-01-05T12:00:00Z') }];
    expect(iso(addBusinessMinutes(UTC, start, 240, pauses))).toBe('2026-01-05T15:00:00.000Z');
    expect(businessMinutesBetween(UTC, start, T('2026-01-05T15:00:00Z'), pauses)).toBe(240);
  });

  it('a pause that covers only non-working time changes nothing', () => {
    const pauses = [{ from: T('2026-01-05T18:00:00Z'), to: T('2026-01-06T08:00:00Z') }];
    expect(iso(addBusinessMinutes(UTC, T('2026-01-05T16:00:00Z'), 120, pauses))).toBe(
      '2026-01-06T10:00:00.000Z',
    );
  });

  it('merges overlapping pauses', () => {
    const pauses = [
      { from: T('2026-01-05T10:00:00Z'), to: T('2026-01-05T12:00:00Z') },
      { from: T('2026-01-05T11:00:00Z'), to: T('2026-01-05T13:00:00Z') },
    ];
    expect(businessMinutesBetween(UTC, T('2026-01-05T09:00:00Z'), T('2026-01-05T17:00:00Z'), pauses)).toBe(
      5 * 60,
    );
  });

  it('an open pause stops the clock: elapsed stops growing, and there is no due instant', () => {
    const pauses = [{ from: T('2026-01-05T10:00:00Z'), to: null }];
    expect(businessMinutesBetween(UTC, T('2026-01-05T09:00:00Z'), T('2026-01-07T12:00:00Z'), pauses)).toBe(
      60,
    );
    expect(() => addBusinessMinutes(UTC, T('2026-01-05T09:00:00Z'), 60, pauses)).toThrow(/paused/);
  });
});

describe('24x7 calendar time', () => {
  const always: BusinessCalendar = { mode: 'calendar', timezone: 'UTC', hours: DEFAULT_HOURS };
  it('counts every minute, weekends included, minus pauses', () => {
    expect(iso(addBusinessMinutes(always, T('2026-01-09T23:30:00Z'), 60))).toBe('2026-01-10T00:30:00.000Z');
    expect(iso(addBusinessMinutes(always, T('2026-01-09T00:00:00Z'), 3 * 1440))).toBe(
      '2026-01-12T00:00:00.000Z',
    );
    const pauses = [{ from: T('2026-01-09T00:10:00Z'), to: T('2026-01-09T00:40:00Z') }];
    expect(iso(addBusinessMinutes(always, T('2026-01-09T00:00:00Z'), 60, pauses))).toBe(
      '2026-01-09T01:30:00.000Z',
    );
    expect(businessMinutesBetween(always, T('2026-01-09T00:00:00Z'), T('2026-01-09T01:30:00Z'), pauses)).toBe(
      60,
    );
  });
});

describe('working-time queries and validation', () => {
  it('knows when it is working time and when it next is', () => {
    expect(isWorkingTime(UTC, T('2026-01-05T09:00:00Z'))).toBe(true);
    expect(isWorkingTime(UTC, T('2026-01-05T17:00:00Z'))).toBe(false);
    expect(isWorkingTime(UTC, T('2026-01-10T12:00:00Z'))).toBe(false);
    expect(iso(nextWorkingTime(UTC, T('2026-01-10T12:00:00Z')))).toBe('2026-01-12T09:00:00.000Z');
  });

  it('refuses unknown zones, bad times and calendars with no working day', () => {
    expect(() => validateCalendar(cal('Mars/Olympus'))).toThrow(/unknown time zone/);
    expect(() => validateCalendar(cal('UTC', { hours: { start: '9am', end: '17:00', days: [1] } }))).toThrow(
      /HH:MM/,
    );
    expect(() => validateCalendar(cal('UTC', { hours: { start: '09:00', end: '17:00', days: [] } }))).toThrow(
      /working day/,
    );
    const allHolidays = cal('UTC', {
      hours: { start: '09:00', end: '17:00', days: [1] },
      holidays: ['01-05'],
    });
    expect(() => addBusinessMinutes(allHolidays, T('2026-01-05T09:00:00Z'), 60)).not.toThrow();
  });
});

describe('properties', () => {
  const zones = [
    'UTC',
    'America/New_York',
    'Europe/Berlin',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'America/Sao_Paulo',
  ];
  const calArb = fc.record({
    tz: fc.constantFrom(...zones),
    start: fc.integer({ min: 0, max: 22 }),
    len: fc.integer({ min: 1, max: 14 }),
    days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
  });
  const instant = fc.integer({ min: T('2025-01-01T00:00:00Z'), max: T('2027-12-31T00:00:00Z') });

  it('elapsed(start, addBusinessMinutes(start, m)) === m, and the due time is working time or its end', () => {
    fc.assert(
      fc.property(calArb, instant, fc.integer({ min: 1, max: 6000 }), (c, start, minutes) => {
        const hh = (h: number): string => `${String(h % 24).padStart(2, '0')}:00`;
        const calendar = cal(c.tz, { hours: { start: hh(c.start), end: hh(c.start + c.len), days: c.days } });
        const due = addBusinessMinutes(calendar, start, minutes);
        expect(due).toBeGreaterThan(start);
        expect(businessMinutesBetween(calendar, start, due)).toBeCloseTo(minutes, 6);
        // one minute less is strictly earlier
        expect(addBusinessMinutes(calendar, start, minutes - 1)).toBeLessThan(due);
      }),
      { numRuns: 300 },
    );
  });
});

describe('describeMinutes', () => {
  it('reads naturally', () => {
    expect(describeMinutes(45, 'calendar')).toBe('45 min');
    expect(describeMinutes(240, 'calendar')).toBe('4 h');
    expect(describeMinutes(1440, 'calendar')).toBe('1 day');
    expect(describeMinutes(90, 'calendar')).toBe('1 h 30 min');
    expect(describeMinutes(120, 'business')).toBe('2 business hours');
    expect(describeMinutes(60, 'business')).toBe('1 business hour');
    expect(describeMinutes(1440, 'business')).toBe('24 business hours');
  });
});
