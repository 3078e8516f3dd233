/**
 * The monthly review as Markdown. Figures carry footnotes [^n] that list the records behind them
 * (table:id), collected in an appendix at the end.
 */
import type { Metrics, MonthlyReview } from '../../../shared/insights-types';
import { formatMoney as money, formatPct as pct } from './review';

const monthName = (m: string): string =>
  new Date(`${m}-01T00:00:00.000Z`).toLocaleString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

const days = (v: number | null): string => (v === null ? 'n/a' : `${Math.round(v * 10) / 10} d`);
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Footnotes: each list of record refs gets a number once. */
export class Footnotes {
  private readonly notes: { label: string; refs: string[] }[] = [];
  mark(label: string, refs: string[]): string {
    if (refs.length === 0) return '';
    this.notes.push({ label, refs });
    return `[^${this.notes.length}]`;
  }
  render(): string[] {
    return this.notes.map((n, i) => `[^${i + 1}]: ${n.label}: ${n.refs.join(', ')}`);
  }
}

const ids = (table: string, xs: readonly number[]): string[] => xs.map((x) => `${table}:${x}`);

export const metricRows = (
  cur: Metrics,
  prev: Metrics,
): { label: string; key: string; current: string; previous: string; refs: string[] }[] => [
  {
    label: 'Flag precision',
    key: 'precision',
    current: `${pct(cur.precision)} (${cur.flagsFollowedByEscalation}/${cur.flagsJudged})`,
    previous: `${pct(prev.precision)} (${prev.flagsFollowedByEscalation}/${prev.flagsJudged})`,
    refs: ids('risk_flags', cur.refs.truePositiveFlags),
  },
  {
    label: 'False-positive rate',
    key: 'falsePositiveRate',
    current: pct(cur.falsePositiveRate),
    previous: pct(prev.falsePositiveRate),
    refs: ids('risk_flags', cur.refs.flags),
  },
  {
    label: 'Recall (escalations flagged beforehand)',
    key: 'recall',
    current: `${pct(cur.recall)} (${cur.escalationsFlaggedBeforehand}/${cur.escalationsOpened})`,
    previous: `${pct(prev.recall)} (${prev.escalationsFlaggedBeforehand}/${prev.escalationsOpened})`,
    refs: ids('escalations', cur.refs.caughtEscalations),
  },
  {
    label: 'Early-warning lead time (median)',
    key: 'leadTimeDays',
    current: days(cur.leadTimeDays.median),
    previous: days(prev.leadTimeDays.median),
    refs: ids('escalations', cur.refs.caughtEscalations),
  },
  {
    label: 'Resolution time (median / p90)',
    key: 'resolution',
    current: `${days(cur.resolution.medianDays)} / ${days(cur.resolution.p90Days)}`,
    previous: `${days(prev.resolution.medianDays)} / ${days(prev.resolution.p90Days)}`,
    refs: ids(
      'escalations',
      cur.resolution.byCategory.flatMap((b) => b.escalationIds),
    ),
  },
  {
    label: 'Resolution rate (saved or expanded)',
    key: 'resolution',
    current: `${pct(cur.resolution.rate)} of ${cur.resolution.resolved}`,
    previous: `${pct(prev.resolution.rate)} of ${prev.resolution.resolved}`,
    refs: [],
  },
  {
    label: 'SLA attainment',
    key: 'sla',
    current: `${pct(cur.sla.attainment)} (${cur.sla.met}/${cur.sla.clocks})`,
    previous: `${pct(prev.sla.attainment)} (${prev.sla.met}/${prev.sla.clocks})`,
    refs: [],
  },
  {
    label: 'Prevented churn (ARR)',
    key: 'preventedChurnArr',
    current: money(cur.preventedChurnArr),
    previous: money(prev.preventedChurnArr),
    refs: ids('outcomes', cur.refs.savedOutcomes),
  },
  {
    label: 'ARR lost to churn / downgrade',
    key: 'arrLostToChurn',
    current: `${money(cur.arrLostToChurn)} / ${money(cur.arrLostToDowngrade)}`,
    previous: `${money(prev.arrLostToChurn)} / ${money(prev.arrLostToDowngrade)}`,
    refs: [],
  },
  {
    label: 'ARR at risk now',
    key: 'arrAtRiskNow',
    current: `${money(cur.arrAtRiskNow.arr)} (${cur.arrAtRiskNow.accounts} accounts)`,
    previous: '-',
    refs: [],
  },
];

