/**
 * Threshold rules: JSON conditions combined with AND/OR groups, scoped by segment/tier/ARR, with a cooldown.
 * Stored in `risk_rules`, each change a new version in `risk_rule_versions`; a flag records the version that
 * raised it. Validation names the problem and where it is, e.g. `conditions[1].signal: unknown signal 'usage_dorp'`.
 */
import { SEGMENTS } from '../../../shared/domain';
import { CoreError } from '../../../shared/result';
import {
  type RiskConfig,
  RULE_OPS,
  type RuleCondition,
  type RuleDefinition,
  type RuleGroup,
  type RuleProblem,
  type RuleRow,
  type SignalAccount,
} from '../../../shared/risk-types';
import type { PortfolioStore } from '../db/store';
import { signalCatalog } from './config';

const MAX_DEPTH = 4;
const MAX_CONDITIONS = 40;

const levenshtein = (a: string, b: string): number => {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
};

const suggest = (name: string, known: readonly string[]): string => {
  let best = '';
  let dist = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = Math.min(levenshtein(name, k), levenshtein(name, k.replace(/_\d+d$/, '')) + 1);
    if (d < dist) {
      dist = d;
      best = k;
    }
  }
  return best && dist <= Math.max(3, Math.floor(name.length / 3)) ? ` (did you mean '${best}'?)` : '';
};

const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** Checks a rule definition; returns every problem found (empty when valid). */
export const ruleProblems = (input: unknown, config: RiskConfig): RuleProblem[] => {
  const problems: RuleProblem[] = [];
  const p = (path: string, message: string) => problems.push({ path, message });
  const known = signalCatalog(config).map((s) => s.key);
  const knownSet = new Set(known);
  if (!isObj(input)) {
    p('(rule)', 'expected an object with name, match, conditions and cooldownDays');
    return problems;
  }
  const allowed = new Set(['name', 'description', 'scope', 'match', 'conditions', 'cooldownDays']);
  for (const k of Object.keys(input)) if (!allowed.has(k)) p(k, `unknown field '${k}'`);
  if (typeof input.name !== 'string' || input.name.trim() === '') p('name', 'a rule needs a name');
  else if (input.name.length > 120) p('name', 'at most 120 characters');
  if (input.description !== undefined && typeof input.description !== 'string')
    p('description', 'expected text');
  if (
    typeof input.cooldownDays !== 'number' ||
    !Number.isInteger(input.cooldownDays) ||
    input.cooldownDays < 0 ||
    input.cooldownDays > 365
  ) {
    p('cooldownDays', 'expected a whole number of days between 0 and 365');
  }
  if (input.scope !== undefined) {
    if (!isObj(input.scope)) p('scope', 'expected an object');
    else {
      const s = input.scope;
      for (const k of Object.keys(s))
        if (!['segments', 'tiers', 'minArr', 'maxArr'].includes(k)) p(`scope.${k}`, `unknown field '${k}'`);
      if (s.segments !== undefined) {
        if (!Array.isArray(s.segments)) p('scope.segments', 'expected a list of segments');
        else
          s.segments.forEach((seg, i) => {
            if (!(SEGMENTS as readonly unknown[]).includes(seg)) {
              p(
                `scope.segments[${i}]`,
                `unknown segment '${String(seg)}' (expected one of ${SEGMENTS.join(', ')})`,
              );
            }
          });
      }
      if (s.tiers !== undefined && (!Array.isArray(s.tiers) || s.tiers.some((t) => typeof t !== 'string'))) {
        p('scope.tiers', 'expected a list of tier names');
      }
      for (const k of ['minArr', 'maxArr'] as const) {
        if (
          s[k] !== undefined &&
          (typeof s[k] !== 'number' || !Number.isFinite(s[k]) || (s[k] as number) < 0)
        ) {
          p(`scope.${k}`, 'expected a non-negative number');
        }
      }
    }
  }
  let count = 0;
  const group = (g: Record<string, unknown>, path: string, depth: number) => {
    const at = (k: string) => (path ? `${path}.${k}` : k);
    if (g.match !== 'all' && g.match !== 'any')
      p(at('match'), `expected 'all' (AND) or 'any' (OR), got ${JSON.stringify(g.match ?? null)}`);
    if (!Array.isArray(g.conditions) || g.conditions.length === 0) {
      p(at('conditions'), 'expected a non-empty list of conditions');
      return;
    }
    g.conditions.forEach((c, i) => {
      const cp = `${at('conditions')}[${i}]`;
      if (!isObj(c)) {
        p(cp, 'expected a condition {signal, op, value} or a group {match, conditions}');
        return;
      }
      if ('conditions' in c || 'match' in c) {
        if (depth >= MAX_DEPTH) p(cp, `groups nest at most ${MAX_DEPTH} deep`);
        else {
          for (const k of Object.keys(c))
            if (k !== 'match' && k !== 'conditions') p(`${cp}.${k}`, `unknown field '${k}'`);
          group(c, cp, depth + 1);
        }
        return;
      }
      count++;
      for (const k of Object.keys(c))
        if (!['signal', 'op', 'value'].includes(k)) p(`${cp}.${k}`, `unknown field '${k}'`);
      if (typeof c.signal !== 'string' || c.signal === '') p(`${cp}.signal`, 'expected a signal name');
      else if (!knownSet.has(c.signal))
        p(`${cp}.signal`, `unknown signal '${c.signal}'${suggest(c.signal, known)}`);
      if (!(RULE_OPS as readonly unknown[]).includes(c.op))
        p(
          `${cp}.op`,
          `unknown operator ${JSON.stringify(c.op ?? null)} (expected one of ${RULE_OPS.join(' ')})`,
        );
      if (typeof c.value !== 'number' || !Number.isFinite(c.value)) p(`${cp}.value`, 'expected a number');
    });
  };
  group(input, '', 1);
  if (count > MAX_CONDITIONS) p('conditions', `at most ${MAX_CONDITIONS} conditions`);
  return problems;
};

