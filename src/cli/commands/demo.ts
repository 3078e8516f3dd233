import { Flags } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';

export const demoCommand: CliCommand = {
  summary: 'Create (or recreate) the demo portfolio in FILE.',
  usage: 'bellwether demo --db FILE [--seed N] [--accounts N] [--as-of YYYY-MM-DD] [--json]',
  async run(args, io) {
    const f = new Flags('demo', args);
    const seed = f.int('seed');
    const accounts = f.int('accounts');
    const asOf = f.string('as-of');
    const json = f.bool('json');
    const core = await openCoreFromFlags(f, { create: true });
    try {
      const info = await core.call('portfolio.createDemo', {
        ...(seed !== undefined ? { seed } : {}),
        ...(accounts !== undefined ? { accounts } : {}),
        ...(asOf !== undefined ? { asOf } : {}),
      });
      if (json) printJson(io, info);
      else
        io.out(`demo portfolio with ${info.accounts} accounts written to ${info.path} (as of ${info.asOf})`);
      return 0;
    } finally {
      core.close();
    }
  },
};
