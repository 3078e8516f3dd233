import { tick } from '../../main/core/routing/automations';
import { Flags } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';
import { requireRoutingSchema } from './route';

export const tickCommand: CliCommand = {
  summary:
    'Run the automations (SLA warnings and breaches, escalation-path steps, daily digests) due up to --now (default: now), catching up on anything missed, then deliver the notification outbox; print what was done.',
  usage: 'bellwether tick --db FILE [--now ISO] [--no-deliver] [--json]',
  async run(args, io) {
    const f = new Flags('tick', args);
    const json = f.bool('json');
    const noDeliver = f.bool('no-deliver');
    const core = await openCoreFromFlags(f);
    try {
      requireRoutingSchema(core);
      const report = await tick(core, core.now(), { deliver: !noDeliver });
      if (json) printJson(io, report);
      else {
        io.out(
          `tick at ${report.now}${report.caughtUpFrom ? ` (previous tick ${report.caughtUpFrom})` : ''}: ${report.actions.length} action(s)`,
        );
        for (const a of report.actions) io.out(`  ${a.at}  ${a.kind}  ${a.text}`);
        if (report.delivery) {
          const d = report.delivery;
          io.out(
            `outbox: ${d.sent} sent, ${d.retrying} will retry, ${d.failed} failed, ${d.unknown} need review`,
          );
        }
      }
      return 0;
    } finally {
      core.close();
    }
  },
};
