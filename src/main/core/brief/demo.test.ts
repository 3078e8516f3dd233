/** The brief and plan on the full demo portfolio, with the risk engine and text intelligence plugged in. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Brief, PlanBody } from '../../../shared/brief-types';
import { Core } from '../core';
import { generateDemo, TECHFLOW_COMPETITOR, TECHFLOW_NAME } from '../demo/generator';
import { buildBrief } from './brief';
import { generatePlan, planCitations } from './plan';
import { briefDeps } from './risk-source';
import { allBriefCitations, unresolved } from './test-helpers';

const asOf = new Date('2026-12-01T12:00:00.000Z');
let core: Core;
let brief: Brief;
let plan: PlanBody;

beforeAll(async () => {
  core = await Core.open({ dbPath: null, now: () => asOf });
  generateDemo(core.store, { seed: 42, accounts: 320, asOf: '2026-12-01' });
  const id = core.store.get<{ id: number }>('SELECT id FROM accounts WHERE name = ?', [TECHFLOW_NAME])!.id;
  const deps = briefDeps(core);
  brief = buildBrief(core.store, { accountId: id }, asOf, deps);
  plan = generatePlan(core.store, { accountId: id }, asOf, deps).plan;
}, 120_000);

describe('the TechFlow Industries brief on the demo portfolio', () => {
  it('names champion departure and usage decline as the primary risks, from the risk engine', () => {
    expect([...brief.primaryRisks].sort()).toEqual(['champion_departure', 'usage_decline']);
    expect(brief.risk.source).toMatch(/risk engine/);
    expect(brief.risk.score).toBeGreaterThanOrEqual(80);
  });

  it('shows the competitor mention with the ticket it came from', () => {
    const comp = brief.sections.find((s) => s.id === 'competitive')!.items;
    const hit = comp.find((i) => i.text.includes(TECHFLOW_COMPETITOR));
    expect(hit).toBeDefined();
    expect(hit!.text).toMatch(/in ticket #\d+ "/);
    expect(hit!.citations.some((c) => c.startsWith('tickets:'))).toBe(true);
    expect(hit!.citations.some((c) => c.startsWith('ticket_messages:'))).toBe(true);
  });

  it('cites only records that exist, and cites something for every fact', () => {
    expect(unresolved(core.store, allBriefCitations(brief))).toEqual([]);
    expect(unresolved(core.store, planCitations(plan))).toEqual([]);
    for (const s of brief.sections)
      for (const i of s.items)
        if (!i.kind || i.kind === 'fact') expect(i.citations.length, i.text).toBeGreaterThan(0);
  });

  it('proposes executive outreach and a technical review, with success rates on similar cases', () => {
    const ids = plan.strategies.map((s) => s.strategyId);
    expect(ids).toContain('executive_outreach');
    expect(ids).toContain('technical_review');
    expect(plan.strategies.every((s) => s.uses > 0)).toBe(true);
    expect(brief.similarCases.length).toBeGreaterThanOrEqual(3);
  });
});
