/**
 * Value parsing for imports: numbers with a locale, dates with an explicit format and time zone, booleans.
 * Each parser returns the value or a short reason; nothing here throws on bad data.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
const bad = (reason: string): Parsed<never> => ({ ok: false, reason });

// ---------------------------------------------------------------- numbers

export interface NumberLocale {
  decimal: string;
  thousands: string[];
}

export const NUMBER_LOCALES: Record<string, NumberLocale> = {
  en: { decimal: '.', thousands: [',', ' ', '\u00a0', '\u202f', '_'] },
  de: { decimal: ',', thousands: ['.', ' ', '\u00a0', '\u202f'] },
  fr: { decimal: ',', thousands: [' ', '\u00a0', '\u202f', '.'] },
  ch: { decimal: '.', thousands: ["'", '\u2019', ' '] },
};

export const resolveNumberLocale = (
  l: string | { decimal: string; thousands?: string } | undefined,
): NumberLocale => {
  if (l === undefined) return NUMBER_LOCALES.en!;
  if (typeof l === 'string') {
    const base = l.toLowerCase().split(/[-_]/)[0]!;
    const known =
      NUMBER_LOCALES[base] ??
      (['es', 'it', 'pt', 'nl', 'id', 'tr', 'da'].includes(base)
        ? NUMBER_LOCALES.de
        : ['sv', 'no', 'nb', 'fi', 'pl', 'cs', 'ru', 'uk'].includes(base)
          ? NUMBER_LOCALES.fr
          : undefined);
    if (!known)
      throw new Error(
        `unknown number locale "${l}" (use en, de, fr, ch or {"decimal": ",", "thousands": "."})`,
      );
    return known;
  }
  return { decimal: l.decimal, thousands: l.thousands === undefined ? [] : [l.thousands] };
};

const CURRENCY = /^[$€£¥₹]|[$€£¥₹]$|^(USD|EUR|GBP|CHF|JPY)\s*|\s*(USD|EUR|GBP|CHF|JPY)$/g;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const SIMPLE_INT = /^-?\d{1,15}$/;
const SIMPLE_DEC = /^-?\d{1,15}\.\d{1,15}$/;

export const parseNumber = (raw: string, loc: NumberLocale): Parsed<number> => {
  // Fast paths: plain integers, and plain decimals when the locale's decimal point is ".".
  if (SIMPLE_INT.test(raw) || (loc.decimal === '.' && SIMPLE_DEC.test(raw)))
    return { ok: true, value: Number(raw) };
  let s = raw.trim().replace(CURRENCY, '').trim();
  if (s === '') return bad('empty number');
  let neg = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    neg = true;
    s = s.slice(1, -1);
  }
  if (loc.thousands.length > 0) {
    // Thousands separators only between digit groups of three.
    for (const t of loc.thousands) {
      if (t === loc.decimal || !s.includes(t)) continue;
      const dec = s.indexOf(loc.decimal);
      if (dec >= 0 && s.indexOf(t, dec) >= 0) {
        return bad(`"${raw}" is not a number in this locale (decimal separator is "${loc.decimal}")`);
      }
      const intPart = s.split(loc.decimal)[0]!;
      const groups = intPart.replace(/^[+-]/, '').split(t);
      if (groups.length > 1 && (groups[0]!.length > 3 || groups.slice(1).some((g) => !/^\d{3}$/.test(g)))) {
        return bad(`"${raw}" is not a number in this locale (thousands separator "${t}" misplaced)`);
      }
      s = s.split(t).join('');
    }
  }
  if (loc.decimal !== '.') {
    if (s.includes('.'))
      return bad(`"${raw}" is not a number in this locale (decimal separator is "${loc.decimal}")`);
    s = s.replace(loc.decimal, '.');
  }
  if (!PLAIN_NUMBER.test(s)) return bad(`"${raw}" is not a number`);
  const v = Number(s);
  if (!Number.isFinite(v)) return bad(`"${raw}" is out of range`);
  return { ok: true, value: neg ? -v : v };
};

// ---------------------------------------------------------------- booleans

const TRUE = new Set(['true', 't', 'yes', 'y', '1', 'x', 'on', 'ja', 'oui', 'si', 'sí']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0', 'off', 'nein', 'non', '']);

export const parseBool = (raw: string): Parsed<boolean> => {
  const s = raw.trim().toLowerCase();
  if (TRUE.has(s)) return { ok: true, value: true };
  if (FALSE.has(s)) return { ok: true, value: false };
  return bad(`"${raw}" is not a yes/no value`);
};

// ---------------------------------------------------------------- dates

export interface DateParts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  /** Offset from UTC in minutes when the text says so (Z, +02:00), else null. */
  offset: number | null;
  /** An absolute instant (epoch input). */
  epochMs?: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

