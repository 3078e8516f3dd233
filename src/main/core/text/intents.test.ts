import { describe, expect, it } from 'vitest';
import { detectIntents, type IntentKind, intentPressure } from './intents';
import { scoreLexicon } from './lexicon';

const kinds = (text: string, competitors: string[] = []): IntentKind[] => [
  ...new Set(detectIntents(text, { competitors }).map((i) => i.kind)),
];

describe('detectIntents', () => {
  it('catches complaints that carry no sentiment words, with the triggering span', () => {
    const t = 'I was on hold for 45 minutes and nobody answered.';
    const found = detectIntents(t);
    expect(found.map((i) => i.kind)).toContain('frustration');
    for (const i of found) expect(t.slice(i.span[0], i.span[1])).toBe(i.text);
    expect(found.some((i) => i.text === 'on hold for 45 minutes')).toBe(true);
    expect(found.some((i) => i.text === 'nobody answered')).toBe(true);

    const u = 'please cancel, the app keeps crashing';
    expect(kinds(u)).toEqual(expect.arrayContaining(['churn', 'outage_defect']));
    expect(detectIntents(u).find((i) => i.kind === 'churn')!.text).toBe('cancel');
  });

  it.each<[string, IntentKind[]]>([
    ['We still have not received a reply to ticket 4471 from last week.', ['frustration']],
    ['This is the third time I am writing about the same invoice error.', ['frustration']],
    ['We will not renew at this price.', ['churn']],
    ['We are moving to another vendor next quarter.', ['churn']],
    ['Our team is evaluating alternatives.', ['competitor']],
    ['We are looking at other vendors because of the repeated outages.', ['competitor', 'outage_defect']],
    ['If this is not resolved by Friday our lawyers will be in touch.', ['executive_legal']],
    ['I am escalating this to your CEO.', ['executive_legal']],
    ['The dashboard has been down since this morning.', ['outage_defect']],
    ['The API returns 500 errors on every request.', ['outage_defect']],
    ['Half of my users cannot log in this morning.', ['outage_defect']],
    ['Urgent: checkout times out for every customer', ['frustration', 'outage_defect']],
    ['I will never use this service again.', ['churn']],
    ["We won't be ordering from you again after this.", ['churn']],
    ['You have lost a loyal customer. #NeverAgain', ['churn']],
  ])('%s', (text, expected) => {
    expect(kinds(text)).toEqual(expect.arrayContaining(expected));
  });

  it('matches a configurable competitor list as whole words, case-insensitive', () => {
    const t = 'Gainsight offered us a better price; also talking to Totango.';
    const found = detectIntents(t, { competitors: ['Gainsight', 'totango', 'ChurnZero'] }).filter(
      (i) => i.kind === 'competitor',
    );
    expect(found.map((i) => i.text)).toEqual(['Gainsight', 'Totango']);
    expect(kinds('We love the gainsharing model', ['Gains'])).not.toContain('competitor');
  });

  it('finds nothing in neutral or happy messages and skips negated defects', () => {
    expect(detectIntents('Can you send me the invoice for March?')).toEqual([]);
    expect(detectIntents('Thanks a lot, the team loves the new dashboard!')).toEqual([]);
    expect(kinds('No errors since the update, all good.')).not.toContain('outage_defect');
    // word boundaries: "incidentally" is not an incident
    expect(detectIntents('Incidentally, the agent at the desk deserves a raise.')).toEqual([]);
    expect(detectIntents('I would never leave you, the team is great.')).toEqual([]);
  });

  it('weighs defect words less when the message says the problem is fixed', () => {
    const bad = 'The export is broken.';
    const fixed = 'The broken export is fixed now, thanks!';
    expect(intentPressure(fixed, detectIntents(fixed))).toBeLessThan(intentPressure(bad, detectIntents(bad)));
  });
});

describe('lexicon fallback', () => {
  it('scores polarity with negation and intents', () => {
    expect(scoreLexicon('Thank you, great support!').label).toBe('positive');
    expect(scoreLexicon('This is not good at all').label).toBe('negative');
    expect(scoreLexicon('on hold for 45 minutes and nobody answered').label).toBe('negative');
    expect(scoreLexicon('What time is the meeting?').label).toBe('neutral');
  });
});
