/**
 * A small team, an account and escalations for routing tests, on a real database (in memory or a file).
 * The routing schema (migration 005) is applied on top when the store does not have it yet.
 */
import { m005Routing } from '../../src/main/core/db/migrations/005_routing';
import type { PortfolioStore } from '../../src/main/core/db/store';
import type { RoutingCtx } from '../../src/main/core/routing/ctx';

/** Applies migration 005 when the store lacks it (before the lead registers it); files get a snapshot. */
export const ensureRoutingSchema = (store: PortfolioStore): void => {
  if (store.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'outbox'")) return;
  m005Routing.up(store.engine);
  store.compact();
};

export interface Clock {
  ctx: RoutingCtx;
  set(iso: string): void;
  advance(minutes: number): void;
  now(): Date;
}

export const clockFor = (store: PortfolioStore, startIso: string, bus?: RoutingCtx['bus']): Clock => {
  let t = Date.parse(startIso);
  const ctx: RoutingCtx = { store, now: () => new Date(t), ...(bus ? { bus } : {}) };
  return {
    ctx,
    set: (iso) => {
      t = Date.parse(iso);
    },
    advance: (minutes) => {
      t += minutes * 60_000;
    },
    now: () => new Date(t),
  };
};

export interface Team {
  vp: number;
  director: number;
  alex: number;
  blair: number;
  casey: number;
  drew: number;
  account: number;
}

const WEEKDAYS = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] };

export const seedTeam = (store: PortfolioStore): Team => {
  const now = '2026-01-01T00:00:00.000Z';
  return store.write((tx) => {
    const member = (
      name: string,
      role: string,
      skills: string[],
      capacity: number,
      timezone: string,
      managerId: number | null,
      email: string,
    ): number =>
      tx.run(
        `INSERT INTO team_members(name, email, role, skills, capacity, timezone, working_hours, manager_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [name, email, role, JSON.stringify(skills), capacity, timezone, JSON.stringify(WEEKDAYS), managerId],
      ).lastInsertRowid;
    const vp = member('Morgan Sample', 'cs_leader', [], 10, 'America/New_York', null, 'morgan@example.com');
    const director = member('Dana Sample', 'cs_leader', [], 10, 'America/New_York', vp, 'dana@example.com');
    const alex = member(
      'Alex Sample',
      'csm',
      ['product:analytics', 'industry:manufacturing', 'category:adoption', 'segment:enterprise'],
      5,
      'America/Chicago',
      director,
      'alex@example.com',
    );
    const blair = member(
      'Blair Sample',
      'csm',
      ['product:integrations'],
      3,
      'Europe/London',
      director,
      'blair@example.com',
    );
    const casey = member(
      'Casey Sample',
      'technical',
      ['product:analytics', 'category:outage'],
      4,
      'America/New_York',
      director,
      'casey@example.com',
    );
    const drew = member(
      'Drew Sample',
      'account_executive',
      [],
      10,
      'America/New_York',
      vp,
      'drew@example.com',
    );
    const account = tx.run(
      `INSERT INTO accounts(name, segment, industry, arr, owner_id, account_executive_id, renewal_date, created_at, updated_at)
       VALUES ('TechFlow Industries', 'enterprise', 'manufacturing', 380000, ?, ?, '2026-03-09', ?, ?)`,
      [blair, drew, now, now],
    ).lastInsertRowid;
    return { vp, director, alex, blair, casey, drew, account };
  });
};

export const insertEscalation = (
  store: PortfolioStore,
  e: {
    accountId: number;
    priority: 'critical' | 'high' | 'medium' | 'low';
    decidedAt: string;
    category?: string | null;
    productArea?: string | null;
    ownerId?: number | null;
    status?: string;
    summary?: string;
  },
): number =>
  store.write(
    (tx) =>
      tx.run(
        `INSERT INTO escalations(account_id, status, priority, category, product_area, summary, opened_at, decided_by, decided_at, owner_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'Morgan Sample', ?, ?)`,
        [
          e.accountId,
          e.status ?? 'open',
          e.priority,
          e.category ?? null,
          e.productArea ?? null,
          e.summary ??
            'Logins down 62% over 45 days. Champion left 3 weeks ago. Competitor evaluation mentioned.',
          e.decidedAt,
          e.decidedAt,
          e.ownerId ?? null,
        ],
      ).lastInsertRowid,
  );
