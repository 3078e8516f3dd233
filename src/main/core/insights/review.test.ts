/**
 * The seeded flag history, the recommended rule changes and the monthly review on the demo portfolio.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { MonthlyReview } from '../../../shared/insights-types';
import { Core } from '../core';
import { backtestRule } from '../risk/backtest';
import { loadConfig } from '../risk/config';
import { rescoreAll } from '../risk/engine';
import { listRules, ruleProblems } from '../risk/rules';
import { DISMISS_REASONS, type FlagHistorySummary, seedFlagHistory } from './flag-history';
import { insightsHandlers } from './handlers';
import { recommendRuleChanges } from './recommendations';
import { buildMonthlyReview, lastFullMonth, monthRange } from './review';
import { reviewToMarkdown } from './review-md';
import { reviewToPdf } from './review-pdf';

const NOW = new Date('2026-12-03T12:00:00.000Z');
const DAY = 86_400_000;
let core: Core;
let summary: FlagHistorySummary;
let review: MonthlyReview;

beforeAll(async () => {
  core = await Core.open({ dbPath: null, now: () => NOW });
  await core.createDemo({ asOf: '2026-12-03' });
  // createDemo seeds the history itself; start it over here to see what the seeding reports.
  unseed(core);
  summary = seedFlagHistory(core, {});
}, 240_000);

interface FlagDb {
  id: number;
  account_id: number;
  rule_id: number;
  raised_at: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  dismiss_reason: string | null;
  escalation_id: number | null;
}
/** Removes the flag history createDemo wrote, so a test can seed it again and read the summary. */
const unseed = (c: Core) =>
  c.store.bulk((tx) => {
    tx.run('DELETE FROM risk_flags');
    tx.run("DELETE FROM meta WHERE key = 'flag_history_seeded'");
  });

const flags = () => core.store.all<FlagDb>('SELECT * FROM risk_flags ORDER BY id');

describe('seeded flag history', () => {
  it('records a decision on every flag older than two weeks, as the team would have', () => {
    expect(summary.flags).toBeGreaterThan(100);
    expect(summary.confirmed + summary.dismissed + summary.open).toBe(summary.flags);
    const leaders = new Set(
      core.store
        .all<{ name: string }>("SELECT name FROM team_members WHERE role = 'cs_leader'")
        .map((r) => r.name),
    );
    const reasons = new Set(DISMISS_REASONS.map((r) => r.reason));
    for (const f of flags()) {
      const raised = Date.parse(f.raised_at);
      if (f.status === 'confirmed') {
        const e = core.store.get<{ account_id: number; opened_at: string; decided_by: string | null }>(
          'SELECT account_id, opened_at, decided_by FROM escalations WHERE id = ?',
          [f.escalation_id],
        )!;
        expect(e.account_id).toBe(f.account_id);
        expect(Date.parse(e.opened_at)).toBeGreaterThanOrEqual(raised);
        expect(Date.parse(e.opened_at) - raised).toBeLessThanOrEqual(60 * DAY);
        expect(f.decided_by).toBe(e.decided_by);
      } else if (f.status === 'dismissed') {
        expect(reasons.has(f.dismiss_reason!)).toBe(true);
        expect(leaders.has(f.decided_by!)).toBe(true);
        expect(Date.parse(f.decided_at!)).toBeGreaterThan(raised);
        expect(raised).toBeLessThanOrEqual(NOW.getTime() - 14 * DAY);
      } else {
        expect(f.status).toBe('open');
        expect(raised).toBeGreaterThan(NOW.getTime() - 14 * DAY);
      }
    }
  });

  it('keeps one open flag per account and rule, also after the risk engine rescores', () => {
    const dupes = () =>
      core.store.all(
        "SELECT account_id, rule_id FROM risk_flags WHERE status IN ('open','snoozed') GROUP BY account_id, rule_id HAVING count(*) > 1",
      );
    expect(dupes()).toEqual([]);
    const before = flags()
      .filter((f) => f.status === 'open')
      .map((f) => `${f.account_id}:${f.rule_id}`);
    rescoreAll(core);
    expect(dupes()).toEqual([]);
    const after = new Set(
      flags()
        .filter((f) => f.status === 'open')
        .map((f) => `${f.account_id}:${f.rule_id}`),
    );
    for (const k of before) expect(after.has(k)).toBe(true);
  });

  it("matches the risk engine's backtest of the same rule (precision and recall)", () => {
    const rule = listRules(core.store).find((r) => r.key === 'elevated-risk-score')!;
    const bt = backtestRule(core.store, rule.definition, loadConfig(core.store), { now: NOW });
    const fs = flags().filter(
      (f) => f.rule_id === rule.id && Date.parse(f.raised_at) < NOW.getTime() - 14 * DAY - 7 * DAY,
    );
    // Seeded precision over flags whose horizon has passed, as the backtest counts it.
    const judged = fs.filter(
      (f) => f.status === 'confirmed' || Date.parse(f.raised_at) + 60 * DAY <= NOW.getTime(),
    );
    const precision = judged.filter((f) => f.status === 'confirmed').length / judged.length;
    const esc = core.store.all<{ id: number; account_id: number; opened_at: string }>(
      'SELECT id, account_id, opened_at FROM escalations WHERE opened_at > ?',
      [bt.from],
    );
    const all = flags().filter((f) => f.rule_id === rule.id);
    const caught = esc.filter((e) =>
      all.some(
        (f) =>
          f.account_id === e.account_id &&
          f.raised_at < e.opened_at &&
          Date.parse(f.raised_at) >= Date.parse(e.opened_at) - 60 * DAY,
      ),
    ).length;
    expect(Math.abs(precision - bt.precision!)).toBeLessThan(0.06);
    expect(Math.abs(caught / esc.length - bt.recall!)).toBeLessThan(0.06);
    expect(Math.abs(all.length - bt.flags) / bt.flags).toBeLessThan(0.1);
  }, 180_000);

  it('is deterministic and runs once', async () => {
    const seeded = async () => {
      const c = await Core.open({ dbPath: null, now: () => NOW });
      await c.createDemo({ asOf: '2026-12-03', accounts: 60 });
      unseed(c);
      const s = seedFlagHistory(c, { from: '2026-03-01' });
      const rows = c.store.all(
        'SELECT account_id, rule_id, raised_at, status, score, priority, decided_by, decided_at, dismiss_reason, escalation_id, evidence FROM risk_flags ORDER BY raised_at, account_id, rule_id',
      );
      const again = seedFlagHistory(c, { from: '2026-03-01' });
      c.close();
      return { s, rows, again };
    };
    const a = await seeded();
    const b = await seeded();
    expect(a.rows.length).toBe(a.s.flags);
    expect(a.rows).toEqual(b.rows);
    expect(a.again.flags).toBe(0);
  }, 180_000);
});

