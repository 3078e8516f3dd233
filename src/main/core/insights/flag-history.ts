/**
 * Flag history for the demo portfolio: replays the enabled rules over the stored history as if Bellwether had
 * been running all along, and records the human decisions a team would have made on each flag.
 *
 * - Weekly evaluation points (by default the last 24 months up to now), with the signals as they were then;
 *   each rule's scope and cooldown respected, one open flag per account and rule, accounts with an escalation
 *   open at that point skipped (the same rules the risk engine applies on a rescore).
 * - A flag followed by an escalation of the account within `horizonDays` is 'confirmed' into it (decided by
 *   whoever decided the escalation, when it was decided).
 * - Otherwise it is 'dismissed' by a CS leader a few days later with a deterministic, plausible reason;
 *   flags raised in the last `openDays` days with no escalation yet stay 'open' (they are the queue).
 *
 * Flags already in the table (e.g. raised by a rescore) are respected: no second open flag for the same
 * account and rule, and their cooldown applies. Running it twice does nothing the second time.
 */
import type { Priority } from '../../../shared/domain';
import type { AccountSignals, RuleRow } from '../../../shared/risk-types';
import type { Core } from '../core';
import { loadConfig } from '../risk/config';
import { computePriority } from '../risk/priority';
import { enabledRules, ensureDefaultRules, ruleMatches, ruleSignals } from '../risk/rules';
import { scoreSignals } from '../risk/scoring';
import { computeSignalsBatch } from '../risk/signals';
import { DAY_MS } from '../time';

export interface FlagHistoryOptions {
  /** First evaluation point (default: `to` minus 730 days). */
  from?: string | Date;
  /** Last evaluation point (default: now). */
  to?: string | Date;
  stepDays?: number;
  /** A flag followed by an escalation within this many days is confirmed into it (default 60). */
  horizonDays?: number;
  /** Undecided flags younger than this stay open (default 14). */
  openDays?: number;
}

export interface FlagHistorySummary {
  evaluations: number;
  flags: number;
  confirmed: number;
  dismissed: number;
  open: number;
  byRule: {
    ruleId: number;
    key: string;
    flags: number;
    confirmed: number;
    dismissed: number;
    open: number;
  }[];
  ms: number;
}

/** Reasons a CS leader gives when dismissing a flag, with the signal families they fit. */
export const DISMISS_REASONS: { reason: string; fits: RegExp }[] = [
  { reason: 'Known seasonal dip', fits: /usage|login|risk_score/ },
  { reason: 'Already handled by the CSM', fits: /./ },
  { reason: 'Data issue: usage connector gap', fits: /usage|login|risk_score/ },
  { reason: 'Tickets were a one-off incident, resolved', fits: /ticket|sentiment|risk_score/ },
  { reason: 'Customer confirmed renewal intent on last call', fits: /./ },
  { reason: 'Planned migration, usage expected to return', fits: /usage|login|risk_score/ },
];

const META_KEY = 'flag_history_seeded';

/** A small deterministic hash (FNV-1a) so reasons and deciders do not depend on run order. */
const hash = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
};

const toDate = (d: string | Date): Date =>
  typeof d === 'string' ? new Date(d.length === 10 ? `${d}T00:00:00.000Z` : d) : d;

interface Pending {
  accountId: number;
  rule: RuleRow;
  t: number;
  score: number;
  priority: Priority;
  evidence: string[];
  status: 'confirmed' | 'dismissed' | 'open';
  decidedBy: string | null;
  decidedAt: number | null;
  reason: string | null;
  escalationId: number | null;
}

