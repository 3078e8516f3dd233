/** Markdown renderings of the brief, the action plan and the QBR pack; citations become numbered sources. */
import type { Brief, BriefItem, PlanVersion, QbrPack, SourceRef } from '../../../shared/brief-types';
import { day, money, roleLabel } from './format';
import { describeTask } from './plan';
import { RISK_AT } from './qbr';
import { SourceNumbers } from './sources';

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const item = (src: SourceNumbers, i: BriefItem): string => {
  const m = src.marker(i.citations);
  const text =
    i.kind === 'empty' || i.kind === 'note' ? `_${i.text}_` : i.emphasis ? `**${i.text}**` : i.text;
  return `- ${text}${m ? ` ${m}` : ''}`;
};

const sourcesSection = (src: SourceNumbers): string[] => {
  const list = src.list();
  if (list.length === 0) return [];
  return ['', '## Sources', '', ...list.map((s) => `${s.n}. \`${s.ref}\` ${esc(s.label)}`)];
};

export const briefToMarkdownLines = (b: Brief, src: SourceNumbers): string[] => {
  const out: string[] = [
    `# ${b.title}`,
    '',
    `_As of ${b.asOf}. Internal material for the account team. Every statement cites the records it comes from (numbers refer to Sources)._`,
    '',
  ];
  const hm = src.marker(b.headline.citations);
  out.push(`> ${b.headline.text}${hm ? ` ${hm}` : ''}`, '');
  if (b.narrative) {
    out.push(
      '## Summary (drafted by the local model from the facts below)',
      '',
      b.narrative.text,
      '',
      `_Model: ${b.narrative.model}. Check against the cited facts before sharing._`,
      '',
    );
  }
  for (const s of b.sections) {
    out.push(`## ${s.title}`, '');
    if (s.id === 'risk' && b.risk.factors.length > 0) {
      out.push(item(src, s.items[0]!), '', '| Factor | Points | Detail | Sources |', '|---|---:|---|---|');
      for (const f of b.risk.factors)
        out.push(`| ${esc(f.label)} | ${f.points} | ${esc(f.detail)} | ${src.marker(f.citations)} |`);
      out.push('');
      continue;
    }
    for (const i of s.items) out.push(item(src, i));
    out.push('');
  }
  return out;
};

export const planToMarkdownLines = (p: PlanVersion, src: SourceNumbers): string[] => {
  const b = p.body;
  const out: string[] = [
    `# Action plan: ${b.accountName}`,
    '',
    `_${p.version > 0 ? `Version ${p.version}, saved by ${p.author} at ${p.createdAt.replace('T', ' ').slice(0, 16)} UTC` : `Draft generated ${p.createdAt.slice(0, 10)}, not saved`}. Internal draft: the account team holds the customer conversations._`,
    '',
    '## Root-cause hypothesis',
    '',
    item(src, b.rootCause.hypothesis),
    ...b.rootCause.evidence.map((e) => item(src, e)),
    '',
    '## Strategies (prioritized)',
    '',
  ];
  if (b.strategies.length === 0) out.push('_No strategies proposed: there are no risk signals to address._');
  for (const s of b.strategies) {
    const rate = s.uses
      ? `${s.successes} of ${s.uses} similar cases saved or expanded (${Math.round((s.successRate ?? 0) * 100)}%)${s.smallSample ? ', small sample' : ''}`
      : 'no similar cases used it';
    const m = src.marker(s.rationale.citations);
    out.push(`${s.rank}. **${s.name}** (${rate}). ${s.rationale.text}${m ? ` ${m}` : ''}`);
  }
  out.push('', '## People and resources', '', '| Role | Person | Why |', '|---|---|---|');
  for (const person of b.people) {
    const m = src.marker(person.citations);
    out.push(
      `| ${roleLabel(person.role)} | ${esc(person.name ?? 'unassigned')} | ${esc(person.why)}${m ? ` ${m}` : ''} |`,
    );
  }
  if (b.resources.length) out.push('', ...b.resources.map((r) => `- ${r}`));
  out.push('', '## Timeline', '');
  if (b.tasks.length === 0) out.push('_No tasks._');
  for (const t of b.tasks)
    out.push(`- ${describeTask(t)}${t.done && t.doneBy ? ` (done by ${t.doneBy} ${day(t.doneAt)})` : ''}`);
  out.push('', '## Talking points (internal preparation)', '', ...b.talkingPoints.map((t) => item(src, t)));
  if (b.notes.trim()) out.push('', '## Notes', '', b.notes.trim());
  out.push('');
  return out;
};

