/** Contract handlers for metrics, patterns, recommended rule changes and the monthly review (issue 9). */
import type { z } from 'zod';
import type { insightsContract } from '../../../shared/contracts/insights';
import type { HandlerMap } from '../api/registry';
import type { Core } from '../core';
import { computeMetrics } from './metrics';
import { recordOutcome } from './outcomes';
import { computePatterns } from './patterns';
import { recommendRuleChanges } from './recommendations';
import { buildMonthlyReview } from './review';
import { reviewToMarkdown } from './review-md';
import { reviewToPdf } from './review-pdf';

type C = typeof insightsContract;
type Args<K extends keyof C> = z.output<C[K]['args']>;
type Res<K extends keyof C> = C[K]['result'];
type InsightsHandlerMap = { [K in keyof C]: (args: Args<K>) => Res<K> | Promise<Res<K>> };

export const insightsHandlers = (core: Core): HandlerMap => {
  const map: InsightsHandlerMap = {
    'insights.metrics': (a) =>
      computeMetrics(core, {
        from: a.from,
        to: a.to,
        ...(a.segment ? { segment: a.segment } : {}),
        ...(a.horizonDays ? { horizonDays: a.horizonDays } : {}),
      }),
    'insights.patterns': (a) => computePatterns(core, a.from, a.to),
    'outcomes.record': (a) => recordOutcome(core, a),
    'insights.review': (a) => buildMonthlyReview(core, a.month),
    'insights.review.export': async (a) => {
      const review = buildMonthlyReview(core, a.month);
      const fileName = `bellwether-review-${a.month}.${a.format}`;
      if (a.format === 'md') {
        const text = reviewToMarkdown(review);
        return { format: 'md', fileName, bytes: Buffer.byteLength(text, 'utf8'), text };
      }
      const pdf = await reviewToPdf(review, core.now());
      return { format: 'pdf', fileName, bytes: pdf.length, base64: pdf.toString('base64') };
    },
    'insights.recommendations': () => recommendRuleChanges(core),
  };
  return map as unknown as HandlerMap;
};
