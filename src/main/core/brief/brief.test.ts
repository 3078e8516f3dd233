import { beforeAll, describe, expect, it } from 'vitest';
import type { Brief } from '../../../shared/brief-types';
import { PortfolioStore } from '../db/store';
import { buildBrief } from './brief';
import { detectCompetitorMentions } from './competitors';
import { buildFixture, FIXTURE_AS_OF, type FixtureIds } from './test-fixture';
import { allBriefCitations, unresolved } from './test-helpers';

let store: PortfolioStore;
let ids: FixtureIds;
let brief: Brief;

beforeAll(async () => {
  store = await PortfolioStore.memory();
  ids = buildFixture(store);
  brief = buildBrief(store, { accountId: ids.techflow }, FIXTURE_AS_OF);
});

const section = (b: Brief, id: string) => b.sections.find((s) => s.id === id)!;

describe('the escalation brief', () => {
  it('cites a real record for every fact, and only real records', () => {
    const refs = allBriefCitations(brief);
    expect(refs.length).toBeGreaterThan(30);
    expect(unresolved(store, refs)).toEqual([]);
    for (const s of brief.sections) {
      for (const item of s.items) {
        if (item.kind === 'empty' || item.kind === 'note') continue;
        expect(item.citations.length, `${s.id}: ${item.text}`).toBeGreaterThan(0);
      }
    }
    expect(brief.sources.map((s) => s.ref)).toEqual([...new Set(brief.sources.map((s) => s.ref))]);
    expect(brief.sources.every((s) => !s.label.includes('record not found'))).toBe(true);
  });

  it('names champion departure and usage decline as the primary risks of TechFlow Industries', () => {
    expect(brief.primaryRisks).toEqual(['champion_departure', 'usage_decline']);
    expect(brief.headline.text).toMatch(/champion/i);
    expect(brief.headline.text).toMatch(/usage decline/i);
    expect(brief.headline.citations).toContain(`contacts:${ids.champion}`);
    expect(brief.risk.score).toBeGreaterThanOrEqual(75);
  });

  it('shows the competitor mention with the ticket and message it came from', () => {
    const comp = section(brief, 'competitive').items;
    const hit = comp.find((i) => /DataPilot/.test(i.text));
    expect(hit).toBeDefined();
    expect(hit!.text).toContain(`ticket #${ids.competitorTicket}`);
    expect(hit!.citations).toEqual([
      `ticket_messages:${ids.competitorMessage}`,
      `tickets:${ids.competitorTicket}`,
    ]);
  });

  it('covers every section of the brief with grounded content', () => {
    expect(brief.sections.map((s) => s.id)).toEqual([
      'overview',
      'escalation',
      'interactions',
      'usage',
      'stakeholders',
      'competitive',
      'risk',
      'similar',
    ]);
    expect(section(brief, 'overview').items[0]!.text).toContain('$380K');
    expect(section(brief, 'overview').items.some((i) => /in 67 days/.test(i.text))).toBe(true);
    expect(section(brief, 'escalation').items[0]!.citations).toContain(
      `escalations:${ids.techflowEscalation}`,
    );
    expect(
      section(brief, 'interactions').items.some((i) =>
        /Last executive touchpoint .*120 days ago/.test(i.text),
      ),
    ).toBe(true);
    expect(section(brief, 'usage').items[0]!.text).toMatch(/Logins down \d+%/);
    expect(section(brief, 'stakeholders').items.some((i) => /Sarah Sampleton.*departed/.test(i.text))).toBe(
      true,
    );
    expect(brief.usage.length).toBeGreaterThan(20);
  });

  it('finds similar past cases by signals and text, with what resolved them and the outcome', () => {
    expect(brief.similarCases.length).toBeGreaterThanOrEqual(3);
    const top = brief.similarCases[0]!;
    expect(top.accountName).toMatch(/^Past combined/);
    expect(top.strategies).toEqual(['executive_outreach', 'technical_review']);
    expect(top.outcome).not.toBeNull();
    expect(top.shared).toContain('champion or sponsor departure');
    expect(top.similarity).toBeGreaterThan(
      brief.similarCases[brief.similarCases.length - 1]!.similarity - 1e-9,
    );
    const text = section(brief, 'similar').items[0]!.text;
    expect(text).toMatch(/Resolved with: Executive outreach, Technical review\. Outcome: (saved|expanded)/);
  });

  it('is deterministic: the same data and date give the same brief', () => {
    const again = buildBrief(store, { accountId: ids.techflow }, FIXTURE_AS_OF);
    expect(JSON.stringify(again)).toBe(JSON.stringify(brief));
  });

  it('says so when an account has no history, and invents nothing', () => {
    const b = buildBrief(store, { accountId: ids.quiet }, FIXTURE_AS_OF);
    const texts = b.sections.flatMap((s) => s.items.map((i) => i.text));
    expect(texts).toContain('No tickets in the last 90 days.');
    expect(texts).toContain('No usage data on record.');
    expect(texts).toContain('No contacts on record.');
    expect(texts).toContain('No competitor mentions in the last 180 days.');
    expect(b.risk.factors).toEqual([]);
    expect(b.primaryRisks).toEqual([]);
    expect(b.headline.text).toMatch(/no risk signals/);
    const facts = b.sections.flatMap((s) => s.items.filter((i) => i.kind !== 'empty' && i.kind !== 'note'));
    expect(facts.every((i) => i.citations.every((c) => c === `accounts:${ids.quiet}`))).toBe(true);
  });

  it('can be asked for by escalation, and refuses an unknown one', () => {
    const b = buildBrief(store, { escalationId: ids.techflowEscalation }, FIXTURE_AS_OF);
    expect(b.accountId).toBe(ids.techflow);
    expect(b.escalationId).toBe(ids.techflowEscalation);
    expect(() => buildBrief(store, { escalationId: 99999 }, FIXTURE_AS_OF)).toThrow(/does not exist/);
  });
});

describe('competitor mentions', () => {
  it('finds named competitors and evaluation phrasing with their spans', () => {
    const text = 'We are now evaluating alternatives, including a trial of DataPilot. Call me.';
    const found = detectCompetitorMentions(text, []);
    const named = found.find((f) => f.competitor === 'DataPilot');
    expect(named).toBeDefined();
    expect(text.slice(named!.start, named!.end)).toContain('DataPilot');
    expect(found.some((f) => f.competitor === null && /alternatives/.test(f.span))).toBe(true);
    expect(
      detectCompetitorMentions('Our leadership asked us to run a pilot with Corvex before renewal.', [])[0]!
        .competitor,
    ).toBe('Corvex');
    expect(detectCompetitorMentions('We use acme daily', ['Acme'])[0]!.competitor).toBe('Acme');
    expect(detectCompetitorMentions('The export is broken again.', [])).toEqual([]);
  });
});