export const reviewToMarkdown = (r: MonthlyReview): string => {
  const fn = new Footnotes();
  const L: string[] = [];
  const title = monthName(r.month);
  L.push(`# Escalation review: ${title}`, '');
  L.push(
    `Period ${r.from} to ${r.to} (inclusive). Generated ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC by Bellwether from the local portfolio.`,
    '',
  );

  L.push('## Summary', '');
  for (const h of r.highlights) L.push(`- ${h}`);
  L.push('');

  L.push('## What happened', '');
  L.push(
    `- Escalations opened: **${r.opened.length}**${fn.mark(
      'Escalations opened',
      ids(
        'escalations',
        r.opened.map((e) => e.id),
      ),
    )}`,
    `- Escalations resolved: **${r.resolved.length}**${fn.mark(
      'Escalations resolved',
      ids(
        'escalations',
        r.resolved.map((e) => e.id),
      ),
    )}`,
    `- Outcomes recorded: ${r.outcomes.saved} saved, ${r.outcomes.expanded} expanded, ${r.outcomes.churned} churned, ${r.outcomes.downgraded} downgraded`,
    `- ARR saved (prevented churn): **${money(r.current.preventedChurnArr)}**${fn.mark('Saved outcomes', ids('outcomes', r.current.refs.savedOutcomes))}; ARR lost: **${money(
      r.current.arrLostToChurn + r.current.arrLostToDowngrade,
    )}**`,
    '',
  );
  if (r.resolved.length > 0) {
    L.push(
      '| Escalation | Account | Category | Priority | Opened | Resolved | Outcome | ARR before | ARR after |',
      '|---|---|---|---|---|---|---|---:|---:|',
    );
    for (const e of r.resolved) {
      L.push(
        `| escalations:${e.id} | ${cell(e.accountName)} (accounts:${e.accountId}) | ${e.category ?? '-'} | ${e.priority} | ${e.openedAt.slice(0, 10)} | ${
          e.resolvedAt?.slice(0, 10) ?? '-'
        } | ${e.outcome ?? 'not recorded'} | ${e.arrBefore === null ? '-' : money(e.arrBefore)} | ${e.arrAfter === null ? '-' : money(e.arrAfter)} |`,
      );
    }
    L.push('');
  }
  if (r.opened.length > 0) {
    L.push('Opened this month:', '');
    for (const e of r.opened)
      L.push(
        `- escalations:${e.id} ${e.accountName} (${money(e.arr)} ARR) - ${e.category ?? 'uncategorized'}, ${e.priority}, opened ${e.openedAt.slice(0, 10)}`,
      );
    L.push('');
  }

  L.push('## Metrics against the previous month', '');
  L.push('| Metric | This month | Previous month |', '|---|---:|---:|');
  for (const m of metricRows(r.current, r.previous))
    L.push(`| ${m.label}${fn.mark(m.label, m.refs)} | ${m.current} | ${m.previous} |`);
  L.push('');
  if (r.current.resolution.byCategory.length > 0) {
    L.push(
      'Resolution by category this month:',
      '',
      '| Category | Resolved | Median days | p90 days | Rate |',
      '|---|---:|---:|---:|---:|',
    );
    for (const b of r.current.resolution.byCategory)
      L.push(
        `| ${b.key}${fn.mark(`Resolved, ${b.key}`, ids('escalations', b.escalationIds))} | ${b.resolved} | ${days(b.medianResolutionDays)} | ${days(b.p90ResolutionDays)} | ${pct(b.resolutionRate)} |`,
      );
    L.push('');
  }

  L.push('## Twelve months', '');
  L.push(
    '| Month | Escalations | Flags | Saved | Churned | Prevented churn | ARR lost |',
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const p of r.monthly)
    L.push(
      `| ${p.month} | ${p.escalations} | ${p.flags} | ${p.saved} | ${p.churned} | ${money(p.preventedChurnArr)} | ${money(p.arrLost)} |`,
    );
  L.push('');

  L.push('## Top patterns (last 12 months)', '');
  L.push('### Signals that preceded escalations', '');
  L.push(
    'Risk ratio = escalation rate within 60 days when the signal was present / when absent, over monthly snapshots; 95% CI.',
    '',
    '| Signal | Risk ratio | 95% CI | Rate present | Rate absent | n present | Note |',
    '|---|---:|---:|---:|---:|---:|---|',
  );
  for (const e of r.patterns.effects.slice(0, 8)) {
    const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));
    L.push(
      `| ${e.label} | ${f(e.riskRatio)} | ${f(e.ciLow)}-${f(e.ciHigh)} | ${pct(e.ratePresent)} | ${pct(e.rateAbsent)} | ${e.nPresent} | ${e.smallSample ? 'small sample' : ''} |`,
    );
  }
  L.push('');
  L.push('### Strategies that worked, by category', '');
  const strat = [...r.patterns.strategies].sort((a, b) => b.used - a.used).slice(0, 10);
  if (strat.length === 0) L.push('_No outcomes with strategies recorded in the period._', '');
  else {
    L.push(
      '| Category | Strategy | Used | Succeeded | Rate (95% CI) | Note |',
      '|---|---|---:|---:|---|---|',
    );
    for (const s of strat)
      L.push(
        `| ${s.category} | ${s.strategy}${fn.mark(`${s.category} / ${s.strategy}`, ids('outcomes', s.outcomeIds))} | ${s.used} | ${s.succeeded} | ${pct(s.rate)} (${pct(s.ciLow)}-${pct(
          s.ciHigh,
        )}) | ${s.smallSample ? 'small sample' : ''} |`,
      );
    L.push('');
  }
  L.push('### Escalations no flag caught', '');
  if (r.patterns.missed.length === 0) L.push('_Every escalation in the period was flagged beforehand._', '');
  else {
    for (const m of r.patterns.missed.slice(0, 10))
      L.push(
        `- escalations:${m.escalationId} ${m.accountName} (${m.openedAt.slice(0, 10)}, ${m.category ?? 'uncategorized'}): ${
          m.signals.length
            ? m.signals
                .slice(0, 3)
                .map((s) => s.label)
                .join('; ')
            : 'no risk signal present'
        }`,
      );
    if (r.patterns.missed.length > 10) L.push(`- ... and ${r.patterns.missed.length - 10} more`);
    L.push('');
  }
  const fa = r.patterns.firstAction;
  L.push('### Time to first executive action', '');
  L.push(
    `- Within ${fa.thresholdHours} h: ${pct(fa.fast.rate)} saved (${fa.fast.saved}/${fa.fast.n}); later: ${pct(fa.slow.rate)} (${fa.slow.saved}/${fa.slow.n}); never: ${pct(
      fa.none.rate,
    )} (${fa.none.saved}/${fa.none.n}).`,
    `- ${fa.definition}`,
    '',
  );
  L.push('### Systemic issues', '');
  const sys = r.patterns.systemic.filter((c) => c.escalations >= 2).slice(0, 5);
  if (sys.length === 0) L.push('_No cluster of repeated escalations._', '');
  for (const c of sys) {
    L.push(
      `- **${c.rootCause ?? 'unknown'} · ${c.productArea ?? 'no product area'}**${c.growing ? ' - GROWING' : ''}: ${c.escalations} escalations (${c.recent} in the last 3 months vs ${
        c.previous
      } in the 3 before), ${c.accounts.length} accounts, ${money(c.arrAffected)} ARR; terms: ${c.topTerms.join(', ')}${fn.mark(
        `Cluster ${c.key}`,
        [...ids('escalations', c.escalationIds), ...ids('tickets', c.ticketIds.slice(0, 40))],
      )}`,
    );
    if (c.growing) L.push(`  - Accounts: ${c.accounts.map((a) => `${a.name} (${money(a.arr)})`).join(', ')}`);
  }
  L.push('');

  L.push('## Recommended rule changes', '');
  if (r.recommendations.length === 0) L.push('_No change recommended._', '');
  for (const rec of r.recommendations) {
    L.push(
      `### ${rec.kind === 'review' ? 'Review' : rec.kind === 'tighten' ? 'Tighten' : 'Loosen'}: ${rec.ruleName}`,
      '',
    );
    L.push(`- Proposal: ${rec.title}`, `- Why: ${rec.why}`);
    if (rec.before && rec.after)
      L.push(
        `- Backtest: flags ${rec.before.flags} -> ${rec.after.flags}; precision ${pct(rec.before.precision)} -> ${pct(rec.after.precision)}; recall ${pct(rec.before.recall)} -> ${pct(
          rec.after.recall,
        )}; median lead ${days(rec.before.medianLeadDays)} -> ${days(rec.after.medianLeadDays)}`,
      );
    L.push(
      `- Open in the rule editor: ${rec.link}${fn.mark(`Decided flags of rule ${rec.ruleId}`, ids('risk_flags', rec.flagIds))}`,
      '',
    );
  }

  L.push('## How each figure is counted', '');
  for (const [k, v] of Object.entries(r.current.definitions)) L.push(`- **${k}**: ${v}`);
  L.push('');
  L.push('## Appendix: records behind the numbers', '');
  L.push(...fn.render());
  L.push('');
  return L.join('\n');
};
