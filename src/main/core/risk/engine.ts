/**
 * Scoring runs: the full portfolio rescore (a few grouped queries, one durable write), the incremental
 * rescore of one account, and the per-account breakdown with history and "what changed since last week".
 *
 * A rescore stores, per account, the score in force (`risk_current`), one history row per day
 * (`risk_score_history`), and raises flags for the enabled rules (one open flag per account and rule; no new
 * flag within the rule's cooldown; snoozed flags come back when the snooze expires). Manual overrides are read,
 * never written, here: the computed score is stored next to the override's so both stay visible.
 */
import type { Priority } from '../../../shared/domain';
import { CoreError } from '../../../shared/result';
import type {
  AccountRisk,
  AccountSignals,
  FactorContribution,
  RescoreSummary,
  RiskConfig,
  RiskOverride,
  RuleRow,
  ScoreChange,
  ScoreHistoryPoint,
} from '../../../shared/risk-types';
import type { Core } from '../core';
import type { SqlValue } from '../db/engine';
import type { Tx } from '../db/store';
import { DAY_MS, isoDate } from '../time';
import { loadConfig } from './config';
import { listFlags } from './flags';
import { computePriority, type PriorityResult } from './priority';
import { enabledRules, ensureDefaultRules, ruleMatches, ruleSignals } from './rules';
import { type ScoreResult, scoreSignals } from './scoring';
import { computeSignals, computeSignalsBatch } from './signals';

/** A source of calibrated escalation probabilities (issue 5 plugs its model in here). */
export type ModelProvider = (
  accountIds: readonly number[],
  asOf: Date,
  /** The signals the rescore computed as of `asOf`, for providers that build their features from them. */
  signals?: ReadonlyMap<number, AccountSignals>,
) => Map<number, number>;
const modelProviders = new WeakMap<Core, ModelProvider>();

export const setModelProvider = (core: Core, provider: ModelProvider | null): void => {
  if (provider) modelProviders.set(core, provider);
  else modelProviders.delete(core);
};

export interface Evaluated {
  signals: AccountSignals;
  result: ScoreResult;
  computed: PriorityResult;
  override: RiskOverride | null;
  score: number;
  priority: Priority;
}

interface OverrideDb {
  id: number;
  account_id: number;
  score: number;
  priority: Priority | null;
  reason: string;
  set_by: string;
  set_at: string;
  expires_at: string | null;
}

const toOverride = (r: OverrideDb): RiskOverride => ({
  id: r.id,
  score: r.score,
  priority: r.priority,
  reason: r.reason,
  setBy: r.set_by,
  setAt: r.set_at,
  expiresAt: r.expires_at,
});

/** Overrides in force at `now` (not cleared, not expired), the latest per account. */
export const activeOverrides = (
  core: Core,
  now: Date,
  accountIds?: readonly number[] | null,
): Map<number, RiskOverride> => {
  const nowIso = now.toISOString();
  const one = accountIds && accountIds.length === 1;
  const rows = core.store.all<OverrideDb>(
    `SELECT id, account_id, score, priority, reason, set_by, set_at, expires_at FROM risk_overrides
     WHERE cleared_at IS NULL AND (expires_at IS NULL OR expires_at > ?)${one ? ' AND account_id = ?' : ''} ORDER BY id`,
    one ? [nowIso, accountIds[0]!] : [nowIso],
  );
  const out = new Map<number, RiskOverride>();
  for (const r of rows) out.set(r.account_id, toOverride(r));
  return out;
};

/** Scores and prioritizes a set of accounts' signals. */
export const evaluateSignals = (
  core: Core,
  signals: Map<number, AccountSignals>,
  config: RiskConfig,
  now: Date,
  overrides: Map<number, RiskOverride>,
): Map<number, Evaluated> => {
  const provider = modelProviders.get(core);
  const probs = provider ? provider([...signals.keys()], now, signals) : null;
  const out = new Map<number, Evaluated>();
  for (const [id, s] of signals) {
    const result = scoreSignals({ signals: s, config, modelProbability: probs?.get(id) ?? null });
    const computed = computePriority(
      { score: result.score, account: s.account, daysToRenewal: s.values.days_to_renewal ?? null },
      config.priority,
    );
    const o = overrides.get(id) ?? null;
    let priority = computed.priority;
    if (o) {
      priority =
        o.priority ??
        computePriority(
          { score: o.score, account: s.account, daysToRenewal: s.values.days_to_renewal ?? null },
          config.priority,
        ).priority;
    }
    out.set(id, { signals: s, result, computed, override: o, score: o ? o.score : result.score, priority });
  }
  return out;
};

const compactFactors = (factors: readonly FactorContribution[]) =>
  factors
    .filter((f) => f.points > 0)
    .sort((a, b) => b.points - a.points)
    .map((f) => ({ k: f.key, l: f.label, p: f.points, d: f.detail }));

