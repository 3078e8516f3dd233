/**
 * Systemic issues: escalations across accounts clustered by root cause × product area, each described by the
 * terms that set its tickets apart (TF-IDF against all tickets). A cluster whose last three months hold at
 * least three escalations from at least three accounts and at least 1.5× the three months before is flagged
 * as growing: a product-feedback report rather than one account's problem.
 */
import type { SystemicCluster } from '../../../shared/insights-types';
import type { Core } from '../core';
import { DAY_MS } from '../time';

const STOP = new Set(
  'a an and are as at be been but by can could did do does for from had has have hi hello i if in into is it its just me my no not of on or our please so than that the their them then there these they this to too up us was we were what when which while who will with would you your again still also any all after before about being get got thanks thank team there here been some more very one two'.split(
    ' ',
  ),
);

const tokenize = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 2 && !STOP.has(w) && !/^\d+$/.test(w));

const monthOf = (iso: string) => iso.slice(0, 7);

const addMonths = (month: string, n: number): string => {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${yy}-${String(mm + 1).padStart(2, '0')}`;
};

export const systemicClusters = (core: Core, to: string, monthsBack = 12): SystemicCluster[] => {
  const store = core.store;
  const endMonth = monthOf(to);
  const startMonth = addMonths(endMonth, -(monthsBack - 1));
  const esc = store.all<{
    id: number;
    account_id: number;
    name: string;
    arr: number;
    opened_at: string;
    product_area: string | null;
    category: string | null;
    root_cause: string | null;
  }>(
    `SELECT e.id, e.account_id, a.name, a.arr, e.opened_at, e.product_area, e.category, o.root_cause
     FROM escalations e JOIN accounts a ON a.id = e.account_id LEFT JOIN outcomes o ON o.escalation_id = e.id
     WHERE substr(e.opened_at, 1, 7) >= ? AND substr(e.opened_at, 1, 7) <= ? ORDER BY e.opened_at`,
    [startMonth, endMonth],
  );

  // Tickets in the 60 days before each escalation: their product area (when the escalation has none) and text.
  const ticketsFor = (accountId: number, openedAt: string) =>
    store.all<{ id: number; product_area: string | null; text: string }>(
      `SELECT t.id, t.product_area, t.subject || ' ' || coalesce((SELECT group_concat(m.body, ' ') FROM ticket_messages m
          WHERE m.ticket_id = t.id AND m.side = 'customer'), '') AS text
       FROM tickets t WHERE t.account_id = ? AND t.created_at >= ? AND t.created_at <= ?`,
      [accountId, new Date(Date.parse(openedAt) - 60 * DAY_MS).toISOString(), openedAt],
    );

  // Document frequency over all tickets in the window, for TF-IDF.
  const df = new Map<string, number>();
  let docs = 0;
  for (const t of store.all<{ text: string }>(
    `SELECT t.subject || ' ' || coalesce((SELECT group_concat(m.body, ' ') FROM ticket_messages m WHERE m.ticket_id = t.id AND m.side = 'customer'), '') AS text
     FROM tickets t WHERE substr(t.created_at, 1, 7) >= ?`,
    [startMonth],
  )) {
    docs++;
    for (const w of new Set(tokenize(t.text))) df.set(w, (df.get(w) ?? 0) + 1);
  }

  interface Acc {
    rootCause: string | null;
    productArea: string | null;
    esc: typeof esc;
    tickets: Set<number>;
    tf: Map<string, number>;
  }
  const clusters = new Map<string, Acc>();
  for (const e of esc) {
    const tickets = ticketsFor(e.account_id, e.opened_at);
    let area = e.product_area;
    if (!area) {
      const c = new Map<string, number>();
      for (const t of tickets) if (t.product_area) c.set(t.product_area, (c.get(t.product_area) ?? 0) + 1);
      area = [...c.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
    }
    const root = e.root_cause ?? e.category;
    const key = `${root ?? 'unknown'} · ${area ?? 'no product area'}`;
    const acc: Acc = clusters.get(key) ?? {
      rootCause: root,
      productArea: area,
      esc: [],
      tickets: new Set(),
      tf: new Map(),
    };
    acc.esc.push(e);
    for (const t of tickets) {
      if (area && t.product_area && t.product_area !== area) continue;
      acc.tickets.add(t.id);
      for (const w of tokenize(t.text)) acc.tf.set(w, (acc.tf.get(w) ?? 0) + 1);
    }
    clusters.set(key, acc);
  }

  const recentStart = addMonths(endMonth, -2);
  const prevStart = addMonths(endMonth, -5);
  const months = Array.from({ length: monthsBack }, (_, i) => addMonths(startMonth, i));
  return [...clusters.entries()]
    .map(([key, c]) => {
      const monthly = months.map((m) => ({
        month: m,
        count: c.esc.filter((e) => monthOf(e.opened_at) === m).length,
      }));
      const recentEsc = c.esc.filter((e) => monthOf(e.opened_at) >= recentStart);
      const recent = recentEsc.length;
      const previous = c.esc.filter(
        (e) => monthOf(e.opened_at) >= prevStart && monthOf(e.opened_at) < recentStart,
      ).length;
      const accounts = new Map<number, { id: number; name: string; arr: number }>();
      for (const e of c.esc) accounts.set(e.account_id, { id: e.account_id, name: e.name, arr: e.arr });
      const recentAccounts = new Set(recentEsc.map((e) => e.account_id)).size;
      const topTerms = [...c.tf.entries()]
        .map(([w, n]) => [w, n * Math.log((docs + 1) / ((df.get(w) ?? 0) + 1))] as const)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 8)
        .map(([w]) => w);
      return {
        key,
        rootCause: c.rootCause,
        productArea: c.productArea,
        topTerms,
        escalations: c.esc.length,
        accounts: [...accounts.values()].sort((a, b) => b.arr - a.arr),
        arrAffected: [...accounts.values()].reduce((s, a) => s + a.arr, 0),
        monthly,
        recent,
        previous,
        growing: recent >= 3 && recentAccounts >= 3 && recent >= 1.5 * Math.max(previous, 1),
        escalationIds: c.esc.map((e) => e.id),
        ticketIds: [...c.tickets].sort((a, b) => a - b),
      };
    })
    .sort(
      (a, b) => Number(b.growing) - Number(a.growing) || b.recent - a.recent || b.escalations - a.escalations,
    );
};
