import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { labelSources } from '../../main/core/brief/brief';
import { planToMarkdown } from '../../main/core/brief/markdown';
import {
  generatePlan,
  latestPlan,
  planCitations,
  planKey,
  savePlanVersion,
} from '../../main/core/brief/plan';
import { briefDeps } from '../../main/core/brief/risk-source';
import type { PlanVersion } from '../../shared/brief-types';
import { Flags, UsageError } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';
import { resolveAccount } from './brief';

export const planCommand: CliCommand = {
  summary:
    "Print an account's action plan: the latest saved version, or a fresh draft (saved as a new version with --save).",
  usage:
    'bellwether plan --db FILE --account NAME|ID [--escalation ID] [--format md|json] [--save [--author NAME]] [--out FILE]',
  async run(args, io) {
    const f = new Flags('plan', args);
    const account = f.string('account');
    const escalation = f.int('escalation');
    const format = f.string('format') ?? 'md';
    const save = f.bool('save');
    const author = f.string('author') ?? 'bellwether-cli';
    const out = f.string('out');
    if (!['md', 'json'].includes(format))
      throw new UsageError(`plan: --format must be md or json, got "${format}"`);
    if (account === undefined && escalation === undefined)
      throw new UsageError('plan: --account (or --escalation) is required');
    const core = await openCoreFromFlags(f);
    try {
      const accountId = account !== undefined ? resolveAccount(core, account) : undefined;
      const req = {
        ...(accountId !== undefined ? { accountId } : {}),
        ...(escalation !== undefined ? { escalationId: escalation } : {}),
      };
      const key = planKey(core.store, req);
      let plan: PlanVersion | null = save ? null : latestPlan(core.store, key);
      if (!plan) {
        const body = generatePlan(core.store, req, core.now(), briefDeps(core)).plan;
        if (save)
          plan = savePlanVersion(
            core.store,
            key,
            body,
            author,
            core.now(),
            latestPlan(core.store, key)?.version ?? null,
          );
        else
          plan = {
            id: 0,
            ...key,
            version: 0,
            author: 'draft (not saved)',
            createdAt: core.now().toISOString(),
            body,
          };
      }
      const content =
        format === 'json'
          ? `${JSON.stringify(plan, null, 2)}\n`
          : planToMarkdown(plan, labelSources(core.store, planCitations(plan.body)));
      if (out) {
        writeFileSync(resolve(out), content);
        io.out(`plan for ${plan.body.accountName} (version ${plan.version}) written to ${resolve(out)}`);
      } else if (format === 'json') printJson(io, plan);
      else io.out(content.trimEnd());
      return 0;
    } finally {
      core.close();
    }
  },
};