interface FlagState {
  open: number;
  last: string;
}

const flagStates = (core: Core, accountIds: readonly number[] | null): Map<string, FlagState> => {
  const one = accountIds && accountIds.length === 1;
  const rows = core.store.all<{ a: number; r: number; open: number; last: string }>(
    `SELECT account_id AS a, rule_id AS r, sum(status IN ('open','snoozed')) AS open,
            max(max(raised_at, coalesce(decided_at, ''))) AS last
     FROM risk_flags${one ? ' WHERE account_id = ?' : ''} GROUP BY account_id, rule_id`,
    one ? [accountIds[0]!] : [],
  );
  return new Map(rows.map((r) => [`${r.a}:${r.r}`, { open: r.open, last: r.last }]));
};

interface NewFlag {
  accountId: number;
  rule: RuleRow;
  score: number;
  priority: Priority;
}

/** Which enabled rules would raise a new flag now (dedupe, cooldown, open escalations respected). */
const newFlags = (
  core: Core,
  evaluated: Map<number, Evaluated>,
  rules: RuleRow[],
  now: Date,
  ids: readonly number[] | null,
): NewFlag[] => {
  if (rules.length === 0) return [];
  const states = flagStates(core, ids);
  const out: NewFlag[] = [];
  for (const [id, e] of evaluated) {
    if (e.signals.values.open_escalation === 1) continue;
    const values = { ...e.signals.values, risk_score: e.result.score };
    for (const rule of rules) {
      if (!ruleMatches(rule.definition, e.signals.account, values)) continue;
      const st = states.get(`${id}:${rule.id}`);
      if (st && st.open > 0) continue;
      if (st?.last && now.getTime() - Date.parse(st.last) < rule.definition.cooldownDays * DAY_MS) continue;
      out.push({ accountId: id, rule, score: e.score, priority: e.priority });
    }
  }
  return out;
};

const CURRENT_COLS = '(account_id, computed_at, as_of, score, computed_score, priority, factors)';
const CURRENT_ROW = '(?, ?, ?, ?, ?, ?, ?)';
const CURRENT_UPSERT = `ON CONFLICT(account_id) DO UPDATE SET computed_at = excluded.computed_at, as_of = excluded.as_of,
  score = excluded.score, computed_score = excluded.computed_score, priority = excluded.priority, factors = excluded.factors`;
/** Rows per multi-row upsert: one prepared statement (constant text, cached), values bound, no JSON to parse. */
const BATCH = 64;
const UPSERT_BATCH = `INSERT INTO risk_current${CURRENT_COLS} VALUES ${Array(BATCH).fill(CURRENT_ROW).join(', ')} ${CURRENT_UPSERT}`;
const UPSERT_ONE = `INSERT INTO risk_current${CURRENT_COLS} VALUES ${CURRENT_ROW} ${CURRENT_UPSERT}`;

/**
 * Stores the scores: `risk_current` rows whose score, priority or factors changed are upserted (unchanged rows
 * only get the new `computed_at`/`as_of`, in one statement), then the day's history row is copied from them.
 * All in the caller's transaction, so a rescore is one journal record however many accounts it touches.
 */
const writeScores = (tx: Tx, evaluated: Map<number, Evaluated>, now: Date): void => {
  if (evaluated.size === 0) return;
  const nowIso = now.toISOString();
  const day = isoDate(now);
  const ids = JSON.stringify([...evaluated.keys()]);
  const stored = new Map(
    tx
      .all<{ a: number; s: number; c: number; p: string; f: string }>(
        `SELECT account_id AS a, score AS s, computed_score AS c, priority AS p, factors AS f FROM risk_current
         WHERE account_id IN (SELECT value FROM json_each(?))`,
        [ids],
      )
      .map((r) => [r.a, r]),
  );
  const changed: SqlValue[] = [];
  let n = 0;
  for (const [a, e] of evaluated) {
    const factors = JSON.stringify(compactFactors(e.result.factors));
    const old = stored.get(a);
    if (old && old.s === e.score && old.c === e.result.score && old.p === e.priority && old.f === factors)
      continue;
    changed.push(a, nowIso, nowIso, e.score, e.result.score, e.priority, factors);
    if (++n === BATCH) {
      tx.run(UPSERT_BATCH, changed);
      changed.length = 0;
      n = 0;
    }
  }
  for (let i = 0; i < changed.length; i += 7) tx.run(UPSERT_ONE, changed.slice(i, i + 7));
  tx.run(
    `UPDATE risk_current SET computed_at = ?, as_of = ?
     WHERE account_id IN (SELECT value FROM json_each(?)) AND computed_at IS NOT ?`,
    [nowIso, nowIso, ids, nowIso],
  );
  // History: the same rows, copied inside the database (no second copy of the values in the journal).
  const small = evaluated.size <= 50;
  tx.run(
    `INSERT INTO risk_score_history(account_id, day, score, computed_score, priority, factors)
     SELECT account_id, ?, score, computed_score, priority, factors FROM risk_current
     WHERE ${small ? 'account_id IN (SELECT value FROM json_each(?))' : 'computed_at = ?'}
     ON CONFLICT(account_id, day) DO UPDATE SET score = excluded.score, computed_score = excluded.computed_score,
       priority = excluded.priority, factors = excluded.factors
     WHERE score IS NOT excluded.score OR computed_score IS NOT excluded.computed_score
       OR priority IS NOT excluded.priority OR factors IS NOT excluded.factors`,
    [day, small ? ids : nowIso],
  );
};

