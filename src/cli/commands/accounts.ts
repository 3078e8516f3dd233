import { Flags } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';

export const accountsCommand: CliCommand = {
  summary: "List the portfolio's accounts.",
  usage: 'bellwether accounts --db FILE [--search TEXT] [--json]',
  async run(args, io) {
    const f = new Flags('accounts', args);
    const json = f.bool('json');
    const search = f.string('search');
    const core = await openCoreFromFlags(f);
    try {
      const page = await core.call('accounts.list', { sort: 'name', ...(search ? { search } : {}) });
      if (json) printJson(io, page.rows);
      else
        for (const a of page.rows)
          io.out(`${a.id}\t${a.name}\t${a.segment}\t${Math.round(a.arr)}\t${a.renewalDate ?? ''}`);
      return 0;
    } finally {
      core.close();
    }
  },
};
