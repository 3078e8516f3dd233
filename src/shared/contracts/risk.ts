/** The risk engine's handlers: signals, rules and backtests, scores and overrides, the queue and flags, the heatmap. */
import { z } from 'zod';
import { PRIORITIES } from '../domain';
import {
  type AccountRisk,
  type BacktestResult,
  type ConfirmFlagResult,
  FLAG_STATUSES,
  type FlagRow,
  HEATMAP_COLS,
  HEATMAP_ROWS,
  type Heatmap,
  QUEUE_SORTS,
  type QueueItem,
  type RescoreSummary,
  type RiskConfig,
  type RiskOverride,
  type RuleProblem,
  type RuleRow,
  type SignalInfo,
} from '../risk-types';
import { id, isoDate, isoDateTime, returns } from './helpers';

const who = z.string().trim().min(1, 'say who').max(200);
const reason = z.string().trim().min(1, 'a reason is required').max(2000);
const dateOrTime = z.union([isoDate, isoDateTime]);

export const riskContract = {
  'risk.signals.catalog': { args: z.object({}).strict(), result: returns<SignalInfo[]>() },
  'risk.config.get': { args: z.object({}).strict(), result: returns<RiskConfig>() },
  'risk.config.save': {
    args: z.object({ config: z.record(z.string(), z.unknown()), updatedBy: who.optional() }).strict(),
    result: returns<RiskConfig>(),
  },
  'risk.rescoreAll': { args: z.object({}).strict(), result: returns<RescoreSummary>() },
  'risk.rescoreAccount': { args: z.object({ accountId: id }).strict(), result: returns<RescoreSummary>() },
  'risk.queue': {
    args: z
      .object({
        sort: z.enum(QUEUE_SORTS).optional(),
        includeSnoozed: z.boolean().optional(),
        limit: z.number().int().min(1).max(20000).optional(),
      })
      .strict(),
    result: returns<QueueItem[]>(),
  },
  'risk.account': { args: z.object({ accountId: id }).strict(), result: returns<AccountRisk>() },
  'risk.heatmap': {
    args: z.object({ rows: z.enum(HEATMAP_ROWS).optional(), cols: z.enum(HEATMAP_COLS).optional() }).strict(),
    result: returns<Heatmap>(),
  },
  'risk.rules.list': { args: z.object({}).strict(), result: returns<RuleRow[]>() },
  'risk.rules.validate': {
    args: z.object({ definition: z.unknown() }).strict(),
    result: returns<{ ok: boolean; problems: RuleProblem[] }>(),
  },
  'risk.rules.save': {
    args: z
      .object({
        id: id.optional(),
        definition: z.unknown(),
        enabled: z.boolean().optional(),
        updatedBy: who.optional(),
      })
      .strict(),
    result: returns<RuleRow>(),
  },
  'risk.rules.enable': {
    args: z.object({ id, enabled: z.boolean(), updatedBy: who.optional() }).strict(),
    result: returns<RuleRow>(),
  },
  'risk.rules.backtest': {
    args: z
      .object({
        id: id.optional(),
        definition: z.unknown().optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        stepDays: z.number().int().min(1).max(90).optional(),
        horizonDays: z.number().int().min(1).max(365).optional(),
      })
      .strict(),
    result: returns<BacktestResult>(),
  },
  'risk.override.set': {
    args: z
      .object({
        accountId: id,
        score: z.number().min(0).max(100),
        priority: z.enum(PRIORITIES).optional(),
        reason,
        setBy: who,
        expiresAt: dateOrTime.optional(),
      })
      .strict(),
    result: returns<RiskOverride>(),
  },
  'risk.override.clear': {
    args: z.object({ accountId: id, clearedBy: who }).strict(),
    result: returns<{ cleared: number }>(),
  },
  'risk.flags.list': {
    args: z
      .object({
        accountId: id.optional(),
        statuses: z.array(z.enum(FLAG_STATUSES)).max(4).optional(),
        limit: z.number().int().min(1).max(100000).optional(),
      })
      .strict(),
    result: returns<FlagRow[]>(),
  },
  'risk.flags.confirm': {
    args: z.object({ flagId: id, decidedBy: who, note: z.string().max(2000).optional() }).strict(),
    result: returns<ConfirmFlagResult>(),
  },
  'risk.flags.dismiss': {
    args: z.object({ flagId: id, decidedBy: who, reason, allForAccount: z.boolean().optional() }).strict(),
    result: returns<FlagRow[]>(),
  },
  'risk.flags.snooze': {
    args: z.object({ flagId: id, until: dateOrTime, reason, snoozedBy: who }).strict(),
    result: returns<FlagRow>(),
  },
} as const;