export const seedFlagHistory = (core: Core, opts: FlagHistoryOptions = {}): FlagHistorySummary => {
  const t0 = performance.now();
  const store = core.store;
  const now = core.now();
  const empty: FlagHistorySummary = {
    evaluations: 0,
    flags: 0,
    confirmed: 0,
    dismissed: 0,
    open: 0,
    byRule: [],
    ms: 0,
  };
  if (store.get('SELECT 1 AS x FROM meta WHERE key = ?', [META_KEY])) return empty;
  ensureDefaultRules(store, now.toISOString());
  const rules = enabledRules(store);
  const config = loadConfig(store);
  const to = toDate(opts.to ?? now);
  const from = toDate(opts.from ?? new Date(to.getTime() - 730 * DAY_MS));
  const step = (opts.stepDays ?? 7) * DAY_MS;
  const horizon = (opts.horizonDays ?? 60) * DAY_MS;
  const openMs = (opts.openDays ?? 14) * DAY_MS;
  const needsScore = rules.some((r) => ruleSignals(r.definition).includes('risk_score'));

  const escalations = store.all<{
    id: number;
    account_id: number;
    opened_at: string;
    decided_by: string | null;
    decided_at: string | null;
  }>('SELECT id, account_id, opened_at, decided_by, decided_at FROM escalations ORDER BY opened_at, id');
  const escByAccount = new Map<number, typeof escalations>();
  for (const e of escalations) escByAccount.set(e.account_id, [...(escByAccount.get(e.account_id) ?? []), e]);
  const leaders = store
    .all<{ name: string }>(
      "SELECT name FROM team_members WHERE role = 'cs_leader' AND active = 1 ORDER BY id",
    )
    .map((r) => r.name);
  if (leaders.length === 0) leaders.push('CS leadership');

  // State per account+rule: until when a flag stays open, and the last raise/decision (for the cooldown).
  const state = new Map<string, { openUntil: number; last: number }>();
  for (const f of store.all<{
    account_id: number;
    rule_id: number;
    raised_at: string;
    status: string;
    decided_at: string | null;
  }>('SELECT account_id, rule_id, raised_at, status, decided_at FROM risk_flags')) {
    const k = `${f.account_id}:${f.rule_id}`;
    const raised = Date.parse(f.raised_at);
    const decided = f.decided_at ? Date.parse(f.decided_at) : null;
    const s = state.get(k) ?? { openUntil: 0, last: 0 };
    // An undecided existing flag blocks from when it was raised onwards.
    s.openUntil = Math.max(s.openUntil, decided ?? Number.POSITIVE_INFINITY);
    s.last = Math.max(s.last, raised, decided ?? 0);
    state.set(k, s);
  }
  const existingFirst = new Map<string, number>();
  for (const f of store.all<{ account_id: number; rule_id: number; first: string }>(
    'SELECT account_id, rule_id, min(raised_at) AS first FROM risk_flags GROUP BY account_id, rule_id',
  ))
    existingFirst.set(`${f.account_id}:${f.rule_id}`, Date.parse(f.first));

  const flags: Pending[] = [];
  let evaluations = 0;
  for (let t = from.getTime(); t <= to.getTime(); t += step) {
    evaluations++;
    const at = new Date(t);
    const signals = computeSignalsBatch(store, at, config, { includeChurned: true });
    const raisedHere: { accountId: number; rule: RuleRow; s: AccountSignals; score: number }[] = [];
    for (const [id, s] of signals) {
      if (s.values.open_escalation === 1) continue;
      let score: number | null = null;
      for (const rule of rules) {
        const k = `${id}:${rule.id}`;
        const st = state.get(k);
        const first = existingFirst.get(k);
        // Existing flags (raised by the engine) are later than the replay: do not seed around them.
        if (first !== undefined && t >= first) continue;
        if (st && t < st.openUntil) continue;
        if (st && st.last > 0 && t - st.last < Math.max(rule.definition.cooldownDays, 1) * DAY_MS) continue;
        if (score === null) score = needsScore ? scoreSignals({ signals: s, config }).score : 0;
        const values = needsScore ? { ...s.values, risk_score: score } : s.values;
        if (!ruleMatches(rule.definition, s.account, values)) continue;
        raisedHere.push({ accountId: id, rule, s, score });
        // Decide what happened to it.
        const next = (escByAccount.get(id) ?? []).find((e) => {
          const o = Date.parse(e.opened_at);
          return o >= t && o <= t + horizon;
        });
        const h = hash(`${id}:${rule.key}:${at.toISOString().slice(0, 10)}`);
        let p: Pending;
        const base = {
          accountId: id,
          rule,
          t,
          score: Math.round(score * 10) / 10,
          priority: computePriority(
            { score, account: s.account, daysToRenewal: s.values.days_to_renewal ?? null },
            config.priority,
          ).priority,
          evidence: [],
        };
        if (next) {
          const decidedAt = Date.parse(next.decided_at ?? next.opened_at);
          p = {
            ...base,
            status: 'confirmed',
            decidedBy: next.decided_by ?? leaders[h % leaders.length]!,
            decidedAt: Math.max(decidedAt, t),
            reason: null,
            escalationId: next.id,
          };
        } else if (t > now.getTime() - openMs) {
          p = { ...base, status: 'open', decidedBy: null, decidedAt: null, reason: null, escalationId: null };
        } else {
          const sigs = ruleSignals(rule.definition).join(' ');
          const fitting = DISMISS_REASONS.filter((r) => r.fits.test(sigs));
          const reason = (fitting.length > 0 ? fitting : DISMISS_REASONS)[
            (h >>> 3) % (fitting.length || DISMISS_REASONS.length)
          ]!;
          p = {
            ...base,
            status: 'dismissed',
            decidedBy: leaders[h % leaders.length]!,
            decidedAt: t + (1 + (h % 5)) * DAY_MS + ((h >>> 8) % 8) * 3_600_000,
            reason: reason.reason,
            escalationId: null,
          };
        }
        flags.push(p);
        state.set(k, {
          openUntil: p.decidedAt ?? Number.POSITIVE_INFINITY,
          last: Math.max(t, p.decidedAt ?? t),
        });
      }
    }
    // Evidence for the flags raised at this point (the records behind the signals each rule reads).
    if (raisedHere.length > 0) {
      const ev = computeSignalsBatch(store, at, config, {
        accountIds: [...new Set(raisedHere.map((r) => r.accountId))],
        includeChurned: true,
        evidence: true,
      });
      const tail = flags.slice(flags.length - raisedHere.length);
      raisedHere.forEach((r, i) => {
        const s = ev.get(r.accountId);
        const refs = s
          ? [...new Set(ruleSignals(r.rule.definition).flatMap((k) => s.evidence[k] ?? []))]
          : [];
        tail[i]!.evidence = refs.slice(0, 50);
      });
    }
  }

  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  store.bulk((tx) => {
    if (flags.length > 0) {
      const rows = flags.map((f) => [
        f.accountId,
        f.rule.id,
        f.rule.version,
        iso(f.t),
        f.status,
        f.score,
        f.priority,
        JSON.stringify(f.evidence),
        f.decidedBy,
        iso(f.decidedAt),
        f.reason,
        f.escalationId,
      ]);
      tx.run(
        `INSERT INTO risk_flags(account_id, rule_id, rule_version, raised_at, status, score, priority, evidence, decided_by, decided_at, dismiss_reason, escalation_id)
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8,
                value ->> 9, value ->> 10, value ->> 11 FROM json_each(?)`,
        [JSON.stringify(rows)],
      );
    }
    tx.run(
      'INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      [META_KEY, now.toISOString()],
    );
  });
  core.bus.emit('data.changed', { entities: ['risk_flags'] });

  const count = (xs: Pending[], s: Pending['status']) => xs.filter((f) => f.status === s).length;
  return {
    evaluations,
    flags: flags.length,
    confirmed: count(flags, 'confirmed'),
    dismissed: count(flags, 'dismissed'),
    open: count(flags, 'open'),
    byRule: rules.map((r) => {
      const fs = flags.filter((f) => f.rule.id === r.id);
      return {
        ruleId: r.id,
        key: r.key,
        flags: fs.length,
        confirmed: count(fs, 'confirmed'),
        dismissed: count(fs, 'dismissed'),
        open: count(fs, 'open'),
      };
    }),
    ms: Math.round(performance.now() - t0),
  };
};
