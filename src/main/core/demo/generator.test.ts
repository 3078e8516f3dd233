import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { PortfolioStore } from '../db/store';
import { DEMO_COMPETITORS, generateDemo, TECHFLOW_COMPETITOR, TECHFLOW_NAME } from './generator';

const AS_OF = '2026-12-03';
const DAY = 86_400_000;
const daysBefore = (asOf: string, days: number): string =>
  new Date(Date.parse(`${asOf}T00:00:00Z`) - days * DAY).toISOString().slice(0, 10);
const daysAfter = (asOf: string, days: number): string => daysBefore(asOf, -days);

const TABLES = [
  'meta',
  'team_members',
  'accounts',
  'contacts',
  'tickets',
  'ticket_messages',
  'usage_periods',
  'health_scores',
  'nps_responses',
  'engagements',
  'escalations',
  'escalation_events',
  'outcomes',
  'action_plans',
];

/** A hash of every row of every portfolio table (schema_migrations records wall-clock time; not ours). */
const hashAll = (store: PortfolioStore): string => {
  const h = createHash('sha256');
  for (const t of TABLES) {
    h.update(`#${t}\n`);
    for (const row of store.all<Record<string, unknown>>(`SELECT * FROM ${t} ORDER BY rowid`))
      h.update(`${JSON.stringify(row)}\n`);
  }
  return h.digest('hex');
};

const make = async (seed: number, asOf = AS_OF, accounts = 320): Promise<PortfolioStore> => {
  const store = await PortfolioStore.memory();
  generateDemo(store, { seed, accounts, asOf });
  return store;
};

