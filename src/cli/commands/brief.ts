import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildBrief, labelSources } from '../../main/core/brief/brief';
import { briefToMarkdown } from '../../main/core/brief/markdown';
import { briefToPdf } from '../../main/core/brief/pdf';
import { latestPlan, planCitations } from '../../main/core/brief/plan';
import { briefDeps } from '../../main/core/brief/risk-source';
import type { Core } from '../../main/core/core';
import { CoreError } from '../../shared/result';
import { Flags, UsageError } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';

/** Finds an account by id or by name (exact, case-insensitive; else a unique partial match). */
export const resolveAccount = (core: Core, ref: string): number => {
  if (/^\d+$/.test(ref)) {
    const row = core.store.get<{ id: number }>('SELECT id FROM accounts WHERE id = ?', [Number(ref)]);
    if (row) return row.id;
  }
  const exact = core.store.all<{ id: number }>(
    'SELECT id FROM accounts WHERE name = ? COLLATE NOCASE ORDER BY id',
    [ref],
  );
  if (exact.length === 1) return exact[0]!.id;
  if (exact.length > 1)
    throw new CoreError(
      'invalid_arguments',
      `${exact.length} accounts are named "${ref}"; use the id (${exact.map((r) => r.id).join(', ')})`,
      'account',
    );
  const like = `%${ref.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const partial = core.store.all<{ id: number; name: string }>(
    "SELECT id, name FROM accounts WHERE name LIKE ? ESCAPE '\\' ORDER BY name LIMIT 6",
    [like],
  );
  if (partial.length === 1) return partial[0]!.id;
  if (partial.length === 0) throw new CoreError('not_found', `no account matches "${ref}"`, 'account');
  throw new CoreError(
    'invalid_arguments',
    `"${ref}" matches several accounts: ${partial.map((p) => `${p.name} (${p.id})`).join(', ')}`,
    'account',
  );
};

export const briefCommand: CliCommand = {
  summary: 'Print the escalation brief of an account (every statement cites its records).',
  usage:
    'bellwether brief --db FILE --account NAME|ID [--escalation ID] [--format md|json|pdf] [--with-plan] [--out FILE]',
  async run(args, io) {
    const f = new Flags('brief', args);
    const account = f.string('account');
    const escalation = f.int('escalation');
    const format = f.string('format') ?? 'md';
    const withPlan = f.bool('with-plan');
    const out = f.string('out');
    if (!['md', 'json', 'pdf'].includes(format))
      throw new UsageError(`brief: --format must be md, json or pdf, got "${format}"`);
    if (account === undefined && escalation === undefined)
      throw new UsageError('brief: --account (or --escalation) is required');
    if (format === 'pdf' && !out) throw new UsageError('brief: --format pdf needs --out FILE');
    const core = await openCoreFromFlags(f);
    try {
      const accountId = account !== undefined ? resolveAccount(core, account) : undefined;
      const brief = buildBrief(
        core.store,
        {
          ...(accountId !== undefined ? { accountId } : {}),
          ...(escalation !== undefined ? { escalationId: escalation } : {}),
        },
        core.now(),
        briefDeps(core),
      );
      const plan = withPlan
        ? latestPlan(core.store, { accountId: brief.accountId, escalationId: brief.escalationId })
        : null;
      const extra = plan ? labelSources(core.store, planCitations(plan.body)) : [];
      let content: string | Buffer;
      if (format === 'json') content = `${JSON.stringify(plan ? { brief, plan } : brief, null, 2)}\n`;
      else if (format === 'md') content = briefToMarkdown(brief, plan, extra);
      else content = await briefToPdf(brief, plan, extra, core.now());
      if (out) {
        writeFileSync(resolve(out), content);
        io.out(`brief for ${brief.accountName} written to ${resolve(out)}`);
      } else if (format === 'json') printJson(io, plan ? { brief, plan } : brief);
      else io.out(String(content).trimEnd());
      return 0;
    } finally {
      core.close();
    }
  },
};
