/** Monitor, measure, improve (issue 9): effectiveness metrics, patterns, recommended rule changes, the monthly review. */
import { z } from 'zod';
import { OUTCOMES, SEGMENTS } from '../domain';
import type { Metrics, MonthlyReview, Patterns, RuleRecommendation } from '../insights-types';
import { isoDate, returns } from './helpers';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM');

export interface InsightsExport {
  format: 'md' | 'pdf';
  /** A suggested file name, e.g. bellwether-review-2026-11.pdf. */
  fileName: string;
  bytes: number;
  /** Markdown text (format md). */
  text?: string;
  /** The PDF's bytes, base64 (format pdf). */
  base64?: string;
}

export interface OutcomeRecorded {
  outcomeId: number;
  escalationId: number;
  status: 'closed';
  arrBefore: number;
  arrAfter: number;
  /** Whether recording this outcome started a retraining of the escalation model (every 10 new outcomes). */
  retrained: boolean;
}

export const insightsContract = {
  'insights.metrics': {
    args: z
      .object({
        from: isoDate,
        to: isoDate,
        segment: z.enum(SEGMENTS).optional(),
        horizonDays: z.number().int().min(1).max(365).optional(),
      })
      .strict(),
    result: returns<Metrics>(),
  },
  'insights.patterns': {
    args: z.object({ from: isoDate, to: isoDate }).strict(),
    result: returns<Patterns>(),
  },
  'insights.review': {
    args: z.object({ month }).strict(),
    result: returns<MonthlyReview>(),
  },
  'insights.review.export': {
    args: z.object({ month, format: z.enum(['md', 'pdf']) }).strict(),
    result: returns<InsightsExport>(),
  },
  'outcomes.record': {
    args: z
      .object({
        escalationId: z.number().int().positive(),
        outcome: z.enum(OUTCOMES),
        arrAfter: z.number().min(0).max(1e10),
        rootCause: z.string().trim().min(1, 'say what the root cause was').max(100),
        strategies: z
          .array(
            z.object({
              id: z.string().trim().min(1).max(100),
              effect: z.enum(['helped', 'no_effect', 'hurt']),
            }),
          )
          .max(20),
        resolvedAt: isoDate.optional(),
        notes: z.string().max(5000).optional(),
        recordedBy: z.string().trim().min(1, 'say who records the outcome').max(200),
      })
      .strict(),
    result: returns<OutcomeRecorded>(),
  },
  'insights.recommendations': {
    args: z.object({}).strict(),
    result: returns<RuleRecommendation[]>(),
  },
} as const;
