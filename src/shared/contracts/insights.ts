/** Monitor, measure, improve (issue 9): effectiveness metrics, patterns, recommended rule changes, the monthly review. */
import { z } from 'zod';
import { SEGMENTS } from '../domain';
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
  'insights.recommendations': {
    args: z.object({}).strict(),
    result: returns<RuleRecommendation[]>(),
  },
} as const;