describe('demo generator', () => {
  let store: PortfolioStore;
  beforeAll(async () => {
    store = await make(42);
  });

  it('is deterministic: same seed and asOf give identical rows; another seed differs', async () => {
    const again = await make(42);
    const other = await make(43);
    const h = hashAll(store);
    expect(hashAll(again)).toBe(h);
    expect(hashAll(other)).not.toBe(h);
    again.close();
    other.close();
  });

  it('labels the portfolio as demo in meta, with dates derived from asOf', () => {
    const meta = Object.fromEntries(
      store.all<{ key: string; value: string }>('SELECT key, value FROM meta').map((r) => [r.key, r.value]),
    );
    expect(meta.portfolio_kind).toBe('demo');
    expect(meta.as_of).toBe(AS_OF);
    expect(meta.demo_seed).toBe('42');
    expect(meta.created_at?.startsWith(AS_OF)).toBe(true);
  });

  it('scales ticket volume with messagesPerAccountScale', async () => {
    const count = async (scale: number) => {
      const s = await PortfolioStore.memory();
      generateDemo(s, { seed: 5, accounts: 80, asOf: AS_OF, messagesPerAccountScale: scale });
      const n = s.get<{ n: number }>('SELECT count(*) AS n FROM ticket_messages')!.n;
      s.close();
      return n;
    };
    const one = await count(1);
    const two = await count(2);
    expect(two / one).toBeGreaterThan(1.6);
    expect(two / one).toBeLessThan(2.4);
  });

  it('refuses a portfolio that already has accounts, and a malformed asOf', async () => {
    expect(() => generateDemo(store, { seed: 1, accounts: 10, asOf: AS_OF })).toThrow(/empty/);
    const fresh = await PortfolioStore.memory();
    expect(() => generateDemo(fresh, { seed: 1, accounts: 10, asOf: '03/12/2026' })).toThrow(/asOf/);
    fresh.close();
  });

  describe('TechFlow Industries, the seed worked example', () => {
    for (const asOf of [AS_OF, '2025-03-15']) {
      it(`holds every stated fact (asOf ${asOf}, seed ${asOf === AS_OF ? 42 : 7})`, async () => {
        const s = asOf === AS_OF ? store : await make(7, asOf);
        const acct = s.get<{
          id: number;
          segment: string;
          arr: number;
          renewal_date: string;
          status: string;
        }>('SELECT id, segment, arr, renewal_date, status FROM accounts WHERE name = ?', [TECHFLOW_NAME])!;
        expect(acct).toBeDefined();
        expect(acct.segment).toBe('enterprise');
        expect(acct.arr).toBe(380_000);
        expect(acct.status).toBe('active');
        expect(acct.renewal_date).toBe(daysAfter(asOf, 67));

        // logins: periods starting in the last 45 days vs the 45 days before, down 62% (+-2)
        const sumLogins = (from: string, to: string) =>
          s.get<{ n: number }>(
            'SELECT sum(logins) AS n FROM usage_periods WHERE account_id = ? AND period_start >= ? AND period_start < ?',
            [acct.id, from, to],
          )!.n;
        const recent = sumLogins(daysBefore(asOf, 45), asOf);
        const prior = sumLogins(daysBefore(asOf, 90), daysBefore(asOf, 45));
        const change = (recent - prior) / prior;
        expect(change).toBeGreaterThan(-0.64);
        expect(change).toBeLessThan(-0.6);
        const users = s.all<{ active_users: number }>(
          'SELECT active_users FROM usage_periods WHERE account_id = ? ORDER BY period_start DESC LIMIT 6',
          [acct.id],
        );
        expect(users[0]!.active_users).toBeLessThan(users[5]!.active_users);
        // 24 months of weekly usage
        const weeks = s.get<{ n: number }>('SELECT count(*) AS n FROM usage_periods WHERE account_id = ?', [
          acct.id,
        ])!.n;
        expect(weeks).toBeGreaterThanOrEqual(104);

        // 4 tickets in the last 14 days; before that about one a month
        const recentTickets = s.all<{ id: number; created_at: string }>(
          'SELECT id, created_at FROM tickets WHERE account_id = ? AND created_at >= ? ORDER BY created_at',
          [acct.id, daysBefore(asOf, 14)],
        );
        expect(recentTickets).toHaveLength(4);
        const priorTickets = s.get<{ n: number }>(
          'SELECT count(*) AS n FROM tickets WHERE account_id = ? AND created_at >= ? AND created_at < ?',
          [acct.id, daysBefore(asOf, 14 + 180), daysBefore(asOf, 14)],
        )!.n;
        expect(priorTickets).toBeGreaterThanOrEqual(5);
        expect(priorTickets).toBeLessThanOrEqual(7);
        const between = s.get<{ n: number }>(
          'SELECT count(*) AS n FROM tickets WHERE account_id = ? AND created_at >= ? AND created_at < ?',
          [acct.id, daysBefore(asOf, 30), daysBefore(asOf, 14)],
        )!.n;
        expect(between).toBe(0);

        // the latest ticket: frustrated, mentions a competitor evaluation
        const latest = recentTickets[recentTickets.length - 1]!;
        const body = s.get<{ body: string }>(
          "SELECT body FROM ticket_messages WHERE ticket_id = ? AND side = 'customer' ORDER BY created_at LIMIT 1",
          [latest.id],
        )!.body;
        expect(body).toMatch(/frustrated/i);
        expect(body).toMatch(/evaluating alternatives/i);
        expect(body).toContain(TECHFLOW_COMPETITOR);
        expect(DEMO_COMPETITORS).toContain(TECHFLOW_COMPETITOR);

        // champion (VP Operations) left 21 days ago; no other champion now
        const champs = s.all<{ title: string; status: string; departed_at: string | null }>(
          'SELECT title, status, departed_at FROM contacts WHERE account_id = ? AND is_champion = 1',
          [acct.id],
        );
        expect(champs).toEqual([
          { title: 'VP Operations', status: 'departed', departed_at: daysBefore(asOf, 21) },
        ]);
        const sponsors = s.get<{ n: number }>(
          "SELECT count(*) AS n FROM contacts WHERE account_id = ? AND is_exec_sponsor = 1 AND status = 'active'",
          [acct.id],
        )!.n;
        expect(sponsors).toBe(1);

        // no executive engagement in 90 days; the last one about 120 days ago
        const lastExec = s.get<{ at: string | null }>(
          'SELECT max(occurred_at) AS at FROM engagements WHERE account_id = ? AND is_executive = 1',
          [acct.id],
        )!.at!;
        expect(lastExec < daysBefore(asOf, 90)).toBe(true);
        expect(lastExec.slice(0, 10)).toBe(daysBefore(asOf, 120));

        // health 78 about two months ago -> 43 at the latest (within the last week)
        const health = s.all<{ scored_at: string; score: number }>(
          'SELECT scored_at, score FROM health_scores WHERE account_id = ? ORDER BY scored_at DESC LIMIT 3',
          [acct.id],
        );
        expect(health[0]!.score).toBe(43);
        expect(health[0]!.scored_at >= daysBefore(asOf, 7)).toBe(true);
        expect(health[2]!.score).toBe(78);
        expect(health[2]!.scored_at.slice(0, 10)).toBe(daysBefore(asOf, 62));
        const max90 = s.get<{ m: number }>(
          'SELECT max(score) AS m FROM health_scores WHERE account_id = ? AND scored_at >= ?',
          [acct.id, daysBefore(asOf, 90)],
        )!.m;
        expect(max90).toBe(78);

        // no escalation yet: the flag is for a leader to confirm
        const esc = s.get<{ n: number }>('SELECT count(*) AS n FROM escalations WHERE account_id = ?', [
          acct.id,
        ])!.n;
        expect(esc).toBe(0);
        if (s !== store) s.close();
      });
    }
  });

  it('has a believable portfolio: size, segments, ARR range, names, people', () => {
    const segs = Object.fromEntries(
      store
        .all<{ segment: string; n: number; lo: number; hi: number }>(
          'SELECT segment, count(*) AS n, min(arr) AS lo, max(arr) AS hi FROM accounts GROUP BY segment',
        )
        .map((r) => [r.segment, r]),
    );
    expect(segs.enterprise!.n + segs.mid_market!.n + segs.smb!.n).toBe(320);
    expect(segs.enterprise!.n).toBeGreaterThan(35);
    expect(segs.mid_market!.n).toBeGreaterThan(80);
    expect(segs.smb!.n).toBeGreaterThan(100);
    const all = store.get<{ lo: number; hi: number }>('SELECT min(arr) AS lo, max(arr) AS hi FROM accounts')!;
    expect(all.lo).toBeGreaterThanOrEqual(9_000);
    expect(all.lo).toBeLessThan(15_000);
    expect(all.hi).toBeLessThanOrEqual(1_500_000);
    expect(all.hi).toBeGreaterThan(1_000_000);
    const medEnt = store.all<{ arr: number }>(
      "SELECT arr FROM accounts WHERE segment = 'enterprise' ORDER BY arr",
    )[Math.floor(segs.enterprise!.n / 2)]!.arr;
    expect(medEnt).toBeGreaterThan(250_000);
    const dupNames = store.get<{ n: number }>('SELECT count(*) - count(DISTINCT name) AS n FROM accounts')!.n;
    expect(dupNames).toBe(0);
    // renewals spread over the next 12 months for active accounts; past for churned
    const r = store.get<{ lo: string; hi: string }>(
      "SELECT min(renewal_date) AS lo, max(renewal_date) AS hi FROM accounts WHERE status = 'active'",
    )!;
    expect(r.lo > AS_OF).toBe(true);
    expect(r.hi <= daysAfter(AS_OF, 366)).toBe(true);
    const churned = store.all<{ renewal_date: string }>(
      "SELECT renewal_date FROM accounts WHERE status = 'churned'",
    );
    expect(churned.length).toBeGreaterThan(3);
    for (const c of churned) expect(c.renewal_date < AS_OF).toBe(true);
    // contacts 5-12 per account, with champions, sponsors and departures; emails on example domains
    const perAcct = store.get<{ lo: number; hi: number }>(
      'SELECT min(n) AS lo, max(n) AS hi FROM (SELECT count(*) AS n FROM contacts GROUP BY account_id)',
    )!;
    expect(perAcct.lo).toBeGreaterThanOrEqual(5);
    expect(perAcct.hi).toBeLessThanOrEqual(14);
    const badEmail = store.get<{ n: number }>(
      "SELECT count(*) AS n FROM contacts WHERE email NOT LIKE '%.example.com' AND email NOT LIKE '%@example.com' AND email NOT LIKE '%@example.org'",
    )!.n;
    expect(badEmail).toBe(0);
    expect(
      store.get<{ n: number }>("SELECT count(*) AS n FROM contacts WHERE status = 'departed'")!.n,
    ).toBeGreaterThan(50);
    // 24 months of weekly usage
    const span = store.get<{ lo: string; hi: string }>(
      'SELECT min(period_start) AS lo, max(period_start) AS hi FROM usage_periods',
    )!;
    expect(span.lo).toBe(daysBefore(AS_OF, 7 * 104));
    expect(span.hi).toBe(daysBefore(AS_OF, 7));
    // nothing dated after asOf (except renewals and out-of-office plans)
    for (const [t, c] of [
      ['tickets', 'created_at'],
      ['ticket_messages', 'created_at'],
      ['engagements', 'occurred_at'],
      ['nps_responses', 'responded_at'],
      ['health_scores', 'scored_at'],
      ['escalations', 'opened_at'],
      ['escalation_events', 'occurred_at'],
    ] as const) {
      expect(store.get<{ m: string }>(`SELECT max(${c}) AS m FROM ${t}`)!.m < AS_OF).toBe(true);
    }
  });

  it('has a team of twelve with the expected roles, skills and availability', () => {
    const team = store.all<{
      id: number;
      role: string;
      skills: string;
      timezone: string;
      out_of_office: string;
      manager_id: number | null;
    }>('SELECT id, role, skills, timezone, out_of_office, manager_id FROM team_members');
    expect(team).toHaveLength(12);
    const roles: Record<string, number> = {};
    for (const t of team) roles[t.role] = (roles[t.role] ?? 0) + 1;
    expect(roles).toEqual({ csm: 6, technical: 2, cs_leader: 2, account_executive: 2 });
    const leaders = team.filter((t) => t.role === 'cs_leader');
    const vp = leaders.find((t) => t.manager_id === null)!;
    expect(leaders.find((t) => t.manager_id === vp.id)).toBeDefined();
    for (const t of team) {
      expect(Array.isArray(JSON.parse(t.skills))).toBe(true);
      expect(t.timezone).toMatch(/^[A-Z][a-z]+\/[A-Za-z_]+$/);
    }
    const oooNow = team.filter((t) =>
      (JSON.parse(t.out_of_office) as { from: string; to: string }[]).some(
        (r) => r.from <= AS_OF && r.to >= AS_OF,
      ),
    );
    expect(oooNow).toHaveLength(1);
  });

  it('has at least 60 historical escalations with outcomes, timelines and decisions', () => {
    const hist = store.all<{
      id: number;
      status: string;
      opened_at: string;
      decided_by: string | null;
      owner_id: number | null;
    }>(
      "SELECT id, status, opened_at, decided_by, owner_id FROM escalations WHERE status IN ('resolved', 'closed')",
    );
    expect(hist.length).toBeGreaterThanOrEqual(60);
    for (const e of hist) {
      expect(e.opened_at >= daysBefore(AS_OF, 700)).toBe(true);
      expect(e.opened_at < daysBefore(AS_OF, 29)).toBe(true);
      expect(e.decided_by).toBeTruthy();
      expect(e.owner_id).toBeTruthy();
    }
    const withOutcome = store.get<{ n: number }>(
      "SELECT count(*) AS n FROM escalations e JOIN outcomes o ON o.escalation_id = e.id WHERE e.status IN ('resolved','closed')",
    )!.n;
    expect(withOutcome).toBe(hist.length);
    const outcomes = Object.fromEntries(
      store
        .all<{ outcome: string; n: number }>('SELECT outcome, count(*) AS n FROM outcomes GROUP BY outcome')
        .map((r) => [r.outcome, r.n]),
    );
    expect(outcomes.saved).toBeGreaterThan(15);
    expect(outcomes.churned).toBeGreaterThan(3);
    expect(outcomes.downgraded).toBeGreaterThan(3);
    const kinds = store
      .all<{ kind: string }>('SELECT DISTINCT kind FROM escalation_events ORDER BY kind')
      .map((r) => r.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['opened', 'confirmed', 'acknowledged', 'note', 'resolved']),
    );
    for (const o of store.all<{ strategies: string; root_cause: string }>(
      'SELECT strategies, root_cause FROM outcomes',
    )) {
      expect((JSON.parse(o.strategies) as string[]).length).toBeGreaterThan(0);
      expect(o.root_cause).toMatch(
        /^(product_defect|performance_outage|billing|onboarding_gap|missing_feature|relationship_champion|competitive)$/,
      );
    }
    // some are open right now, and a queue of at-risk accounts exists (tested through signals below)
    expect(
      store.get<{ n: number }>(
        "SELECT count(*) AS n FROM escalations WHERE status NOT IN ('resolved','closed')",
      )!.n,
    ).toBeGreaterThan(0);
  });

  it('ticket threads read like support conversations, with variety and no sentiment pre-labels', () => {
    const msgs = store.get<{ n: number; d: number; c: number; a: number }>(
      "SELECT count(*) AS n, count(DISTINCT body) AS d, sum(side = 'customer') AS c, sum(side = 'agent') AS a FROM ticket_messages",
    )!;
    expect(msgs.n).toBeGreaterThan(10_000);
    expect(msgs.c).toBeGreaterThan(0);
    expect(msgs.a).toBeGreaterThan(0);
    expect(msgs.d / msgs.n).toBeGreaterThan(0.3);
    expect(
      store.get<{ n: number }>('SELECT count(*) AS n FROM ticket_messages WHERE sentiment_label IS NOT NULL')!
        .n,
    ).toBe(0);
    const has = (like: string) =>
      store.get<{ n: number }>('SELECT count(*) AS n FROM ticket_messages WHERE body LIKE ?', [like])!.n;
    expect(has('%on hold for % minutes and nobody answered%')).toBeGreaterThan(0);
    expect(has('%Please cancel, the app keeps crashing%')).toBeGreaterThan(0);
    expect(has('%evaluating alternatives%')).toBeGreaterThan(1);
    const areas = store
      .all<{ product_area: string }>('SELECT DISTINCT product_area FROM tickets')
      .map((r) => r.product_area);
    expect(areas).toEqual(
      expect.arrayContaining(['reporting', 'integrations', 'billing', 'sso', 'mobile', 'api', 'dashboards']),
    );
    expect(
      store.get<{ n: number }>("SELECT count(*) AS n FROM tickets WHERE status IN ('new','open','pending')")!
        .n,
    ).toBeGreaterThan(0);
    // nothing says what the story is
    expect(
      store.get<{ n: number }>("SELECT count(*) AS n FROM ticket_messages WHERE body LIKE '%systemic%'")!.n,
    ).toBe(0);
    expect(
      store.get<{ n: number }>("SELECT count(*) AS n FROM escalations WHERE summary LIKE '%systemic%'")!.n,
    ).toBe(0);
  });

  it('plants a growing integrations problem over the last five months', () => {
    const monthly = [5, 4, 3, 2, 1].map(
      (m) =>
        store.get<{ n: number }>(
          "SELECT count(*) AS n FROM escalations WHERE product_area = 'integrations' AND category = 'product_defect' AND opened_at >= ? AND opened_at < ?",
          [daysBefore(AS_OF, 30 * m), daysBefore(AS_OF, 30 * (m - 1))],
        )!.n,
    );
    expect(monthly.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
    expect(monthly[4]!).toBeGreaterThan(monthly[0]!);
    expect(monthly[3]! + monthly[4]!).toBeGreaterThan(monthly[0]! + monthly[1]!);
    const before = store.get<{ n: number }>(
      "SELECT count(*) AS n FROM escalations WHERE product_area = 'integrations' AND opened_at < ?",
      [daysBefore(AS_OF, 300)],
    )!.n;
    expect(before).toBeLessThanOrEqual(3);
  });

  it('escalated accounts showed more negative signals before the escalation than others', () => {
    const esc = store.all<{ account_id: number; opened_at: string }>(
      "SELECT account_id, opened_at FROM escalations WHERE status IN ('resolved','closed')",
    );
    const escalated = new Set(
      store.all<{ account_id: number }>('SELECT account_id FROM escalations').map((r) => r.account_id),
    );
    const others = store
      .all<{ id: number }>("SELECT id FROM accounts WHERE status = 'active' AND name != ? ORDER BY id", [
        TECHFLOW_NAME,
      ])
      .map((r) => r.id)
      .filter((id) => !escalated.has(id));
    const ratio = (accountId: number, at: string): number | null => {
      const asOfMs = Date.parse(at.slice(0, 10));
      const d = (n: number) => new Date(asOfMs - n * DAY).toISOString().slice(0, 10);
      const sum = (from: number, to: number) =>
        store.get<{ n: number | null }>(
          'SELECT sum(logins) AS n FROM usage_periods WHERE account_id = ? AND period_start >= ? AND period_start < ?',
          [accountId, d(from), d(to)],
        )!.n;
      const recent = sum(28, 0);
      const prior = sum(84, 56);
      return recent !== null && prior ? recent / prior : null;
    };
    const negTickets = (accountId: number, at: string): number =>
      store.get<{ n: number }>(
        "SELECT count(*) AS n FROM tickets WHERE account_id = ? AND created_at >= ? AND created_at < ? AND priority IN ('high','urgent')",
        [accountId, new Date(Date.parse(at) - 56 * DAY).toISOString(), at],
      )!.n;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const escRatios = esc.map((e) => ratio(e.account_id, e.opened_at)).filter((x): x is number => x !== null);
    const escTickets = esc.map((e) => negTickets(e.account_id, e.opened_at));
    // the same dates, on accounts that never escalated
    const ctrlRatios: number[] = [];
    const ctrlTickets: number[] = [];
    esc.forEach((e, i) => {
      for (let k = 0; k < 3; k++) {
        const id = others[(i * 7 + k * 31) % others.length]!;
        const r = ratio(id, e.opened_at);
        if (r !== null) ctrlRatios.push(r);
        ctrlTickets.push(negTickets(id, e.opened_at));
      }
    });
    expect(mean(escRatios)).toBeLessThan(mean(ctrlRatios) - 0.1);
    expect(mean(escTickets)).toBeGreaterThan(mean(ctrlTickets) * 2);
    // but it is noisy: some escalations had no usage drop at all (misses)
    expect(escRatios.filter((r) => r > 0.9).length).toBeGreaterThan(3);
  });
});
