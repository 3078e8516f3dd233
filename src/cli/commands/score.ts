import { PRIORITIES } from '../../shared/domain';
import { QUEUE_SORTS, type QueueSort } from '../../shared/risk-types';
import { Flags, UsageError } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';

export const scoreCommand: CliCommand = {
  summary: 'Rescore every account and print the prioritized escalation queue (flagged accounts).',
  usage:
    'bellwether score --db FILE [--sort priority|score|arrAtRisk|daysToRenewal] [--limit N] [--now ISO] [--json]',
  async run(args, io) {
    const f = new Flags('score', args);
    const json = f.bool('json');
    const limit = f.int('limit');
    const sort = f.string('sort');
    if (sort !== undefined && !(QUEUE_SORTS as readonly string[]).includes(sort)) {
      throw new UsageError(`score: --sort must be one of ${QUEUE_SORTS.join(', ')}`);
    }
    if (limit !== undefined && limit < 1) throw new UsageError('score: --limit must be at least 1');
    const core = await openCoreFromFlags(f);
    try {
      const summary = await core.call('risk.rescoreAll', {});
      const items = await core.call('risk.queue', {
        ...(sort ? { sort: sort as QueueSort } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      const rows = items.map((q) => ({
        accountId: q.accountId,
        accountName: q.accountName,
        score: q.score,
        computedScore: q.computedScore,
        overridden: q.overridden,
        priority: q.priority,
        response: q.response.label,
        arr: q.arr,
        arrAtRisk: q.arrAtRisk,
        daysToRenewal: q.daysToRenewal,
        topFactors: q.topFactors.map((t) => ({
          key: t.key,
          label: t.label,
          points: t.points,
          detail: t.detail,
        })),
        flags: q.flags.map((fl) => ({
          id: fl.id,
          rule: fl.ruleName,
          ruleVersion: fl.ruleVersion,
          raisedAt: fl.raisedAt,
        })),
      }));
      if (json) {
        printJson(io, {
          asOf: summary.asOf,
          accountsScored: summary.accounts,
          flagsRaised: summary.flagsRaised,
          byPriority: summary.byPriority,
          queue: rows,
        });
        return 0;
      }
      io.out(
        `scored ${summary.accounts} accounts in ${summary.ms} ms; ${summary.flagsRaised} new flags; ` +
          PRIORITIES.map((p) => `${p} ${summary.byPriority[p]}`).join(', '),
      );
      for (const r of rows) {
        const factors = r.topFactors.map((t) => `${t.label} +${t.points}`).join('; ');
        io.out(
          `${r.priority.toUpperCase().padEnd(8)} ${String(r.score).padStart(3)}  ${r.accountName} (#${r.accountId})  ${factors}`,
        );
      }
      return 0;
    } finally {
      core.close();
    }
  },
};
