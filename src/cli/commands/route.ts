import type { Core } from '../../main/core/core';
import { routeConfirmed } from '../../main/core/routing/escalate';
import { rankCandidates } from '../../main/core/routing/router';
import { CoreError } from '../../shared/result';
import { Flags, UsageError } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';
import { printEscalation } from './escalate';

export const requireRoutingSchema = (core: Core): void => {
  if (!core.store.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'sla_clocks'")) {
    throw new CoreError(
      'storage',
      'this portfolio has no routing tables (migration 005_routing is not registered in this build)',
    );
  }
};

export const routeCommand: CliCommand = {
  summary:
    'Rank candidate owners for an escalation (with the reason for each) and, unless it has an owner or --dry-run is given, assign it by policy and start its SLA clocks.',
  usage: 'bellwether route --db FILE --escalation ID [--dry-run] [--now ISO] [--json]',
  async run(args, io) {
    const f = new Flags('route', args);
    const json = f.bool('json');
    const dry = f.bool('dry-run');
    const raw = f.required('escalation');
    if (!/^\d+$/.test(raw))
      throw new UsageError(`route: --escalation must be an escalation id, got "${raw}"`);
    const id = Number(raw);
    const core = await openCoreFromFlags(f);
    try {
      requireRoutingSchema(core);
      const candidates = rankCandidates(core, id);
      const routed = dry ? null : routeConfirmed(core, id);
      if (json) printJson(io, { routing: candidates, escalation: routed });
      else {
        for (const c of candidates.candidates) {
          io.out(
            `${c.rank}. ${c.name} (${c.role}) score ${c.score}${c.fits ? '' : c.available ? ' [over capacity]' : ' [unavailable]'}`,
          );
          for (const x of c.factors) io.out(`     ${x.name}: ${x.reason}`);
        }
        if (candidates.warning) io.out(`Warning: ${candidates.warning}`);
        if (routed) printEscalation(io, routed);
      }
      return 0;
    } finally {
      core.close();
    }
  },
};