const validParts = (p: DateParts): string | null => {
  if (p.mo < 1 || p.mo > 12) return `month ${p.mo} does not exist`;
  if (p.d < 1 || p.d > daysInMonth(p.y, p.mo))
    return `day ${p.d} does not exist in ${p.y}-${String(p.mo).padStart(2, '0')}`;
  if (p.h > 23 || p.mi > 59 || p.s > 59) return 'the time is out of range';
  if (p.y < 1900 || p.y > 2200) return `year ${p.y} is out of range`;
  return null;
};

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const parseOffset = (z: string | undefined): number | null => {
  if (!z) return null;
  if (z.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(z)!;
  const v = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -v : v;
};

const parseIso = (s: string): DateParts | null => {
  const m = ISO_RE.exec(s);
  if (!m) return null;
  return {
    y: Number(m[1]),
    mo: Number(m[2]),
    d: Number(m[3]),
    h: Number(m[4] ?? 0),
    mi: Number(m[5] ?? 0),
    s: Number(m[6] ?? 0),
    ms: m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0,
    offset: parseOffset(m[8]),
  };
};

type Token =
  | 'YYYY'
  | 'YY'
  | 'MMMM'
  | 'MMM'
  | 'MM'
  | 'M'
  | 'DD'
  | 'D'
  | 'HH'
  | 'H'
  | 'hh'
  | 'h'
  | 'mm'
  | 'ss'
  | 'SSS'
  | 'A'
  | 'Z';
const TOKENS: Token[] = [
  'YYYY',
  'MMMM',
  'MMM',
  'SSS',
  'YY',
  'MM',
  'DD',
  'HH',
  'hh',
  'mm',
  'ss',
  'M',
  'D',
  'H',
  'h',
  'A',
  'Z',
];
const TOKEN_RE: Record<Token, string> = {
  YYYY: '(\\d{4})',
  YY: '(\\d{2})',
  MMMM: '([A-Za-z]+)',
  MMM: '([A-Za-z]{3})',
  MM: '(\\d{2})',
  M: '(\\d{1,2})',
  DD: '(\\d{2})',
  D: '(\\d{1,2})',
  HH: '(\\d{2})',
  H: '(\\d{1,2})',
  hh: '(\\d{2})',
  h: '(\\d{1,2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
  SSS: '(\\d{3})',
  A: '([AaPp][Mm])',
  Z: '(Z|[+-]\\d{2}:?\\d{2})',
};

export type DateParser = (s: string) => DateParts | string;

const compiled = new Map<string, DateParser>();

/**
 * A parser for a date format: 'ISO' (default), 'epoch_s' / 'epoch_ms' (or moment's 'X' / 'x'), or a pattern
 * of tokens YYYY YY MMMM MMM MM M DD D HH H hh h mm ss SSS A Z with literal separators ('DD/MM/YYYY',
 * 'MM/DD/YYYY HH:mm', 'D MMM YYYY'). Optional trailing time is not implied: write it in the pattern.
 */
export const compileDateFormat = (format: string | undefined): DateParser => {
  const key = format ?? 'ISO';
  const hit = compiled.get(key);
  if (hit) return hit;
  let parser: DateParser;
  const upper = key.toUpperCase();
  if (upper === 'ISO' || upper === 'AUTO' || upper === 'ISO8601') {
    parser = (s) => parseIso(s) ?? `"${s}" is not an ISO date (YYYY-MM-DD or YYYY-MM-DDTHH:mm:ssZ)`;
  } else if (upper === 'EPOCH_S' || upper === 'EPOCH' || key === 'X' || upper === 'UNIX') {
    parser = (s) =>
      /^-?\d+(\.\d+)?$/.test(s) ? epochParts(Number(s) * 1000) : `"${s}" is not a time in epoch seconds`;
  } else if (upper === 'EPOCH_MS' || key === 'x') {
    parser = (s) =>
      /^-?\d+$/.test(s) ? epochParts(Number(s)) : `"${s}" is not a time in epoch milliseconds`;
  } else {
    const order: Token[] = [];
    let re = '';
    let i = 0;
    while (i < key.length) {
      const tok = TOKENS.find((t) => key.startsWith(t, i));
      if (tok) {
        order.push(tok);
        re += TOKEN_RE[tok];
        i += tok.length;
      } else {
        re += key[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        i++;
      }
    }
    if (
      !order.some((t) => t === 'YYYY' || t === 'YY') ||
      !order.some((t) => t.startsWith('M')) ||
      !order.some((t) => t.startsWith('D'))
    ) {
      throw new Error(`date format "${key}" needs a year, a month and a day (e.g. DD/MM/YYYY)`);
    }
    const rx = new RegExp(`^${re}$`);
    parser = (s) => {
      const m = rx.exec(s);
      if (!m) return `"${s}" does not match the date format ${key}`;
      const p: DateParts = { y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0, ms: 0, offset: null };
      let pm: boolean | null = null;
      order.forEach((t, k) => {
        const v = m[k + 1]!;
        switch (t) {
          case 'YYYY':
            p.y = Number(v);
            break;
          case 'YY':
            p.y = 2000 + Number(v) - (Number(v) > 69 ? 100 : 0);
            break;
          case 'MMMM':
          case 'MMM': {
            const idx = MONTHS.indexOf(v.slice(0, 3).toLowerCase());
            p.mo = idx < 0 ? 0 : idx + 1;
            break;
          }
          case 'MM':
          case 'M':
            p.mo = Number(v);
            break;
          case 'DD':
          case 'D':
            p.d = Number(v);
            break;
          case 'HH':
          case 'H':
          case 'hh':
          case 'h':
            p.h = Number(v);
            break;
          case 'mm':
            p.mi = Number(v);
            break;
          case 'ss':
            p.s = Number(v);
            break;
          case 'SSS':
            p.ms = Number(v);
            break;
          case 'A':
            pm = v.toLowerCase() === 'pm';
            break;
          case 'Z':
            p.offset = parseOffset(v);
            break;
        }
      });
      if (pm !== null) {
        if (p.h < 1 || p.h > 12) return `hour ${p.h} is not a 12-hour clock hour`;
        p.h = (p.h % 12) + (pm ? 12 : 0);
      }
      return p;
    };
  }
  compiled.set(key, parser);
  return parser;
};

const epochParts = (ms: number): DateParts | string => {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return 'the epoch time is out of range';
  const d = new Date(ms);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
    offset: 0,
    epochMs: ms,
  };
};

// ---------------------------------------------------------------- time zones

const tzFormatters = new Map<string, Intl.DateTimeFormat>();

/** Throws a clear error for an unknown IANA zone. */
export const checkTimeZone = (tz: string): void => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new Error(`unknown time zone "${tz}" (use an IANA name such as Europe/Paris or UTC)`);
  }
};