/** Validates and returns the normalized definition, or throws a CoreError naming the first problem. */
export const validateRule = (input: unknown, config: RiskConfig): RuleDefinition => {
  const problems = ruleProblems(input, config);
  if (problems.length > 0) {
    const first = problems[0]!;
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
        : '';
    throw new CoreError('invalid_arguments', `${first.path}: ${first.message}${more}`, first.path);
  }
  const def = input as RuleDefinition;
  return { ...def, name: def.name.trim() };
};

// ---------------------------------------------------------------- evaluation

const test = (c: RuleCondition, values: Record<string, number | null>): boolean => {
  const v = values[c.signal];
  if (v === null || v === undefined) return false;
  switch (c.op) {
    case '>=':
      return v >= c.value;
    case '>':
      return v > c.value;
    case '<=':
      return v <= c.value;
    case '<':
      return v < c.value;
    case '==':
      return v === c.value;
    case '!=':
      return v !== c.value;
  }
};

const evalGroup = (g: RuleGroup, values: Record<string, number | null>): boolean =>
  g.match === 'all'
    ? g.conditions.every((c) => ('conditions' in c ? evalGroup(c, values) : test(c, values)))
    : g.conditions.some((c) => ('conditions' in c ? evalGroup(c, values) : test(c, values)));

export const inScope = (def: RuleDefinition, a: Pick<SignalAccount, 'segment' | 'tier' | 'arr'>): boolean => {
  const s = def.scope;
  if (!s) return true;
  if (s.segments && s.segments.length > 0 && !s.segments.includes(a.segment)) return false;
  if (s.tiers && s.tiers.length > 0 && (!a.tier || !s.tiers.includes(a.tier))) return false;
  if (s.minArr !== undefined && a.arr < s.minArr) return false;
  if (s.maxArr !== undefined && a.arr > s.maxArr) return false;
  return true;
};

/** True when the account is in the rule's scope and its conditions hold (a missing signal never holds). */
export const ruleMatches = (
  def: RuleDefinition,
  account: Pick<SignalAccount, 'segment' | 'tier' | 'arr'>,
  values: Record<string, number | null>,
): boolean => inScope(def, account) && evalGroup(def, values);

