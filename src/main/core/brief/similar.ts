/**
 * Similar past cases: past escalations compared with the account now, by the cosine of their signal vectors
 * (each computed at the past escalation's opening date) and the cosine of TF-IDF vectors over the support
 * text of the 60 days before (ticket subjects, customer messages, the escalation's summary and category).
 */
import type { SimilarCase } from '../../../shared/brief-types';
import type { OutcomeKind } from '../../../shared/domain';
import type { PortfolioStore } from '../db/store';
import { addDays } from '../time';
import {
  computeSignals,
  SIGNAL_IDS,
  SIGNAL_LABELS,
  type Signal,
  type SignalOptions,
  signalVector,
} from './signals';

const STOP = new Set(
  "the and for are but not you your our was were has have had this that with from they them their there what when will would could should can about into been being just also very more some any all out its it's than then too onto over under again further once here why how who whom which while each few most other such only own same both nor off per via hi hello thanks thank regards please team dear best we us me my i a an of to in on at by is be as or if so do does did no yes get got one two".split(
    ' ',
  ),
);

export const tokenize = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9\s]/g, ' ')
    .split(/\s+/)
    .filter((t) => t.length >= 3 && !STOP.has(t) && !/^\d+$/.test(t));

export const cosine = (a: readonly number[], b: readonly number[]): number => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
};

const sparseCosine = (a: Map<string, number>, b: Map<string, number>): number => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of a) {
    na += v * v;
    const w = b.get(k);
    if (w !== undefined) dot += v * w;
  }
  for (const v of b.values()) nb += v * v;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
};

/** TF-IDF vectors for a set of documents (log-scaled term frequency, smoothed idf). */
export const tfidf = (docs: readonly string[][]): Map<string, number>[] => {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = docs.length;
  return docs.map((d) => {
    const tf = new Map<string, number>();
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v = new Map<string, number>();
    for (const [t, c] of tf) v.set(t, (1 + Math.log(c)) * Math.log((1 + n) / (1 + (df.get(t) ?? 0)) + 1));
    return v;
  });
};

/** The support text of an account in the 60 days before `at`. */
export const accountText = (store: PortfolioStore, accountId: number, at: Date): string => {
  const from = addDays(at, -60).toISOString();
  const subjects = store.all<{ subject: string; category: string | null; product_area: string | null }>(
    'SELECT subject, category, product_area FROM tickets WHERE account_id = ? AND created_at < ? AND created_at >= ?',
    [accountId, at.toISOString(), from],
  );
  const bodies = store.all<{ body: string }>(
    `SELECT m.body FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.account_id = ? AND m.side = 'customer'
     AND m.created_at < ? AND m.created_at >= ?`,
    [accountId, at.toISOString(), from],
  );
  return [
    ...subjects.flatMap((s) => [s.subject, s.category ?? '', s.product_area ?? '']),
    ...bodies.map((b) => b.body),
  ].join(' ');
};

export interface CaseQuery {
  accountId: number;
  at: Date;
  signals: Signal[];
  text: string;
  /** Exclude this escalation (the one the brief is about). */
  excludeEscalationId?: number | null;
}

interface PastEscalationRow {
  id: number;
  account_id: number;
  account_name: string;
  opened_at: string;
  category: string | null;
  summary: string | null;
  product_area: string | null;
  outcome: OutcomeKind | null;
  outcome_id: number | null;
  root_cause: string | null;
  strategies: string | null;
  arr_before: number | null;
  arr_after: number | null;
}

const parseStrategies = (s: string | null): string[] => {
  if (!s) return [];
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

export const SIGNAL_WEIGHT = 0.65;
export const TEXT_WEIGHT = 0.35;

/**
 * Ranks past escalations (opened before `at`, with a recorded outcome) by similarity to the query.
 * Returns every scored case, best first; callers take the top few.
 */
export const findSimilarCases = (
  store: PortfolioStore,
  q: CaseQuery,
  opts: SignalOptions = {},
): SimilarCase[] => {
  const past = store.all<PastEscalationRow>(
    `SELECT e.id, e.account_id, a.name AS account_name, e.opened_at, e.category, e.summary, e.product_area,
            o.outcome, o.id AS outcome_id, o.root_cause, o.strategies, o.arr_before, o.arr_after
     FROM escalations e JOIN accounts a ON a.id = e.account_id JOIN outcomes o ON o.escalation_id = e.id
     WHERE e.opened_at < ? AND e.id IS NOT ? ORDER BY e.opened_at, e.id`,
    [q.at.toISOString(), q.excludeEscalationId ?? null],
  );
  if (past.length === 0) return [];
  const pastSignals = past.map((p) => computeSignals(store, p.account_id, new Date(p.opened_at), opts));
  const pastDocs = past.map((p, i) =>
    tokenize(
      [
        accountText(store, p.account_id, new Date(p.opened_at)),
        p.summary ?? '',
        p.category ?? '',
        p.product_area ?? '',
        p.root_cause ?? '',
      ]
        .concat(pastSignals[i]!.map((s) => s.id))
        .join(' '),
    ),
  );
  const queryDoc = tokenize([q.text, ...q.signals.map((s) => s.id)].join(' '));
  const vecs = tfidf([...pastDocs, queryDoc]);
  const qv = vecs[vecs.length - 1]!;
  const qs = signalVector(q.signals);
  const cases = past.map<SimilarCase>((p, i) => {
    const sv = signalVector(pastSignals[i]!);
    const signalSimilarity = cosine(qs, sv);
    const textSimilarity = sparseCosine(qv, vecs[i]!);
    const shared = SIGNAL_IDS.filter((_id, k) => qs[k]! > 0 && sv[k]! > 0).map((id) =>
      SIGNAL_LABELS[id].toLowerCase(),
    );
    return {
      escalationId: p.id,
      accountId: p.account_id,
      accountName: p.account_name,
      openedAt: p.opened_at,
      category: p.category,
      summary: p.summary,
      similarity: Math.round((SIGNAL_WEIGHT * signalSimilarity + TEXT_WEIGHT * textSimilarity) * 1000) / 1000,
      signalSimilarity: Math.round(signalSimilarity * 1000) / 1000,
      textSimilarity: Math.round(textSimilarity * 1000) / 1000,
      outcome: p.outcome,
      rootCause: p.root_cause,
      strategies: parseStrategies(p.strategies),
      arrBefore: p.arr_before,
      arrAfter: p.arr_after,
      shared,
      citations: [`escalations:${p.id}`, ...(p.outcome_id ? [`outcomes:${p.outcome_id}`] : [])],
    };
  });
  return cases.sort((a, b) => b.similarity - a.similarity || a.escalationId - b.escalationId);
};
