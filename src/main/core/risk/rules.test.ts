import { describe, expect, it } from 'vitest';
import type { RuleDefinition } from '../../../shared/risk-types';
import { DEFAULT_CONFIG } from './config';
import { DEFAULT_RULES, ruleMatches, ruleProblems, validateRule } from './rules';

const base = (over: Record<string, unknown> = {}) => ({
  name: 'Test rule',
  match: 'all',
  conditions: [
    { signal: 'usage_drop_30d', op: '>=', value: 40 },
    { signal: 'negative_tickets', op: '>=', value: 2 },
  ],
  cooldownDays: 30,
  ...over,
});

describe('rule validation', () => {
  it('accepts the default rules', () => {
    for (const r of DEFAULT_RULES) expect(ruleProblems(r.definition, DEFAULT_CONFIG)).toEqual([]);
  });

  it('names an unknown signal and where it is, with a suggestion', () => {
    const def = base({
      conditions: [
        { signal: 'usage_drop_30d', op: '>=', value: 40 },
        { signal: 'usage_dorp', op: '>=', value: 2 },
      ],
    });
    expect(() => validateRule(def, DEFAULT_CONFIG)).toThrow(
      "conditions[1].signal: unknown signal 'usage_dorp'",
    );
    expect(ruleProblems(def, DEFAULT_CONFIG)[0]!.message).toMatch(/did you mean 'usage_drop_\d+d'/);
  });

  it('reports problems inside nested groups with their path', () => {
    const def = base({
      conditions: [
        { signal: 'usage_drop_30d', op: '>=', value: 40 },
        { match: 'either', conditions: [{ signal: 'negative_tickets', op: '=>', value: 'two' }] },
      ],
    });
    const problems = ruleProblems(def, DEFAULT_CONFIG);
    expect(problems.map((p) => p.path)).toEqual([
      'conditions[1].match',
      'conditions[1].conditions[0].op',
      'conditions[1].conditions[0].value',
    ]);
    expect(problems[1]!.message).toContain('unknown operator "=>"');
  });

  it('refuses a missing name, bad cooldown, unknown segment, empty groups and unknown fields', () => {
    const problems = ruleProblems(
      {
        name: ' ',
        match: 'all',
        conditions: [],
        cooldownDays: -1,
        scope: { segments: ['enterprize'] },
        colour: 'red',
      },
      DEFAULT_CONFIG,
    );
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath.colour).toBe("unknown field 'colour'");
    expect(byPath.name).toBe('a rule needs a name');
    expect(byPath.cooldownDays).toMatch(/whole number of days/);
    expect(byPath['scope.segments[0]']).toMatch(/unknown segment 'enterprize'/);
    expect(byPath.conditions).toMatch(/non-empty list/);
    expect(ruleProblems('nope', DEFAULT_CONFIG)[0]!.path).toBe('(rule)');
  });

  it('knows signals of configured windows only', () => {
    const def = base({ conditions: [{ signal: 'usage_drop_60d', op: '>=', value: 40 }] });
    expect(ruleProblems(def, DEFAULT_CONFIG)).toHaveLength(1);
    expect(ruleProblems(def, { ...DEFAULT_CONFIG, windows: [60] })).toEqual([]);
  });
});

describe('rule evaluation', () => {
  const acct = { segment: 'enterprise' as const, tier: 'gold', arr: 400_000 };
  const def = validateRule(
    base({
      scope: { segments: ['enterprise'], minArr: 100_000 },
      conditions: [
        { signal: 'negative_tickets', op: '>=', value: 2 },
        {
          match: 'any',
          conditions: [
            { signal: 'usage_drop_30d', op: '>=', value: 40 },
            { signal: 'login_drop_30d', op: '>=', value: 40 },
          ],
        },
      ],
    }),
    DEFAULT_CONFIG,
  ) as RuleDefinition;

  it('combines AND and OR groups', () => {
    expect(ruleMatches(def, acct, { negative_tickets: 2, usage_drop_30d: 10, login_drop_30d: 45 })).toBe(
      true,
    );
    expect(ruleMatches(def, acct, { negative_tickets: 2, usage_drop_30d: 10, login_drop_30d: 39.9 })).toBe(
      false,
    );
    expect(ruleMatches(def, acct, { negative_tickets: 1, usage_drop_30d: 90, login_drop_30d: 90 })).toBe(
      false,
    );
  });

  it('treats a missing signal as not holding, and respects the scope', () => {
    expect(ruleMatches(def, acct, { negative_tickets: 3, usage_drop_30d: null, login_drop_30d: 50 })).toBe(
      true,
    );
    expect(ruleMatches(def, acct, { negative_tickets: 3, usage_drop_30d: null, login_drop_30d: null })).toBe(
      false,
    );
    expect(ruleMatches(def, { ...acct, segment: 'smb' }, { negative_tickets: 3, usage_drop_30d: 50 })).toBe(
      false,
    );
    expect(ruleMatches(def, { ...acct, arr: 50_000 }, { negative_tickets: 3, usage_drop_30d: 50 })).toBe(
      false,
    );
    const tiered = { ...def, scope: { tiers: ['gold'] } };
    expect(ruleMatches(tiered, { ...acct, tier: null }, { negative_tickets: 3, usage_drop_30d: 50 })).toBe(
      false,
    );
    expect(ruleMatches(tiered, acct, { negative_tickets: 3, usage_drop_30d: 50 })).toBe(true);
  });
});
