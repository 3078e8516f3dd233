import { readFileSync } from 'node:fs';
import type { BacktestResult } from '../../shared/risk-types';
import { Flags, UsageError } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

const line = (r: BacktestResult) =>
  `${r.rule.name}${r.rule.version ? ` (v${r.rule.version})` : ''}: ${r.flags} flags on ${r.accountsFlagged} accounts, ` +
  `precision ${pct(r.precision)} (${r.truePositives} followed by an escalation within ${r.horizonDays} days, ${r.pending} pending), ` +
  `recall ${pct(r.recall)} (${r.caught}/${r.escalations} escalations), median lead ${r.medianLeadDays ?? 'n/a'} days`;

export const backtestCommand: CliCommand = {
  summary: 'Replay a rule (a JSON file, a stored rule id, or every stored rule) over the stored history.',
  usage:
    'bellwether backtest --db FILE [--rule FILE.json | --rule-id N] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--step DAYS] [--horizon DAYS] [--now ISO] [--json]',
  async run(args, io) {
    const f = new Flags('backtest', args);
    const json = f.bool('json');
    const ruleFile = f.string('rule');
    const ruleId = f.int('rule-id');
    const from = f.string('from');
    const to = f.string('to');
    const step = f.int('step');
    const horizon = f.int('horizon');
    if (ruleFile && ruleId !== undefined)
      throw new UsageError('backtest: give --rule or --rule-id, not both');
    let definition: unknown;
    if (ruleFile) {
      try {
        definition = JSON.parse(readFileSync(ruleFile, 'utf8'));
      } catch (e) {
        throw new UsageError(`backtest: cannot read ${ruleFile}: ${(e as Error).message}`);
      }
    }
    const core = await openCoreFromFlags(f);
    try {
      const common = {
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(step !== undefined ? { stepDays: step } : {}),
        ...(horizon !== undefined ? { horizonDays: horizon } : {}),
      };
      const results: BacktestResult[] = [];
      if (definition !== undefined)
        results.push(await core.call('risk.rules.backtest', { definition, ...common }));
      else if (ruleId !== undefined)
        results.push(await core.call('risk.rules.backtest', { id: ruleId, ...common }));
      else {
        for (const r of await core.call('risk.rules.list', {}))
          results.push(await core.call('risk.rules.backtest', { id: r.id, ...common }));
      }
      if (json) printJson(io, definition !== undefined || ruleId !== undefined ? results[0] : results);
      else for (const r of results) io.out(line(r));
      return 0;
    } finally {
      core.close();
    }
  },
};