const insertFlags = (tx: Tx, flags: NewFlag[], evidence: Map<number, AccountSignals>, now: Date): void => {
  const nowIso = now.toISOString();
  for (const f of flags) {
    const s = evidence.get(f.accountId);
    const refs = s ? [...new Set(ruleSignals(f.rule.definition).flatMap((k) => s.evidence[k] ?? []))] : [];
    tx.run(
      `INSERT INTO risk_flags(account_id, rule_id, rule_version, raised_at, status, score, priority, evidence)
       VALUES (?, ?, ?, ?, 'open', ?, ?, ?)`,
      [
        f.accountId,
        f.rule.id,
        f.rule.version,
        nowIso,
        f.score,
        f.priority,
        JSON.stringify(refs.slice(0, 50)),
      ],
    );
  }
};

export interface RescoreOptions {
  accountIds?: readonly number[] | null;
  /** Progress reporting for the full rescore (also emitted on the bus as `progress`). */
  task?: string;
}

/** Rescores the given accounts (default: every active account) as of `core.now()`. */
export const rescore = (core: Core, opts: RescoreOptions = {}): RescoreSummary => {
  const t0 = performance.now();
  const now = core.now();
  const ids = opts.accountIds ?? null;
  const task = opts.task ?? 'risk.rescore';
  const progress = (done: number, label: string, finished = false) => {
    // Progress for the portfolio-wide run only: incremental rescores are too small to report.
    if (!ids) core.bus.emit('progress', { task, done, total: 4, label, ...(finished ? { finished } : {}) });
  };
  ensureDefaultRules(core.store, now.toISOString());
  const config = loadConfig(core.store);
  progress(0, 'reading signals');
  const single = ids !== null && ids.length <= 5;
  const signals = computeSignalsBatch(core.store, now, config, { accountIds: ids, evidence: single });
  progress(1, 'scoring');
  const evaluated = evaluateSignals(core, signals, config, now, activeOverrides(core, now, ids));
  progress(2, 'evaluating rules');
  const rules = enabledRules(core.store);
  const flags = newFlags(core, evaluated, rules, now, ids);
  const evidence = single
    ? signals
    : flags.length > 0
      ? computeSignalsBatch(core.store, now, config, {
          accountIds: [...new Set(flags.map((f) => f.accountId))],
          evidence: true,
        })
      : new Map<number, AccountSignals>();
  progress(3, 'saving');
  core.store.write((tx) => {
    tx.run("UPDATE risk_flags SET status = 'open' WHERE status = 'snoozed' AND snoozed_until <= ?", [
      now.toISOString(),
    ]);
    if (!ids)
      tx.run(
        "DELETE FROM risk_current WHERE account_id NOT IN (SELECT id FROM accounts WHERE status = 'active')",
      );
    writeScores(tx, evaluated, now);
    insertFlags(tx, flags, evidence, now);
  });
  const byPriority: Record<Priority, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const e of evaluated.values()) byPriority[e.priority]++;
  progress(4, 'done', true);
  core.bus.emit('data.changed', {
    entities: ['risk_scores', ...(flags.length > 0 ? ['risk_flags'] : [])],
    ...(ids ? { accountIds: [...ids] } : {}),
  });
  return {
    accounts: evaluated.size,
    flagsRaised: flags.length,
    asOf: now.toISOString(),
    ms: Math.round(performance.now() - t0),
    byPriority,
  };
};

export const rescoreAll = (core: Core): RescoreSummary => rescore(core, {});

/** Incremental: rescoring one account after a new ticket or usage point (a few indexed queries). */
export const rescoreAccount = (core: Core, accountId: number): RescoreSummary =>
  rescore(core, { accountIds: [accountId] });

/** Scores as stored by the last rescore; runs a full rescore first when nothing has been scored yet. */
/**
 * Rescores the whole portfolio when the stored scores are from an earlier day than the core's clock (UTC), so
 * scores follow the calendar (days to renewal, windows) without a new record. False when there was nothing to do
 * (scores from today, or never scored: the first page that needs them scores them).
 */