/** The signals a rule reads (for evidence on the flags it raises). */
export const ruleSignals = (g: RuleGroup): string[] => [
  ...new Set(g.conditions.flatMap((c) => ('conditions' in c ? ruleSignals(c) : [c.signal]))),
];

// ---------------------------------------------------------------- storage

export const DEFAULT_RULES: { key: string; enabled: boolean; definition: RuleDefinition }[] = [
  {
    key: 'enterprise-usage-negative',
    enabled: true,
    definition: {
      name: 'Enterprise: usage down ≥ 40% over 30 days and ≥ 2 negative support interactions',
      description: "The seed's example threshold.",
      scope: { segments: ['enterprise'] },
      match: 'all',
      conditions: [
        {
          match: 'any',
          conditions: [
            { signal: 'usage_drop_30d', op: '>=', value: 40 },
            { signal: 'login_drop_30d', op: '>=', value: 40 },
          ],
        },
        { signal: 'negative_tickets', op: '>=', value: 2 },
      ],
      cooldownDays: 30,
    },
  },
  {
    key: 'elevated-risk-score',
    enabled: true,
    definition: {
      name: 'Risk score 25 or more',
      description:
        'Any account whose escalation risk score reaches 25 (on the demo portfolio: about 1 account in 40 at any time, and the level most accounts reached in the weeks before an escalation).',
      match: 'all',
      conditions: [{ signal: 'risk_score', op: '>=', value: 25 }],
      cooldownDays: 30,
    },
  },
  {
    key: 'champion-left-before-renewal',
    enabled: false,
    definition: {
      name: 'Champion or sponsor left, renewal within 120 days',
      match: 'all',
      conditions: [
        { signal: 'champion_departed', op: '==', value: 1 },
        { signal: 'days_to_renewal', op: '<=', value: 120 },
      ],
      cooldownDays: 60,
    },
  },
  {
    key: 'competitor-and-negative',
    enabled: false,
    definition: {
      name: 'Competitor mention with negative support interactions',
      match: 'all',
      conditions: [
        { signal: 'competitor_mentions', op: '>=', value: 1 },
        {
          match: 'any',
          conditions: [
            { signal: 'negative_tickets', op: '>=', value: 1 },
            { signal: 'sentiment_trend', op: '<=', value: -0.3 },
          ],
        },
      ],
      cooldownDays: 45,
    },
  },
];

interface RuleDb {
  id: number;
  key: string;
  name: string;
  version: number;
  definition: string;
  enabled: number;
  builtin: number;
  updated_at: string;
  updated_by: string | null;
  open_flags: number;
}

const toRow = (r: RuleDb): RuleRow => ({
  id: r.id,
  key: r.key,
  name: r.name,
  version: r.version,
  enabled: r.enabled === 1,
  builtin: r.builtin === 1,
  definition: JSON.parse(r.definition) as RuleDefinition,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
  openFlags: r.open_flags ?? 0,
});

/** Inserts the default rules once per portfolio. */
export const ensureDefaultRules = (store: PortfolioStore, at: string): void => {
  if (store.get('SELECT 1 AS x FROM risk_config WHERE key = ?', ['rules_seeded'])) return;
  store.write((tx) => {
    for (const r of DEFAULT_RULES) {
      if (tx.get('SELECT 1 AS x FROM risk_rules WHERE key = ?', [r.key])) continue;
      const def = JSON.stringify(r.definition);
      const { lastInsertRowid } = tx.run(
        'INSERT INTO risk_rules(key, name, version, definition, enabled, builtin, created_at, updated_at, updated_by) VALUES (?, ?, 1, ?, ?, 1, ?, ?, ?)',
        [r.key, r.definition.name, def, r.enabled ? 1 : 0, at, at, 'bellwether'],
      );
      tx.run(
        'INSERT INTO risk_rule_versions(rule_id, version, definition, created_at, created_by) VALUES (?, 1, ?, ?, ?)',
        [lastInsertRowid, def, at, 'bellwether'],
      );
    }
    tx.run('INSERT INTO risk_config(key, value, updated_at) VALUES (?, ?, ?)', ['rules_seeded', '1', at]);
  });
};

