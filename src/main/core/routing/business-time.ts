/**
 * Business-time arithmetic for SLA clocks: pure functions over epoch milliseconds, no database, no clock.
 *
 * A calendar is working hours (local wall-clock start/end on given weekdays) in an IANA time zone, plus
 * holidays (local dates). Time-zone offsets come from Intl.DateTimeFormat (no tz library). Each working day's
 * open and close instants are converted from local wall time separately, so a day that crosses a DST change
 * still counts its real length (e.g. a 22:00-06:00 night shift is 7 or 9 real hours on DST nights), and a
 * 09:00-17:00 day is 8 hours whatever the offset.
 *
 * Local times that do not exist (spring-forward gap) resolve forward by the gap's length and ambiguous ones
 * (fall-back overlap) resolve to the earlier instant — the same rule as Temporal's 'compatible'
 * disambiguation.
 *
 * The 'calendar' mode (24x7) counts every minute: used for Critical, where "immediate" means wall-clock time.
 */

export interface WorkingHours {
  /** Local wall time "HH:MM" (00:00-23:59). */
  start: string;
  /** Local wall time "HH:MM"; "24:00" is midnight at the end of the day; end <= start means an overnight shift. */
  end: string;
  /** Weekdays the shift starts on: 0 = Sunday ... 6 = Saturday (7 is accepted as Sunday). */
  days: number[];
}

export interface BusinessCalendar {
  /** 'business' counts only working hours; 'calendar' counts every minute (24x7). */
  mode: 'business' | 'calendar';
  timezone: string;
  hours: WorkingHours;
  /** Local dates with no working hours: "YYYY-MM-DD" for one day, "MM-DD" for every year. */
  holidays?: string[];
}

/** A stretch of time that does not count (an SLA pause). `to` null means still paused. */
export interface Interval {
  from: number;
  to: number | null;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far ahead we look for working time before giving up (a calendar with no working days at all). */
const MAX_SCAN_DAYS = 3 * 366;

export const DEFAULT_HOURS: WorkingHours = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] };

// ---------------------------------------------------------------------------------------------------------
// Time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
};

/** True when `tz` is an IANA zone this runtime knows. */
export const isValidTimeZone = (tz: string): boolean => {
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
};

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall-clock reading of instant `t` in `tz`. */
export const localParts = (t: number, tz: string): LocalParts => {
  const out: Partial<Record<string, string>> = {};
  for (const p of formatterFor(tz).formatToParts(new Date(t))) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour) % 24,
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: WEEKDAYS[out.weekday ?? 'Sun'] ?? 0,
  };
};

/** The zone's UTC offset at instant `t`, in milliseconds (local = UTC + offset). */
export const offsetAt = (t: number, tz: string): number => {
  const floored = Math.floor(t / 1000) * 1000;
  const p = localParts(floored, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - floored;
};

/**
 * The instant at which the wall clock in `tz` reads the given local time. `minuteOfDay` may exceed 1440
 * (it rolls into the following days). Gaps resolve forward, overlaps to the earlier instant.
 */
export const zonedToInstant = (
  year: number,
  month: number,
  day: number,
  minuteOfDay: number,
  tz: string,
): number => {
  const wall = Date.UTC(year, month - 1, day, 0, minuteOfDay);
  const before = offsetAt(wall - DAY, tz);
  const after = offsetAt(wall + DAY, tz);
  const valid = [before, after].filter((o) => offsetAt(wall - o, tz) === o).map((o) => wall - o);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: keep the offset in force before the transition, which lands after the gap by its length.
  return wall - before;
};

// ---------------------------------------------------------------------------------------------------------
// Calendars

const parseHm = (s: string, what: string): number => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) throw new Error(`${what} must be HH:MM, got "${s}"`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min !== 0)) throw new Error(`${what} is not a time of day: "${s}"`);
  return h * 60 + min;
};

/** Throws a readable error when the calendar cannot be used. */
export const validateCalendar = (cal: BusinessCalendar): void => {
  if (!isValidTimeZone(cal.timezone)) throw new Error(`unknown time zone "${cal.timezone}"`);
  if (cal.mode === 'calendar') return;
  const s = parseHm(cal.hours.start, 'working hours start');
  const e = parseHm(cal.hours.end, 'working hours end');
  if (s === 1440) throw new Error('working hours cannot start at 24:00');
  if (s === e) throw new Error('working hours start and end are the same');
  const days = cal.hours.days.map((d) => (d === 7 ? 0 : d));
  if (days.some((d) => !Number.isInteger(d) || d < 0 || d > 6))
    throw new Error('working days must be 0-6 (0 = Sunday)');
  if (days.length === 0) throw new Error('working hours need at least one working day');
  for (const h of cal.holidays ?? []) {
    if (!/^(\d{4}-)?\d{2}-\d{2}$/.test(h)) throw new Error(`holiday must be YYYY-MM-DD or MM-DD, got "${h}"`);
  }
};

interface Compiled {
  tz: string;
  startMin: number;
  endMin: number;
  days: Set<number>;
  holidays: Set<string>;
}

const compile = (cal: BusinessCalendar): Compiled => {
  validateCalendar(cal);
  const startMin = parseHm(cal.hours.start, 'start');
  let endMin = parseHm(cal.hours.end, 'end');
  if (endMin <= startMin) endMin += 1440; // overnight shift
  return {
    tz: cal.timezone,
    startMin,
    endMin,
    days: new Set(cal.hours.days.map((d) => (d === 7 ? 0 : d))),
    holidays: new Set(cal.holidays ?? []),
  };
};

