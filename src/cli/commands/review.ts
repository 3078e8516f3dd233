import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildMonthlyReview } from '../../main/core/insights/review';
import { reviewToMarkdown } from '../../main/core/insights/review-md';
import { reviewToPdf } from '../../main/core/insights/review-pdf';
import { Flags, UsageError } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags } from '../open';

export const reviewCommand: CliCommand = {
  summary:
    'The monthly escalation review (what happened, metrics vs the previous month, patterns, rule changes) as Markdown or PDF.',
  usage: 'bellwether review --db FILE --month YYYY-MM [--format md|pdf] [--out FILE]',
  async run(args, io) {
    const f = new Flags('review', args);
    const month = f.required('month');
    const format = f.string('format') ?? 'md';
    const out = f.string('out');
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      throw new UsageError(`review: --month must be YYYY-MM, got "${month}"`);
    if (format !== 'md' && format !== 'pdf')
      throw new UsageError(`review: --format must be md or pdf, got "${format}"`);
    if (format === 'pdf' && !out) throw new UsageError('review: --format pdf needs --out FILE');
    const core = await openCoreFromFlags(f);
    try {
      const review = buildMonthlyReview(core, month);
      if (format === 'md') {
        const md = reviewToMarkdown(review);
        if (out) {
          writeFileSync(resolve(out), md);
          io.err(`wrote ${resolve(out)} (${Buffer.byteLength(md)} bytes)`);
        } else io.out(md);
        return 0;
      }
      const pdf = await reviewToPdf(review, core.now());
      writeFileSync(resolve(out!), pdf);
      io.err(`wrote ${resolve(out!)} (${pdf.length} bytes)`);
      return 0;
    } finally {
      core.close();
    }
  },
};
