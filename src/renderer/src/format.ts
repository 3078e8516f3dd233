/** Display formatting shared by the pages. Dates in the data are ISO strings (YYYY-MM-DD or full ISO). */
import type { Segment } from '../../shared/domain';

const money0 = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const int = new Intl.NumberFormat('en-US');

export const formatMoney = (n: number): string => money0.format(n);
export const formatCompact = (n: number): string => compact.format(n);
export const formatInt = (n: number): string => int.format(n);

export const SEGMENT_LABEL: Record<Segment, string> = {
  enterprise: 'Enterprise',
  mid_market: 'Mid-market',
  smb: 'SMB',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2026-03-05` → `5 Mar 2026` (unambiguous in every locale). */
export const formatDate = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
};

/** `2026-03-05T14:20:00Z` → `5 Mar 2026, 14:20` (UTC, as stored). */
export const formatDateTime = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const t = /T(\d{2}):(\d{2})/.exec(iso);
  return t ? `${formatDate(iso)}, ${t[1]}:${t[2]}` : formatDate(iso);
};

/** `Mar '26` for chart axes. */
export const formatMonthTick = (iso: string): string => {
  const m = /^(\d{4})-(\d{2})/.exec(iso);
  return m ? `${MONTHS[Number(m[2]) - 1]} '${m[1]!.slice(2)}` : iso;
};

export const formatDays = (days: number | null): string => {
  if (days === null) return '';
  if (days === 0) return 'today';
  if (days > 0) return `in ${days} d`;
  return `${-days} d ago`;
};

export type HealthBand = 'good' | 'watch' | 'poor' | 'none';
export const healthBand = (score: number | null): HealthBand => {
  if (score === null) return 'none';
  if (score >= 70) return 'good';
  if (score >= 45) return 'watch';
  return 'poor';
};

/** Machine-style labels (`financial_services`, `csm_note`) read as words; anything else is left alone. */
export const humanize = (s: string | null | undefined): string => {
  if (!s) return '—';
  if (!/^[a-z0-9]+(_[a-z0-9]+)*$/.test(s)) return s;
  const words = s.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** Whole days from `iso` to `today` (positive when `iso` is in the past). */
export const daysSince = (iso: string, today: Date): number => {
  const d = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  const t = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.floor((t - d) / 86_400_000);
};