export const briefToMarkdown = (
  b: Brief,
  plan?: PlanVersion | null,
  extraSources: SourceRef[] = [],
): string => {
  const src = new SourceNumbers(b.sources);
  src.addLabels(extraSources);
  const lines = briefToMarkdownLines(b, src);
  if (plan) lines.push('', ...planToMarkdownLines(plan, src));
  return `${[...lines, ...sourcesSection(src)].join('\n')}\n`;
};

export const planToMarkdown = (p: PlanVersion, sources: SourceRef[]): string => {
  const src = new SourceNumbers(sources);
  return `${[...planToMarkdownLines(p, src), ...sourcesSection(src)].join('\n')}\n`;
};

export const qbrToMarkdown = (q: QbrPack): string => {
  const out: string[] = [
    '# QBR escalation review',
    '',
    `_As of ${q.asOf}; ${q.accounts.length} accounts._`,
    '',
    `**ARR saved so far: ${money(q.arrSaved)}** (ARR lost: ${money(q.arrLost)}). ${q.countingRule}`,
    '',
    '## Portfolio heatmap (segment x renewal window)',
    '',
  ];
  const windows = [...new Set(q.heatmap.map((c) => c.window))];
  const segments = [...new Set(q.heatmap.map((c) => c.segment))];
  out.push(`| Segment | ${windows.join(' | ')} |`, `|---|${windows.map(() => '---').join('|')}|`);
  for (const s of segments) {
    const cells = windows.map((w) => {
      const c = q.heatmap.find((x) => x.segment === s && x.window === w);
      return c?.accounts
        ? `${c.accounts} / ${money(c.arr)} / avg risk ${c.meanRisk}${c.arrAtRisk ? ` / at risk ${money(c.arrAtRisk)}` : ''}`
        : '-';
    });
    out.push(`| ${s.replace('_', '-')} | ${cells.join(' | ')} |`);
  }
  const escalatedOpen = new Set(
    q.escalations.filter((e) => e.status !== 'resolved' && e.status !== 'closed').map((e) => e.accountId),
  );
  const unescalated = q.accounts
    .filter((a) => a.risk >= RISK_AT && !escalatedOpen.has(a.id))
    .sort((a, b) => b.risk - a.risk);
  if (unescalated.length) {
    out.push(
      '',
      '## At risk, not escalated',
      '',
      '| Account | Segment | ARR | Renewal | Risk |',
      '|---|---|---:|---|---:|',
    );
    for (const a of unescalated)
      out.push(`| ${esc(a.name)} | ${a.segment} | ${money(a.arr)} | ${day(a.renewalDate)} | ${a.risk} |`);
  }
  out.push(
    '',
    '## Escalations',
    '',
    '| Account | Priority | Status | Owner | Opened | Outcome | ARR |',
    '|---|---|---|---|---|---|---|',
  );
  for (const e of q.escalations) {
    out.push(
      `| ${esc(e.accountName)} | ${e.priority} | ${e.status.replace('_', ' ')} | ${esc(e.ownerName ?? 'unassigned')} | ${day(e.openedAt)} | ${e.outcome ?? '-'} | ${e.arrBefore !== null ? `${money(e.arrBefore)} to ${money(e.arrAfter)}` : '-'} |`,
    );
  }
  if (q.escalations.length === 0) out.push('| _No escalations for these accounts._ | | | | | | |');
  out.push(
    '',
    '## Outcomes',
    '',
    '| Outcome | Escalations | ARR before | ARR after |',
    '|---|---:|---:|---:|',
  );
  for (const o of q.outcomes)
    out.push(`| ${o.kind} | ${o.count} | ${money(o.arrBefore)} | ${money(o.arrAfter)} |`);
  out.push('');
  return out.join('\n');
};