const pad = (n: number): string => String(n).padStart(2, '0');

/** The working interval of the shift that starts on local date y-m-d, or null on days off and holidays. */
const shiftOn = (c: Compiled, y: number, m: number, d: number): [number, number] | null => {
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  if (!c.days.has(weekday)) return null;
  const md = `${pad(m)}-${pad(d)}`;
  if (c.holidays.has(`${y}-${md}`) || c.holidays.has(md)) return null;
  return [zonedToInstant(y, m, d, c.startMin, c.tz), zonedToInstant(y, m, d, c.endMin, c.tz)];
};

/**
 * Working intervals [start, end) in time order that end after `from`, the first one clipped to begin at
 * `from`. Overnight shifts that started the day before are included.
 */
function* workingIntervals(cal: BusinessCalendar, from: number): Generator<[number, number]> {
  if (cal.mode === 'calendar') {
    // One endless interval, yielded in day-sized pieces so callers can stop.
    for (let i = 0; i <= MAX_SCAN_DAYS * 100; i++) yield [from + i * DAY, from + (i + 1) * DAY];
    throw new Error('duration too long');
  }
  const c = compile(cal);
  const p = localParts(from, c.tz);
  // Start a day early to pick up an overnight shift still running at `from`.
  const base = Date.UTC(p.year, p.month - 1, p.day) - DAY;
  for (let i = 0; i <= MAX_SCAN_DAYS; i++) {
    const dt = new Date(base + i * DAY);
    const shift = shiftOn(c, dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
    if (!shift) continue;
    const [s, e] = shift;
    if (e <= from) continue;
    yield [Math.max(s, from), e];
  }
  throw new Error(
    `no working time within ${MAX_SCAN_DAYS} days of ${new Date(from).toISOString()} in this calendar`,
  );
}

/** Merges intervals (open ones end at `openEnd`) into sorted, disjoint [from, to) pairs. */
const mergeIntervals = (list: readonly Interval[], openEnd: number): [number, number][] => {
  const pairs = list
    .map((i): [number, number] => [i.from, i.to ?? openEnd])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const p of pairs) {
    const last = out[out.length - 1];
    if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
    else out.push([p[0], p[1]]);
  }
  return out;
};

/** [a, b) minus the (sorted, disjoint) excluded pairs. */
const subtract = (a: number, b: number, excluded: readonly [number, number][]): [number, number][] => {
  const out: [number, number][] = [];
  let cur = a;
  for (const [x, y] of excluded) {
    if (y <= cur) continue;
    if (x >= b) break;
    if (x > cur) out.push([cur, Math.min(x, b)]);
    cur = Math.max(cur, y);
    if (cur >= b) break;
  }
  if (cur < b) out.push([cur, b]);
  return out;
};

/** True when instant `t` falls inside working time. */
export const isWorkingTime = (cal: BusinessCalendar, t: number): boolean => {
  if (cal.mode === 'calendar') return true;
  const first = workingIntervals(cal, t).next().value as [number, number];
  return first[0] === t && first[1] > t;
};

/** The next instant at or after `t` that is working time. */
export const nextWorkingTime = (cal: BusinessCalendar, t: number): number =>
  (workingIntervals(cal, t).next().value as [number, number])[0];

/**
 * The instant when `minutes` of working time (not counting `pauses`) have passed since `start`.
 * Zero minutes returns `start` itself. Throws if a pause is still open (the clock is stopped: no due time).
 */
export const addBusinessMinutes = (
  cal: BusinessCalendar,
  start: number,
  minutes: number,
  pauses: readonly Interval[] = [],
): number => {
  if (minutes < 0) throw new Error('minutes must not be negative');
  if (pauses.some((p) => p.to === null)) {
    throw new Error('the clock is paused: there is no due time until the pause ends');
  }
  if (minutes === 0) return start;
  const excluded = mergeIntervals(pauses, start);
  let left = minutes * MINUTE;
  for (const [s, e] of workingIntervals(cal, start)) {
    for (const [a, b] of subtract(s, e, excluded)) {
      if (b - a >= left) return a + left;
      left -= b - a;
    }
  }
  throw new Error('unreachable');
};

/** Working time between `from` and `to` (0 when to <= from), not counting `pauses`; in minutes (fractional). */
export const businessMinutesBetween = (
  cal: BusinessCalendar,
  from: number,
  to: number,
  pauses: readonly Interval[] = [],
): number => {
  if (to <= from) return 0;
  const excluded = mergeIntervals(pauses, to);
  let total = 0;
  for (const [s, e] of workingIntervals(cal, from)) {
    if (s >= to) break;
    for (const [a, b] of subtract(s, Math.min(e, to), excluded)) total += b - a;
    if (e >= to) break;
  }
  return total / MINUTE;
};

/** Formats an instant as local wall time in `tz`, e.g. "2026-03-09 09:00 (America/New_York)". */
export const formatLocal = (t: number, tz: string): string => {
  const p = localParts(t, tz);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)} (${tz})`;
};

/** Human text for a duration: "45 min", "4 h", "3 days" (calendar); "2 business hours", "30 business min". */
export const describeMinutes = (minutes: number, mode: 'business' | 'calendar'): string => {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (mode === 'business') {
    if (minutes < 60) return `${Math.round(minutes)} business min`;
    return `${h} business hour${h === 1 ? '' : 's'}${m ? ` ${m} min` : ''}`;
  }
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  return `${h} h${m ? ` ${m} min` : ''}`;
};
