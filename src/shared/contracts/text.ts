import { z } from 'zod';
import type { AdapterReport, CorrectionRow } from '../../main/core/text/corrections';
import type { Intent } from '../../main/core/text/intents';
import type { AccountSentimentTrend, ScoreRunReport, TextSettings } from '../../main/core/text/scoring';
import type { ModelStatus, ScoredMessage } from '../../main/core/text/sentiment';
import type { TriageCategory, TriageSuggestion, TriageTrainReport } from '../../main/core/text/triage';
import { id, isoDate, returns } from './helpers';

const LABEL = z.enum(['positive', 'neutral', 'negative']);
const INTENT = z.enum(['frustration', 'churn', 'competitor', 'executive_legal', 'outage_defect']);

export interface TextStatus {
  model: ModelStatus;
  /** The active adaptive layer (trained on corrections), if any. */
  adapterVersion: number | null;
  /** The latest adapter training: accuracy on held-back corrections before / after, and whether it is on. */
  lastAdapterTraining: {
    version: number;
    at: string;
    active: boolean;
    metrics: Record<string, unknown>;
  } | null;
  settings: TextSettings;
  messages: { total: number; scored: number; unscored: number; byHuman: number };
  corrections: number;
  /** A rescore in progress, if any. */
  running: boolean;
}

/** Text intelligence: sentiment model and scoring, intents, corrections, triage. */
export const textContract = {
  'text.status': { args: z.object({}).strict(), result: returns<TextStatus>() },
  'text.setModelDir': {
    args: z.object({ dir: z.string().min(1).max(4096).nullable() }).strict(),
    result: returns<ModelStatus>(),
  },
  'text.setCompetitors': {
    args: z.object({ competitors: z.array(z.string().min(1).max(100)).max(500) }).strict(),
    result: returns<TextSettings>(),
  },
  'text.detectIntents': {
    args: z.object({ text: z.string().max(100_000) }).strict(),
    result: returns<Intent[]>(),
  },
  'sentiment.scoreTexts': {
    args: z.object({ texts: z.array(z.string().max(100_000)).min(1).max(5000) }).strict(),
    result: returns<ScoredMessage[]>(),
  },
  'sentiment.scoreNew': { args: z.object({}).strict(), result: returns<ScoreRunReport>() },
  'sentiment.rescoreAll': { args: z.object({}).strict(), result: returns<ScoreRunReport>() },
  'sentiment.cancel': { args: z.object({}).strict(), result: returns<{ cancelled: boolean }>() },
  'sentiment.trend': {
    args: z
      .object({
        accountId: id,
        asOf: isoDate.optional(),
        windowDays: z.number().int().min(1).max(365).optional(),
      })
      .strict(),
    result: returns<AccountSentimentTrend>(),
  },
  'sentiment.messageIntents': {
    args: z.object({ messageId: id }).strict(),
    result: returns<(Intent & { source: string })[]>(),
  },
  'corrections.add': {
    args: z
      .object({
        messageId: id,
        label: LABEL.optional(),
        intents: z.array(INTENT).max(5).optional(),
        by: z.string().min(1).max(200),
      })
      .strict(),
    result: returns<{ id: number }>(),
  },
  'corrections.list': {
    args: z.object({ limit: z.number().int().min(1).max(5000).optional() }).strict(),
    result: returns<CorrectionRow[]>(),
  },
  'corrections.trainAdapter': { args: z.object({}).strict(), result: returns<AdapterReport>() },
  'corrections.disableAdapter': { args: z.object({}).strict(), result: returns<{ ok: true }>() },
  'triage.categories': { args: z.object({}).strict(), result: returns<TriageCategory[]>() },
  'triage.setCategories': {
    args: z
      .object({
        categories: z
          .array(
            z.object({
              id: z.string().min(1).max(60),
              label: z.string().min(1).max(120),
              keywords: z.array(z.string().min(1).max(60)).max(200),
            }),
          )
          .min(2)
          .max(50),
      })
      .strict(),
    result: returns<TriageCategory[]>(),
  },
  'triage.suggest': {
    args: z.object({ escalationIds: z.array(id).max(20000).optional() }).strict(),
    result: returns<{ id: number; suggestion: TriageSuggestion }[]>(),
  },
  'triage.decide': {
    args: z
      .object({
        escalationId: id,
        category: z.string().min(1).max(60),
        severity: z.string().min(1).max(30),
        by: z.string().min(1).max(200),
      })
      .strict(),
    result: returns<{ ok: true }>(),
  },
  'triage.train': { args: z.object({}).strict(), result: returns<TriageTrainReport>() },
} as const;