export const rescoreIfNewDay = (core: Core): boolean => {
  // The oldest score of an active account: one account rescored today (a new ticket) must not hide the rest.
  const last =
    core.store.get<{ d: string | null }>(
      "SELECT min(c.as_of) AS d FROM risk_current c JOIN accounts a ON a.id = c.account_id WHERE a.status = 'active'",
    )?.d ?? null;
  if (last === null || last.slice(0, 10) >= core.now().toISOString().slice(0, 10)) return false;
  rescoreAll(core);
  return true;
};

export const ensureScored = (core: Core): void => {
  const scored = core.store.get<{ n: number }>('SELECT count(*) AS n FROM risk_current')?.n ?? 0;
  if (scored > 0) return;
  const accounts =
    core.store.get<{ n: number }>("SELECT count(*) AS n FROM accounts WHERE status = 'active'")?.n ?? 0;
  if (accounts > 0) rescoreAll(core);
};

const evaluateOne = (
  core: Core,
  accountId: number,
  at: Date,
  config: RiskConfig,
  overrides: Map<number, RiskOverride>,
) => {
  const s = computeSignals(core.store, accountId, at, config);
  if (!s) return null;
  return evaluateSignals(core, new Map([[accountId, s]]), config, at, overrides).get(accountId) ?? null;
};

/** The full breakdown of one account: factors with evidence, what changed in a week, history, flags. */
export const accountRisk = (core: Core, accountId: number): AccountRisk => {
  const now = core.now();
  const config = loadConfig(core.store);
  const overrides = activeOverrides(core, now, [accountId]);
  const e = evaluateOne(core, accountId, now, config, overrides);
  if (!e) throw new CoreError('not_found', `no account ${accountId}`, 'accountId');
  const weekAgo = new Date(now.getTime() - 7 * DAY_MS);
  const before = evaluateOne(core, accountId, weekAgo, config, new Map());
  const beforeByKey = new Map((before?.result.factors ?? []).map((f) => [f.key, f.points]));
  const changes: ScoreChange[] = e.result.factors
    .map((f) => {
      const b = beforeByKey.get(f.key) ?? 0;
      return {
        key: f.key,
        label: f.label,
        before: b,
        after: f.points,
        delta: Math.round((f.points - b) * 10) / 10,
      };
    })
    .filter((c) => c.delta !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));

  // Stored history, completed with weekly replays for the last 12 weeks where nothing was stored.
  const stored = core.store.all<{ day: string; score: number; computed_score: number; priority: Priority }>(
    'SELECT day, score, computed_score, priority FROM risk_score_history WHERE account_id = ? AND day >= ? ORDER BY day',
    [accountId, isoDate(new Date(now.getTime() - 365 * DAY_MS))],
  );
  const history: ScoreHistoryPoint[] = stored.map((r) => ({
    day: r.day,
    score: r.score,
    computedScore: r.computed_score,
    priority: r.priority,
    kind: 'stored',
  }));
  const storedDays = stored.map((r) => Date.parse(r.day));
  for (let w = 12; w >= 1; w--) {
    const at = new Date(now.getTime() - w * 7 * DAY_MS);
    const t = Date.parse(isoDate(at));
    if (storedDays.some((d) => Math.abs(d - t) < 3.5 * DAY_MS)) continue;
    const r = evaluateOne(core, accountId, at, config, new Map());
    if (r)
      history.push({
        day: isoDate(at),
        score: r.result.score,
        computedScore: r.result.score,
        priority: r.computed.priority,
        kind: 'replayed',
      });
  }
  if (!history.some((h) => h.day === isoDate(now))) {
    history.push({
      day: isoDate(now),
      score: e.score,
      computedScore: e.result.score,
      priority: e.priority,
      kind: 'replayed',
    });
  }
  history.sort((a, b) => a.day.localeCompare(b.day));

  const dtr = e.signals.values.days_to_renewal ?? null;
  return {
    accountId,
    accountName: e.signals.account.name,
    asOf: now.toISOString(),
    score: e.score,
    computedScore: e.result.score,
    priority: e.priority,
    computedPriority: e.computed.priority,
    priorityReason: e.override ? `Override by ${e.override.setBy}: ${e.override.reason}` : e.computed.reason,
    response: config.priority.response[e.priority],
    factors: [...e.result.factors].sort((a, b) => b.points - a.points),
    override: e.override,
    changes: { since: weekAgo.toISOString(), scoreBefore: before?.result.score ?? 0, factors: changes },
    history,
    signals: e.signals,
    flags: listFlags(core, { accountId }),
    arr: e.signals.account.arr,
    arrAtRisk: Math.round((e.signals.account.arr * e.score) / 100),
    daysToRenewal: dtr,
  };
};
