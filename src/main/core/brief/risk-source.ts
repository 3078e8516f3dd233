/**
 * Where the brief gets its risk score and its competitor list. The risk engine (src/main/core/risk: signals,
 * weights, priority matrix, overrides) and the text intelligence (src/main/core/text: competitor list and
 * intent spans) plug in here; when their tables are absent the brief's own signal readers are used.
 */
import type { RiskSummary } from '../../../shared/brief-types';
import type { Core } from '../core';
import { loadConfig } from '../risk/config';
import { activeOverrides, ensureScored, evaluateSignals } from '../risk/engine';
import { phraseRegex, computeSignals as riskSignals } from '../risk/signals';
import { detectIntents } from '../text/intents';
import { readTextSettings } from '../text/scoring';
import type { BriefDeps, RiskSummaryProvider } from './brief';
import { type CompetitorDetector, type CompetitorMention, detectCompetitorMentions } from './competitors';
import { computeSignals, fallbackRiskSummary } from './signals';

/** The risk engine's factor keys, renamed to the brief's signal ids where they mean the same thing. */
const FACTOR_ALIAS: Record<string, string> = {
  competitor: 'competitor_mention',
  negative_tickets: 'negative_sentiment',
  renewal: 'renewal_near',
  nps: 'nps_detractor',
};

const hasTable = (core: Core, name: string): boolean =>
  !!core.store.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", [name]);

/** The risk engine's explained score for one account at a moment, in the brief's shape. */
export const riskEngineProvider = (core: Core): RiskSummaryProvider | undefined => {
  if (!hasTable(core, 'risk_config')) return undefined;
  return (accountId, asOf): RiskSummary | null => {
    try {
      const config = loadConfig(core.store);
      const s = riskSignals(core.store, accountId, asOf, config);
      if (!s) return null;
      const e = evaluateSignals(
        core,
        new Map([[accountId, s]]),
        config,
        asOf,
        activeOverrides(core, asOf, [accountId]),
      ).get(accountId);
      if (!e) return null;
      return {
        score: Math.round(e.score),
        priority: e.priority,
        source: e.override
          ? `risk engine, manual override by ${e.override.setBy}: ${e.override.reason}`
          : 'risk engine',
        factors: e.result.factors
          .filter((f) => f.points > 0)
          .sort((a, b) => b.points - a.points)
          .map((f) => ({
            id: FACTOR_ALIAS[f.key] ?? f.key,
            label: f.label,
            points: Math.round(f.points * 10) / 10,
            detail: f.detail,
            citations: [...new Set(f.evidence)].filter((r) => /^[a-z_]+:\d+$/.test(r)),
          })),
      };
    } catch {
      // The brief must still be available when the risk engine fails: its own reading is used instead.
      return null;
    }
  };
};

/** Competitor mentions: the text intelligence's intent spans, named by the brief's reader where it can. */
export const combinedCompetitorDetector: CompetitorDetector = (text, competitors) => {
  const mine = detectCompetitorMentions(text, competitors);
  const theirs: CompetitorMention[] = detectIntents(text, { competitors })
    .filter((i) => i.kind === 'competitor')
    .map((i) => ({
      competitor: competitors.find((c) => i.text.toLowerCase().includes(c.toLowerCase())) ?? null,
      span: i.text,
      start: i.span[0],
      end: i.span[1],
    }));
  const out = [...mine];
  for (const t of theirs) if (!out.some((m) => t.start < m.end && t.end > m.start)) out.push(t);
  return out.sort((a, b) => a.start - b.start);
};

export const briefDeps = (core: Core): BriefDeps => {
  const competitors = new Set<string>();
  if (hasTable(core, 'text_settings'))
    for (const c of readTextSettings(core.store).competitors) competitors.add(c);
  const config = hasTable(core, 'risk_config') ? loadConfig(core.store) : null;
  for (const c of config?.competitors ?? []) competitors.add(c);
  const negRe = config ? phraseRegex(config.negativePhrases) : null;
  const risk = riskEngineProvider(core);
  return {
    competitors: [...competitors],
    detectCompetitors: combinedCompetitorDetector,
    ...(negRe ? { negativeText: (t: string) => negRe.test(t) } : {}),
    ...(risk ? { risk } : {}),
  };
};

/**
 * The 0-100 risk score of an account now (for the QBR heatmap): the risk engine's stored current score when
 * there is one, else its live evaluation, else the brief's own reading.
 */
export const riskScoreOf = (core: Core, deps: BriefDeps): ((accountId: number) => number) => {
  const stored = new Map<number, number>();
  if (hasTable(core, 'risk_current')) {
    ensureScored(core);
    for (const r of core.store.all<{ account_id: number; score: number }>(
      'SELECT account_id, score FROM risk_current',
    ))
      stored.set(r.account_id, r.score);
  }
  return (accountId) => {
    const s = stored.get(accountId);
    if (s !== undefined) return Math.round(s);
    const now = core.now();
    const r = deps.risk?.(accountId, now);
    return r ? r.score : fallbackRiskSummary(computeSignals(core.store, accountId, now, deps)).score;
  };
};

/** Accounts the risk engine currently scores at or above `min` (none when it has not scored anything). */
export const atRiskAccounts = (core: Core, min: number): number[] =>
  hasTable(core, 'risk_current')
    ? core.store
        .all<{ id: number }>(
          'SELECT account_id AS id FROM risk_current WHERE score >= ? ORDER BY account_id',
          [min],
        )
        .map((r) => r.id)
    : [];
