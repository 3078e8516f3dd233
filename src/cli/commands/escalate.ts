import { rescoreAccount } from '../../main/core/risk/engine';
import { confirmFlag } from '../../main/core/risk/flags';
import { escalateAccount, findAccount } from '../../main/core/routing/escalate';
import type { EscalateResult } from '../../shared/routing-types';
import { Flags } from '../args';
import type { CliCommand, CliIo } from '../main';
import { openCoreFromFlags, printJson } from '../open';
import { requireRoutingSchema } from './route';

export const printEscalation = (io: CliIo, r: EscalateResult): void => {
  io.out(`Escalation #${r.escalationId} — ${r.accountName} — ${r.priority.toUpperCase()}`);
  io.out(`Owner: ${r.ownerName ?? 'unassigned'}`);
  if (r.reason) io.out(`Why: ${r.reason}`);
  if (r.warning) io.out(`Warning: ${r.warning}`);
  for (const s of r.sla)
    io.out(`SLA ${s.kind}: due ${s.dueAt ?? 'paused'}${s.dueLocal ? ` (${s.dueLocal})` : ''}`);
  for (const p of r.path)
    io.out(`Path level ${p.level}: ${p.when} -> ${p.notify.join(', ')} at ${p.dueAt ?? '-'}`);
};

export const escalateCommand: CliCommand = {
  summary:
    "Confirm an account's open risk flag into an escalation as a leader would, route it, and print the owner, the routing reason, priority and SLA due times.",
  usage: 'bellwether escalate --db FILE --account NAME|ID [--by NAME] [--now ISO] [--json]',
  async run(args, io) {
    const f = new Flags('escalate', args);
    const json = f.bool('json');
    const accountRef = f.required('account');
    const by = f.string('by') ?? 'CS leader (CLI)';
    const core = await openCoreFromFlags(f);
    try {
      requireRoutingSchema(core);
      const account = findAccount(core, accountRef);
      const open = core.store.get<{ n: number }>(
        "SELECT count(*) AS n FROM risk_flags WHERE account_id = ? AND status IN ('open','snoozed')",
        [account.id],
      );
      // No flag yet (never scored, or scored before its signals arrived): score the account now.
      if (!open?.n) rescoreAccount(core, account.id);
      const result = await escalateAccount(core, String(account.id), by, (flagId, o) =>
        confirmFlag(core, flagId, o),
      );
      if (json) printJson(io, result);
      else printEscalation(io, result);
      return 0;
    } finally {
      core.close();
    }
  },
};