const RULE_SELECT = `SELECT r.id, r.key, r.name, r.version, r.definition, r.enabled, r.builtin, r.updated_at, r.updated_by,
  (SELECT count(*) FROM risk_flags f WHERE f.rule_id = r.id AND f.status IN ('open','snoozed')) AS open_flags
  FROM risk_rules r`;

export const listRules = (store: PortfolioStore): RuleRow[] =>
  store.all<RuleDb>(`${RULE_SELECT} ORDER BY r.id`).map(toRow);

export const getRule = (store: PortfolioStore, id: number): RuleRow => {
  const r = store.get<RuleDb>(`${RULE_SELECT} WHERE r.id = ?`, [id]);
  if (!r) throw new CoreError('not_found', `no rule ${id}`, 'id');
  return toRow(r);
};

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'rule';

/** Creates a rule (id absent) or saves a new version of one (when its definition changed). */
export const saveRule = (
  store: PortfolioStore,
  args: { id?: number | undefined; definition: unknown; enabled?: boolean | undefined },
  config: RiskConfig,
  by: string | null,
  at: string,
): RuleRow => {
  const def = validateRule(args.definition, config);
  const json = JSON.stringify(def);
  const id = store.write((tx) => {
    if (args.id !== undefined) {
      const cur = tx.get<{ version: number; definition: string; enabled: number }>(
        'SELECT version, definition, enabled FROM risk_rules WHERE id = ?',
        [args.id],
      );
      if (!cur) throw new CoreError('not_found', `no rule ${args.id}`, 'id');
      const enabled = args.enabled === undefined ? cur.enabled : args.enabled ? 1 : 0;
      if (cur.definition === json) {
        tx.run('UPDATE risk_rules SET enabled = ?, updated_at = ?, updated_by = ? WHERE id = ?', [
          enabled,
          at,
          by,
          args.id,
        ]);
        return args.id;
      }
      const version = cur.version + 1;
      tx.run(
        'UPDATE risk_rules SET name = ?, version = ?, definition = ?, enabled = ?, updated_at = ?, updated_by = ? WHERE id = ?',
        [def.name, version, json, enabled, at, by, args.id],
      );
      tx.run(
        'INSERT INTO risk_rule_versions(rule_id, version, definition, created_at, created_by) VALUES (?, ?, ?, ?, ?)',
        [args.id, version, json, at, by],
      );
      return args.id;
    }
    let key = slug(def.name);
    for (let i = 2; tx.get('SELECT 1 AS x FROM risk_rules WHERE key = ?', [key]); i++)
      key = `${slug(def.name)}-${i}`;
    const { lastInsertRowid } = tx.run(
      'INSERT INTO risk_rules(key, name, version, definition, enabled, builtin, created_at, updated_at, updated_by) VALUES (?, ?, 1, ?, ?, 0, ?, ?, ?)',
      [key, def.name, json, args.enabled ? 1 : 0, at, at, by],
    );
    tx.run(
      'INSERT INTO risk_rule_versions(rule_id, version, definition, created_at, created_by) VALUES (?, 1, ?, ?, ?)',
      [lastInsertRowid, json, at, by],
    );
    return lastInsertRowid;
  });
  return getRule(store, id);
};

export const setRuleEnabled = (
  store: PortfolioStore,
  id: number,
  enabled: boolean,
  by: string | null,
  at: string,
): RuleRow => {
  const { changes } = store.write((tx) =>
    tx.run('UPDATE risk_rules SET enabled = ?, updated_at = ?, updated_by = ? WHERE id = ?', [
      enabled ? 1 : 0,
      at,
      by,
      id,
    ]),
  );
  if (changes === 0) throw new CoreError('not_found', `no rule ${id}`, 'id');
  return getRule(store, id);
};

export const enabledRules = (store: PortfolioStore): RuleRow[] =>
  store.all<RuleDb>(`${RULE_SELECT} WHERE r.enabled = 1 ORDER BY r.id`).map(toRow);
