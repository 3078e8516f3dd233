/** Date helpers on ISO strings. All dates in the database are ISO 8601 (UTC for timestamps). */
export const DAY_MS = 86_400_000;

export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

export const addDays = (d: Date, days: number): Date => new Date(d.getTime() + days * DAY_MS);

/** Whole days from `a` to `b` (b - a), by UTC calendar date. */
export const daysBetween = (a: string | Date, b: string | Date): number => {
  const ta = Date.parse(typeof a === 'string' ? a.slice(0, 10) : isoDate(a));
  const tb = Date.parse(typeof b === 'string' ? b.slice(0, 10) : isoDate(b));
  return Math.round((tb - ta) / DAY_MS);
};
