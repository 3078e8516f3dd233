/** Small, deterministic formatting helpers shared by the brief, the plan and the renderers. */
import type { BriefItem, Citation } from '../../../shared/brief-types';

export const money = (n: number | null | undefined): string => {
  if (n === null || n === undefined) return 'n/a';
  const a = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (a >= 1_000_000)
    return `${sign}$${(a / 1_000_000).toFixed(a >= 10_000_000 ? 0 : 1).replace(/\.0$/, '')}M`;
  if (a >= 1_000) return `${sign}$${Math.round(a / 1_000)}K`;
  return `${sign}$${Math.round(a)}`;
};

export const day = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : 'n/a');

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export const fact = (text: string, citations: Citation[], emphasis?: boolean): BriefItem => ({
  text,
  citations: [...new Set(citations)],
  ...(emphasis ? { emphasis: true } : {}),
});

export const empty = (text: string): BriefItem => ({ text, citations: [], kind: 'empty' });
export const note = (text: string, citations: Citation[] = []): BriefItem => ({
  text,
  citations,
  kind: 'note',
});

export const humanize = (id: string): string => {
  const s = id.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

export const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1).trimEnd()}…`);

const ROLE_LABELS: Record<string, string> = {
  csm: 'CSM',
  technical: 'Technical lead',
  cs_leader: 'CS leader',
  executive: 'Executive',
  account_executive: 'Account executive',
};

export const roleLabel = (role: string | null | undefined): string =>
  role ? (ROLE_LABELS[role] ?? humanize(role)) : '';