/** Offset of `tz` from UTC in minutes at instant `ms`. */
export const tzOffsetAt = (tz: string, ms: number): number => {
  if (tz === 'UTC' || tz === 'Etc/UTC') return 0;
  let f = tzFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    tzFormatters.set(tz, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
};

/** The instant of a wall-clock time in `tz`. */
const zonedToUtc = (p: DateParts, tz: string): number => {
  const wall = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s, p.ms);
  let t = wall - tzOffsetAt(tz, wall) * 60000;
  t = wall - tzOffsetAt(tz, t) * 60000;
  return t;
};

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * Parses `raw` with `parser` and returns an ISO date (YYYY-MM-DD) for kind 'date' or an ISO UTC timestamp for
 * 'datetime'. Wall-clock times without an offset are read in `tz`.
 */
export const toIso = (
  raw: string,
  parser: DateParser,
  kind: 'date' | 'datetime',
  tz: string,
): Parsed<string> => {
  const p = parser(raw.trim());
  if (typeof p === 'string') return bad(p);
  if (p.epochMs === undefined) {
    const why = validParts(p);
    if (why) return bad(`"${raw}": ${why}`);
  }
  if (kind === 'date') {
    if (p.offset === null && p.epochMs === undefined)
      return { ok: true, value: `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}` };
    // An instant: its calendar date in the chosen zone.
    const ms = p.epochMs ?? Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s, p.ms) - (p.offset ?? 0) * 60000;
    const local = new Date(ms + tzOffsetAt(tz, ms) * 60000);
    return { ok: true, value: local.toISOString().slice(0, 10) };
  }
  let ms: number;
  if (p.epochMs !== undefined) ms = p.epochMs;
  else if (p.offset !== null) ms = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s, p.ms) - p.offset * 60000;
  else ms = zonedToUtc(p, tz);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return bad(`"${raw}" is out of range`);
  return { ok: true, value: d.toISOString() };
};