describe('recommended rule changes', () => {
  it('reference existing rules, propose valid definitions and show the backtest before and after', () => {
    const recs = recommendRuleChanges(core);
    expect(recs.length).toBeGreaterThan(0);
    const rules = new Map(listRules(core.store).map((r) => [r.id, r]));
    const config = loadConfig(core.store);
    for (const r of recs) {
      expect(rules.has(r.ruleId)).toBe(true);
      expect(rules.get(r.ruleId)!.key).toBe(r.ruleKey);
      expect(r.link).toBe(`#/rules?rule=${r.ruleId}`);
      if (r.kind === 'review') continue;
      expect(ruleProblems(r.proposed, config)).toEqual([]);
      expect(r.before).not.toBeNull();
      expect(r.after).not.toBeNull();
      if (r.kind === 'tighten') expect(r.after!.precision!).toBeGreaterThan(r.before!.precision!);
      if (r.kind === 'loosen') expect(r.after!.recall!).toBeGreaterThan(r.before!.recall!);
    }
    // The risk-score rule is mostly dismissed in the seeded history: a concrete tightening is proposed.
    const tighten = recs.find((r) => r.ruleKey === 'elevated-risk-score' && r.kind === 'tighten');
    expect(tighten).toBeDefined();
    expect(tighten!.dismissalRate!).toBeGreaterThan(0.5);
    expect(tighten!.dismissReasons.reduce((s, d) => s + d.count, 0)).toBe(tighten!.dismissed);
    expect(tighten!.title).toMatch(/risk_score >= \d+/);
  }, 180_000);
});

describe('monthly review', () => {
  beforeAll(() => {
    review = buildMonthlyReview(core, lastFullMonth(NOW));
  }, 240_000);

  it('covers the last full month with its previous month and twelve months of series', () => {
    expect(review.month).toBe('2026-11');
    expect(monthRange('2026-11')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(review.previous.from).toBe('2026-10-01');
    expect(review.monthly).toHaveLength(12);
    expect(review.monthly.at(-1)!.month).toBe('2026-11');
    expect(review.monthly.at(-1)!.escalations).toBe(review.opened.length);
    expect(review.monthly.at(-1)!.preventedChurnArr).toBe(review.current.preventedChurnArr);
    expect(review.opened.length).toBe(review.current.escalationsOpened);
  });

  it('renders Markdown with every section and the records behind the numbers', () => {
    const md = reviewToMarkdown(review);
    for (const h of [
      '# Escalation review: November 2026',
      '## Summary',
      '## What happened',
      '## Metrics against the previous month',
      '## Twelve months',
      '## Top patterns (last 12 months)',
      '### Systemic issues',
      '## Recommended rule changes',
      '## Appendix: records behind the numbers',
    ])
      expect(md).toContain(h);
    expect(md).toMatch(/\[\^1\]: .*escalations:\d+/);
    expect(md).toContain('#/rules?rule=');
    expect(md).toMatch(/integrations\*\* - GROWING/);
  });

  it('renders a valid PDF of several pages', async () => {
    const pdf = await reviewToPdf(review, NOW);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-8).toString()).toContain('%%EOF');
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThan(1);
  });

  it('is served through the handlers (md text and pdf base64)', async () => {
    const h = insightsHandlers(core) as Record<string, (a: unknown) => Promise<unknown> | unknown>;
    const md = (await h['insights.review.export']!({ month: '2026-11', format: 'md' })) as {
      text: string;
      fileName: string;
    };
    expect(md.text).toContain('## What happened');
    expect(md.fileName).toBe('bellwether-review-2026-11.md');
    const pdf = (await h['insights.review.export']!({ month: '2026-11', format: 'pdf' })) as {
      base64: string;
    };
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  }, 240_000);
});
