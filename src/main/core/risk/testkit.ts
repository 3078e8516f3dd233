/** Hand-built records for the risk engine's tests (an in-memory portfolio and small insert helpers). */
import { Core } from '../core';
import { DAY_MS } from '../time';

export const T0 = new Date('2026-06-01T00:00:00.000Z');

/** ISO date `d` days before `at` (negative = after). */
export const daysAgo = (d: number, at: Date = T0): string =>
  new Date(at.getTime() - d * DAY_MS).toISOString().slice(0, 10);
export const tsAgo = (d: number, at: Date = T0): string =>
  new Date(at.getTime() - d * DAY_MS + 10 * 3_600_000).toISOString();

export const memoryCore = async (now: Date = T0): Promise<{ core: Core; setNow: (d: Date) => void }> => {
  let t = now;
  const core = await Core.open({ dbPath: null, now: () => t });
  return {
    core,
    setNow: (d: Date) => {
      t = d;
    },
  };
};

export interface AccountSpec {
  name?: string;
  segment?: 'enterprise' | 'mid_market' | 'smb';
  arr?: number;
  renewal?: string | null;
  contractStart?: string | null;
  strategic?: boolean;
  expansion?: 'none' | 'low' | 'medium' | 'high';
  tier?: string | null;
}

export const addAccount = (core: Core, a: AccountSpec = {}): number =>
  core.store.write(
    (tx) =>
      tx.run(
        `INSERT INTO accounts(name, segment, tier, arr, is_strategic, expansion_potential, contract_start, renewal_date, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
        [
          a.name ?? 'Acme Test Co',
          a.segment ?? 'enterprise',
          a.tier ?? null,
          a.arr ?? 300_000,
          a.strategic ? 1 : 0,
          a.expansion ?? 'low',
          a.contractStart === undefined ? daysAgo(700) : a.contractStart,
          a.renewal === undefined ? daysAgo(-200) : a.renewal,
          T0.toISOString(),
          T0.toISOString(),
        ],
      ).lastInsertRowid,
  );

/** Weekly usage periods: `weeks` periods ending before `at`, values from `fn(weeksAgo)` (1 = the last full week). */
export const addUsage = (
  core: Core,
  accountId: number,
  weeks: number,
  fn: (w: number) => { users: number; logins: number; key?: number; adopted?: number },
  at: Date = T0,
): number[] =>
  core.store.write((tx) => {
    const ids: number[] = [];
    for (let w = weeks; w >= 1; w--) {
      const v = fn(w);
      ids.push(
        tx.run(
          'INSERT INTO usage_periods(account_id, period_start, period_days, active_users, logins, key_feature_use, features_adopted) VALUES (?, ?, 7, ?, ?, ?, ?)',
          [accountId, daysAgo(w * 7, at), v.users, v.logins, v.key ?? v.logins, v.adopted ?? 10],
        ).lastInsertRowid,
      );
    }
    return ids;
  });

export const addTicket = (
  core: Core,
  accountId: number,
  dAgo: number,
  messages: {
    body: string;
    side?: 'customer' | 'agent';
    label?: 'positive' | 'neutral' | 'negative' | null;
  }[] = [],
): number =>
  core.store.write((tx) => {
    const at = tsAgo(dAgo);
    const id = tx.run(
      "INSERT INTO tickets(account_id, subject, status, created_at, updated_at) VALUES (?, 'Subject', 'open', ?, ?)",
      [accountId, at, at],
    ).lastInsertRowid;
    for (const m of messages) {
      tx.run(
        'INSERT INTO ticket_messages(ticket_id, side, body, created_at, sentiment_label) VALUES (?, ?, ?, ?, ?)',
        [id, m.side ?? 'customer', m.body, at, m.label ?? null],
      );
    }
    return id;
  });

export const addRow = (core: Core, sql: string, params: (string | number | null)[]): number =>
  core.store.write((tx) => tx.run(sql, params).lastInsertRowid);
