/**
 * A small deterministic portfolio history for model tests: accounts whose hidden risk drifts month to
 * month; tickets, negative messages, usage, health and escalations follow it, with the signals leading the
 * escalations. Not the demo generator (that lives in src/main/core/demo); this one exists so the model code
 * can be tested on its own.
 */
import type { Tx } from '../db/store';
import { sigmoid } from './matrix';
import { Prng } from './prng';

export interface SyntheticPortfolioOptions {
  accounts: number;
  months: number;
  /** First day of the history (YYYY-MM-01). */
  start: string;
  seed?: number;
}

const day = (start: string, offset: number): string =>
  new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

const poisson = (rng: Prng, lambda: number): number => {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng.next();
  } while (p > l);
  return k - 1;
};

export const writeSyntheticPortfolio = (tx: Tx, o: SyntheticPortfolioOptions): { escalations: number } => {
  const rng = new Prng(o.seed ?? 5);
  const created = `${o.start}T00:00:00Z`;
  let escalations = 0;
  for (let a = 1; a <= o.accounts; a++) {
    const segment = rng.pick(['enterprise', 'mid_market', 'smb'] as const, [0.2, 0.35, 0.45]);
    const arr = Math.round(
      (segment === 'enterprise' ? 200_000 : segment === 'mid_market' ? 60_000 : 15_000) * (0.5 + rng.next()),
    );
    tx.run(
      `INSERT INTO accounts(id, name, segment, arr, contract_start, renewal_date, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        a,
        `Account ${a}`,
        segment,
        arr,
        day(o.start, -400 - rng.int(300)),
        day(o.start, o.months * 30 + rng.int(365)),
        created,
        created,
      ],
    );
    const champion = tx.run(
      'INSERT INTO contacts(account_id, name, is_champion, status, started_at) VALUES (?, ?, 1, ?, ?)',
      [a, `Champion ${a}`, 'active', day(o.start, -500)],
    ).lastInsertRowid;
    let risk = rng.normal() - 0.5;
    const baseLogins = 50 + rng.int(400);
    let openUntil = -1;
    let championGone = false;
    for (let m = 0; m < o.months; m++) {
      const m0 = m * 30;
      // the hidden risk this month; signals this month reflect it, escalations come with a delay
      risk = 0.8 * risk + 0.6 * rng.normal() - 0.1;
      if (!championGone && rng.next() < 0.01 + 0.03 * sigmoid(risk)) {
        championGone = true;
        tx.run("UPDATE contacts SET status = 'departed', departed_at = ? WHERE id = ?", [
          day(o.start, m0 + rng.int(30)),
          champion,
        ]);
        risk += 0.8;
      }
      const s = sigmoid(risk);
      const tickets = poisson(rng, 0.5 + 4 * s);
      for (let t = 0; t < tickets; t++) {
        const at = `${day(o.start, m0 + rng.int(30))}T10:00:00Z`;
        const tid = tx.run(
          "INSERT INTO tickets(account_id, subject, priority, status, created_at, updated_at) VALUES (?, 'Issue', ?, 'solved', ?, ?)",
          [a, rng.next() < s * 0.6 ? 'urgent' : 'normal', at, at],
        ).lastInsertRowid;
        const negative = rng.next() < 0.1 + 0.7 * s;
        tx.run(
          "INSERT INTO ticket_messages(ticket_id, side, body, created_at, sentiment_label) VALUES (?, 'customer', ?, ?, ?)",
          [
            tid,
            negative && rng.next() < 0.2 ? 'We are evaluating a competitor.' : 'Please help.',
            at,
            negative ? 'negative' : 'neutral',
          ],
        );
      }
      for (let w = 0; w < 4; w++) {
        const logins = Math.max(0, Math.round(baseLogins * (1 - 0.7 * s) * (0.85 + 0.3 * rng.next())));
        tx.run(
          'INSERT INTO usage_periods(account_id, period_start, period_days, active_users, logins) VALUES (?, ?, 7, ?, ?)',
          [a, day(o.start, m0 + w * 7), Math.round(logins / 5), logins],
        );
      }
      tx.run('INSERT INTO health_scores(account_id, scored_at, score) VALUES (?, ?, ?)', [
        a,
        `${day(o.start, m0 + 27)}T00:00:00Z`,
        Math.max(0, Math.min(100, 85 - 55 * s + 8 * rng.normal())),
      ]);
      if (rng.next() < 0.5 - 0.4 * s) {
        tx.run(
          "INSERT INTO engagements(account_id, occurred_at, kind, is_executive) VALUES (?, ?, 'exec_touchpoint', 1)",
          [a, `${day(o.start, m0 + rng.int(30))}T15:00:00Z`],
        );
      }
      // escalation next month, driven by this month's risk
      if (m0 + 30 > openUntil && m + 1 < o.months && rng.next() < sigmoid(2.2 * risk - 3.2)) {
        const opened = m0 + 30 + rng.int(30);
        const resolved = opened + 10 + rng.int(20);
        tx.run(
          "INSERT INTO escalations(account_id, status, priority, opened_at, resolved_at) VALUES (?, 'resolved', 'high', ?, ?)",
          [a, `${day(o.start, opened)}T09:00:00Z`, `${day(o.start, resolved)}T09:00:00Z`],
        );
        openUntil = resolved;
        escalations++;
        risk -= 1; // attention after an escalation lowers risk
      }
    }
  }
  return { escalations };
};
