/**
 * The escalation brief: a pure, deterministic function of the portfolio and a date. Every statement is a
 * `BriefItem` citing the records it comes from; where there is no data the brief says so.
 */
import type {
  Brief,
  BriefItem,
  BriefSection,
  Citation,
  HealthChartPoint,
  RiskSummary,
  SimilarCase,
  SourceRef,
  UsageChartPoint,
} from '../../../shared/brief-types';
import { CoreError } from '../../../shared/result';
import type { PortfolioStore } from '../db/store';
import { getAccountDetail } from '../portfolio/accounts';
import { addDays, DAY_MS, isoDate } from '../time';
import { clip, day, empty, fact, humanize, money, note, plural } from './format';
import {
  computeSignals,
  fallbackRiskSummary,
  findCompetitorHits,
  isNegativeMessage,
  type Signal,
  type SignalOptions,
} from './signals';
import { accountText, findSimilarCases } from './similar';

/** Supplies the risk engine's explained score; null when it has none for the account (the fallback is used). */
export type RiskSummaryProvider = (accountId: number, asOf: Date) => RiskSummary | null;

export interface BriefDeps extends SignalOptions {
  risk?: RiskSummaryProvider;
  /** How many similar cases to list (default 5). */
  similarLimit?: number;
}

export interface BriefRequest {
  accountId?: number;
  escalationId?: number;
}

interface EscalationRow {
  id: number;
  account_id: number;
  status: string;
  priority: string;
  category: string | null;
  summary: string | null;
  opened_at: string;
  owner_name: string | null;
  owner_id: number | null;
  decided_by: string | null;
}

const SEGMENT_LABEL: Record<string, string> = {
  enterprise: 'Enterprise',
  mid_market: 'Mid-market',
  smb: 'SMB',
};

const daysAgo = (asOf: Date, iso: string): number => Math.round((asOf.getTime() - Date.parse(iso)) / DAY_MS);

/** Resolves the account and escalation a brief is about. */
export const resolveSubject = (
  store: PortfolioStore,
  req: BriefRequest,
): { accountId: number; escalation: EscalationRow | null } => {
  const sel = `SELECT e.id, e.account_id, e.status, e.priority, e.category, e.summary, e.opened_at, e.owner_id, e.decided_by,
    t.name AS owner_name FROM escalations e LEFT JOIN team_members t ON t.id = e.owner_id`;
  if (req.escalationId !== undefined) {
    const e = store.get<EscalationRow>(`${sel} WHERE e.id = ?`, [req.escalationId]);
    if (!e) throw new CoreError('not_found', `escalation ${req.escalationId} does not exist`, 'escalationId');
    if (req.accountId !== undefined && req.accountId !== e.account_id) {
      throw new CoreError(
        'invalid_arguments',
        `escalation ${e.id} belongs to account ${e.account_id}`,
        'escalationId',
      );
    }
    return { accountId: e.account_id, escalation: e };
  }
  if (req.accountId === undefined)
    throw new CoreError('invalid_arguments', 'give an account or an escalation', 'accountId');
  const open = store.get<EscalationRow>(
    `${sel} WHERE e.account_id = ? AND e.status NOT IN ('resolved','closed') ORDER BY e.opened_at DESC, e.id DESC LIMIT 1`,
    [req.accountId],
  );
  return { accountId: req.accountId, escalation: open ?? null };
};

export const buildBrief = (
  store: PortfolioStore,
  req: BriefRequest,
  asOf: Date,
  deps: BriefDeps = {},
): Brief => {
  const { accountId, escalation } = resolveSubject(store, req);
  const detail = getAccountDetail(store, accountId, asOf);
  const a = detail.account;
  const asOfIso = asOf.toISOString();
  const d90 = addDays(asOf, -90).toISOString();
  const signals = computeSignals(store, accountId, asOf, deps);
  const sig = (id: string): Signal | undefined => signals.find((s) => s.id === id);
  const rawRisk = deps.risk?.(accountId, asOf) ?? fallbackRiskSummary(signals);
  // A factor the risk engine explains without records borrows the records of the brief's own reading of it.
  const borrow = (id: string): string[] => {
    if (id === 'renewal_near') return [`accounts:${accountId}`];
    if (id === 'health_level') {
      const h = store.get<{ id: number }>(
        'SELECT id FROM health_scores WHERE account_id = ? AND scored_at <= ? ORDER BY scored_at DESC LIMIT 1',
        [accountId, asOf.toISOString()],
      );
      return h ? [`health_scores:${h.id}`] : [];
    }
    return sig(id === 'sentiment_trend' ? 'negative_sentiment' : id)?.citations ?? [];
  };
  const risk: RiskSummary = {
    ...rawRisk,
    factors: rawRisk.factors.map((f) => (f.citations.length ? f : { ...f, citations: borrow(f.id) })),
  };
  const factorItem = (text: string, f: RiskSummary['factors'][number], emphasis: boolean): BriefItem =>
    f.citations.length
      ? fact(text, f.citations, emphasis)
      : note(`${text} (no record cited for this factor)`);
  const sections: BriefSection[] = [];

  // --- Account overview -----------------------------------------------------------------------------
  const overview: BriefItem[] = [];
  const acc = `accounts:${a.id}`;
  overview.push(
    fact(
      `${a.name}: ${SEGMENT_LABEL[a.segment]} account${a.industry ? ` in ${a.industry}` : ''}${a.tier ? `, tier ${a.tier}` : ''}, ARR ${money(a.arr)}${a.isStrategic ? ', strategic' : ''}; expansion potential ${a.expansionPotential}.`,
      [acc],
    ),
  );
  if (a.renewalDate) {
    overview.push(
      fact(
        `Contract ${a.contractStart ? `since ${day(a.contractStart)}, ` : ''}renews on ${day(a.renewalDate)} (${a.daysToRenewal !== null && a.daysToRenewal >= 0 ? `in ${plural(a.daysToRenewal, 'day')}` : `${plural(-(a.daysToRenewal ?? 0), 'day')} ago`}).`,
        [acc],
        a.daysToRenewal !== null && a.daysToRenewal >= 0 && a.daysToRenewal <= 90,
      ),
    );
  } else overview.push(empty('No renewal date on record.'));
  const team = store.get<{
    oid: number | null;
    oname: string | null;
    aeid: number | null;
    aename: string | null;
  }>(
    `SELECT o.id AS oid, o.name AS oname, ae.id AS aeid, ae.name AS aename FROM accounts a
     LEFT JOIN team_members o ON o.id = a.owner_id LEFT JOIN team_members ae ON ae.id = a.account_executive_id WHERE a.id = ?`,
    [a.id],
  );
  if (team?.oid)
    overview.push(fact(`Account owner (CSM): ${team.oname}.`, [acc, `team_members:${team.oid}`]));
  else overview.push(empty('No account owner assigned.'));
  if (team?.aeid)
    overview.push(fact(`Account executive: ${team.aename}.`, [acc, `team_members:${team.aeid}`]));
  const lastHealth = detail.health[detail.health.length - 1];
  if (lastHealth)
    overview.push(
      fact(`Latest health score ${Math.round(lastHealth.score)} (${day(lastHealth.scoredAt)}).`, [
        `health_scores:${lastHealth.id}`,
      ]),
    );
  else overview.push(empty('No health scores on record.'));
  const keyContacts = detail.contacts
    .filter((c) => c.status === 'active')
    .sort((x, y) => Number(y.isExecSponsor || y.isChampion) - Number(x.isExecSponsor || x.isChampion));
  if (keyContacts.length === 0) overview.push(empty('No active contacts on record.'));
  for (const c of keyContacts.slice(0, 5)) {
    const roles = [c.isChampion ? 'champion' : '', c.isExecSponsor ? 'executive sponsor' : '']
      .filter(Boolean)
      .join(', ');
    overview.push(
      fact(`Key contact: ${c.name}${c.title ? `, ${c.title}` : ''}${roles ? ` (${roles})` : ''}.`, [
        `contacts:${c.id}`,
      ]),
    );
  }
  sections.push({ id: 'overview', title: 'Account overview', items: overview });

  // --- Escalation summary: triggers and timeline ----------------------------------------------------------
  const esc: BriefItem[] = [];
  if (escalation) {
    esc.push(
      fact(
        `Escalation #${escalation.id} opened ${day(escalation.opened_at)}: priority ${escalation.priority}, status ${escalation.status.replace('_', ' ')}${escalation.owner_name ? `, owner ${escalation.owner_name}` : ', no owner yet'}${escalation.summary ? `. ${escalation.summary}` : '.'}`,
        [
          `escalations:${escalation.id}`,
          ...(escalation.owner_id ? [`team_members:${escalation.owner_id}`] : []),
        ],
      ),
    );
    const events = store.all<{ id: number; occurred_at: string; kind: string; actor: string | null }>(
      'SELECT id, occurred_at, kind, actor FROM escalation_events WHERE escalation_id = ? AND occurred_at <= ? ORDER BY occurred_at, id',
      [escalation.id, asOfIso],
    );
    for (const ev of events.slice(-8)) {
      esc.push(
        fact(`${day(ev.occurred_at)}: ${humanize(ev.kind)}${ev.actor ? ` by ${ev.actor}` : ''}.`, [
          `escalation_events:${ev.id}`,
        ]),
      );
    }
  } else esc.push(empty('No escalation is open for this account.'));
  if (risk.factors.length === 0) esc.push(empty('No risk triggers found in the data.'));
  for (const f of risk.factors.slice(0, 6)) esc.push(factorItem(`Trigger: ${f.detail}.`, f, false));
  const timeline = detail.timeline.filter((t) => t.at >= d90 && t.at <= asOfIso).slice(0, 14);
  for (const t of [...timeline].reverse()) {
    esc.push(fact(`${day(t.at)}: ${t.title.replace(/→/g, 'to')}`, [t.ref]));
  }
  if (timeline.length === 0) esc.push(empty('No dated events in the last 90 days.'));
  sections.push({ id: 'escalation', title: 'Escalation summary: triggers and timeline', items: esc });

  // --- Recent interactions ----------------------------------------------------------------------------
  const inter: BriefItem[] = [];
  const recentTickets = detail.tickets.filter((t) => t.createdAt >= d90 && t.createdAt <= asOfIso);
  if (recentTickets.length === 0) inter.push(empty('No tickets in the last 90 days.'));
  else
    inter.push(
      fact(
        `${plural(recentTickets.length, 'ticket')} in the last 90 days.`,
        recentTickets.map((t) => `tickets:${t.id}`),
      ),
    );
  for (const t of recentTickets.slice(0, 8)) {
    const cust = t.messages.filter((m) => m.side === 'customer' && m.createdAt <= asOfIso);
    const last = cust[cust.length - 1];
    const lastNeg = last
      ? isNegativeMessage(
          { sentiment_label: last.sentimentLabel, sentiment_score: last.sentimentScore, body: last.body },
          deps,
        )
      : false;
    const tone = last?.sentimentLabel
      ? `; latest customer message ${last.sentimentLabel}`
      : lastNeg
        ? '; latest customer message reads negative'
        : '';
    inter.push(
      fact(
        `${day(t.createdAt)}: ticket #${t.id} "${t.subject}" (${t.priority}, ${t.status}${t.productArea ? `, ${t.productArea}` : ''})${tone}.`,
        [`tickets:${t.id}`, ...(last ? [`ticket_messages:${last.id}`] : [])],
      ),
    );
  }
  const notes = detail.engagements.filter(
    (e) => e.kind === 'csm_note' && e.occurredAt >= d90 && e.occurredAt <= asOfIso,
  );
  if (notes.length === 0) inter.push(empty('No CSM notes in the last 90 days.'));
  for (const n of notes.slice(-5))
    inter.push(fact(`CSM note ${day(n.occurredAt)}: ${n.summary ?? '(no text)'}`, [`engagements:${n.id}`]));
  const execs = detail.engagements.filter(
    (e) => (e.isExecutive || e.kind === 'exec_touchpoint') && e.occurredAt <= asOfIso,
  );
  const lastExec = execs[execs.length - 1];
  if (lastExec) {
    inter.push(
      fact(
        `Last executive touchpoint ${day(lastExec.occurredAt)} (${plural(daysAgo(asOf, lastExec.occurredAt), 'day')} ago)${lastExec.summary ? `: ${lastExec.summary}` : '.'}`,
        [`engagements:${lastExec.id}`],
        daysAgo(asOf, lastExec.occurredAt) >= 90,
      ),
    );
  } else inter.push(empty('No executive touchpoint on record.'));
  const other = detail.engagements.filter(
    (e) => e.kind !== 'csm_note' && e.occurredAt >= d90 && e.occurredAt <= asOfIso,
  );
  if (other.length > 0) {
    const kinds = [...new Set(other.map((e) => e.kind))].map(
      (k) => `${other.filter((e) => e.kind === k).length} ${k.replace('_', ' ')}`,
    );
    inter.push(
      fact(
        `Engagements in the last 90 days: ${kinds.join(', ')}.`,
        other.map((e) => `engagements:${e.id}`),
      ),
    );
  } else inter.push(empty('No meetings, calls or emails logged in the last 90 days.'));
  sections.push({ id: 'interactions', title: 'Recent interactions', items: inter });

  // --- Usage ------------------------------------------------------------------------------------------
  const usageItems: BriefItem[] = [];
  const usageRows = store.all<{
    id: number;
    period_start: string;
    logins: number;
    active_users: number;
    key_feature_use: number;
    features_adopted: number;
  }>(
    'SELECT id, period_start, logins, active_users, key_feature_use, features_adopted FROM usage_periods WHERE account_id = ? AND period_start <= ? ORDER BY period_start',
    [accountId, isoDate(asOf)],
  );
  const usage: UsageChartPoint[] = usageRows
    .filter((u) => u.period_start >= isoDate(addDays(asOf, -182)))
    .map((u) => ({
      date: u.period_start,
      logins: u.logins,
      activeUsers: u.active_users,
      ref: `usage_periods:${u.id}`,
    }));
  if (usageRows.length === 0) usageItems.push(empty('No usage data on record.'));
  else {
    const decline = sig('usage_decline');
    if (decline) usageItems.push(fact(`${decline.detail}.`, decline.citations, true));
    else {
      const r = usageRows.filter((u) => u.period_start >= isoDate(addDays(asOf, -45)));
      const p = usageRows.filter(
        (u) => u.period_start < isoDate(addDays(asOf, -45)) && u.period_start >= isoDate(addDays(asOf, -90)),
      );
      if (r.length && p.length) {
        const avg = (xs: typeof r) => xs.reduce((s, u) => s + u.logins, 0) / xs.length;
        const ch = avg(p) > 0 ? (avg(r) - avg(p)) / avg(p) : 0;
        usageItems.push(
          fact(
            `Logins ${ch >= 0 ? 'up' : 'down'} ${Math.abs(Math.round(ch * 100))}% over the last 45 days vs the 45 days before (no material decline).`,
            [...p.slice(-1), ...r].map((u) => `usage_periods:${u.id}`),
          ),
        );
      } else usageItems.push(empty('Not enough recent usage periods to measure a trend.'));
    }
    const last = usageRows[usageRows.length - 1]!;
    const base =
      usageRows.filter((u) => u.period_start <= isoDate(addDays(asOf, -90))).pop() ?? usageRows[0]!;
    if (base.id !== last.id) {
      usageItems.push(
        fact(
          `Active users ${base.active_users} (${day(base.period_start)}) to ${last.active_users} (${day(last.period_start)}); key-feature use ${base.key_feature_use} to ${last.key_feature_use}.`,
          [`usage_periods:${base.id}`, `usage_periods:${last.id}`],
        ),
      );
      usageItems.push(
        fact(
          `Features adopted: ${base.features_adopted} then ${last.features_adopted}${last.features_adopted < base.features_adopted ? ' (adoption narrowing)' : last.features_adopted > base.features_adopted ? ' (adoption widening)' : ' (unchanged)'}.`,
          [`usage_periods:${base.id}`, `usage_periods:${last.id}`],
        ),
      );
    } else
      usageItems.push(
        fact(`One usage period on record: ${last.logins} logins, ${last.active_users} active users.`, [
          `usage_periods:${last.id}`,
        ]),
      );
    if (last.period_start < isoDate(addDays(asOf, -21)))
      usageItems.push(
        note(`The latest usage period starts ${day(last.period_start)}; usage data may be stale.`, [
          `usage_periods:${last.id}`,
        ]),
      );
  }
  if (usage.length >= 2) {
    usageItems.push(
      note(
        `Chart data: ${usage.length} weekly usage periods from ${usage[0]!.date} to ${usage[usage.length - 1]!.date}.`,
        usage.map((u) => u.ref),
      ),
    );
  }
  const hdrop = sig('health_drop');
  if (hdrop) usageItems.push(fact(`${hdrop.detail}.`, hdrop.citations, true));
  sections.push({ id: 'usage', title: 'Product usage', items: usageItems });
  const health: HealthChartPoint[] = detail.health
    .filter((h) => h.scoredAt <= asOfIso && h.scoredAt >= addDays(asOf, -365).toISOString())
    .map((h) => ({ date: day(h.scoredAt), score: h.score, ref: `health_scores:${h.id}` }));

  // --- Stakeholders ----------------------------------------------------------------------------------
  const st: BriefItem[] = [];
  if (detail.contacts.length === 0) st.push(empty('No contacts on record.'));
  const msgsByContact = store
    .all<{
      contact_id: number;
      id: number;
      sentiment_label: string | null;
      sentiment_score: number | null;
      body: string;
    }>(
      `SELECT t.contact_id, m.id, m.sentiment_label, m.sentiment_score, m.body FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
       WHERE t.account_id = ? AND m.side = 'customer' AND t.contact_id IS NOT NULL AND m.created_at >= ? AND m.created_at <= ? ORDER BY m.created_at`,
      [accountId, d90, asOfIso],
    )
    .map((m) => ({ ...m, negative: isNegativeMessage(m, deps) }));
  const npsRows = store.all<{ id: number; contact_id: number | null; score: number; responded_at: string }>(
    'SELECT id, contact_id, score, responded_at FROM nps_responses WHERE account_id = ? AND responded_at <= ? ORDER BY responded_at',
    [accountId, asOfIso],
  );
  const championActive = detail.contacts.some((c) => c.isChampion && c.status === 'active');
  for (const c of detail.contacts) {
    const roles = [c.isChampion ? 'champion' : '', c.isExecSponsor ? 'executive sponsor' : '']
      .filter(Boolean)
      .join(', ');
    const msgs = msgsByContact.filter((m) => m.contact_id === c.id);
    const neg = msgs.filter((m) => m.negative).length;
    const pos = msgs.filter((m) => m.sentiment_label === 'positive').length;
    const nps = npsRows.filter((n) => n.contact_id === c.id).pop();
    const sentiment = msgs.length
      ? `sentiment ${neg > msgs.length / 2 ? 'negative' : pos > msgs.length / 2 ? 'positive' : neg > 0 ? 'mixed' : 'neutral'} (${neg} of ${plural(msgs.length, 'recent message')} negative)`
      : 'no recent messages';
    const status = c.status === 'departed' ? `departed ${day(c.departedAt)}` : 'active';
    st.push(
      fact(
        `${c.name}${c.title ? `, ${c.title}` : ''}${roles ? ` [${roles}]` : ''}: ${status}; ${sentiment}${nps ? `; NPS ${nps.score} (${day(nps.responded_at)})` : ''}.`,
        [
          `contacts:${c.id}`,
          ...msgs.map((m) => `ticket_messages:${m.id}`),
          ...(nps ? [`nps_responses:${nps.id}`] : []),
        ],
        c.status === 'departed' && (c.isChampion || c.isExecSponsor),
      ),
    );
  }
  if (detail.contacts.length > 0 && !championActive) {
    const gone = detail.contacts.filter((c) => c.isChampion);
    st.push(
      gone.length
        ? fact(
            'No active champion: the champion on record has departed and no replacement is recorded.',
            gone.map((c) => `contacts:${c.id}`),
            true,
          )
        : empty('No champion is recorded for this account.'),
    );
  }
  sections.push({ id: 'stakeholders', title: 'Stakeholder map and sentiment', items: st });

  // --- Competitive intelligence ----------------------------------------------------------------------
  const comp: BriefItem[] = [];
  const hits = findCompetitorHits(store, accountId, addDays(asOf, -180), addDays(asOf, 0.0001), deps);
  for (const h of hits) {
    comp.push(
      fact(
        `${day(h.createdAt)}: ${h.competitor ? `${h.competitor} mentioned` : 'Evaluation of alternatives mentioned'} in ticket #${h.ticketId} "${h.ticketSubject}": "${clip(h.excerpt, 220)}"`,
        [`ticket_messages:${h.messageId}`, `tickets:${h.ticketId}`],
        true,
      ),
    );
  }
  const cue = /\b(competitor|alternative|evaluat|looking at|trial of|pilot with|switch)/i;
  for (const e of detail.engagements.filter(
    (x) => x.occurredAt >= addDays(asOf, -180).toISOString() && x.occurredAt <= asOfIso,
  )) {
    if (e.summary && cue.test(e.summary))
      comp.push(
        fact(`${day(e.occurredAt)}: ${e.kind.replace('_', ' ')}: ${e.summary}`, [`engagements:${e.id}`]),
      );
  }
  for (const n of detail.nps.filter(
    (x) => x.respondedAt >= addDays(asOf, -180).toISOString() && x.respondedAt <= asOfIso,
  )) {
    if (n.comment && cue.test(n.comment))
      comp.push(
        fact(`${day(n.respondedAt)}: NPS ${n.score} comment: "${n.comment}"`, [`nps_responses:${n.id}`]),
      );
  }
  if (comp.length === 0) comp.push(empty('No competitor mentions in the last 180 days.'));
  sections.push({ id: 'competitive', title: 'Competitive intelligence', items: comp });

  // --- Risk score --------------------------------------------------------------------------------------
  const riskItems: BriefItem[] = [];
  if (risk.factors.length === 0)
    riskItems.push(empty(`Risk score ${risk.score}/100: no risk signals found in the data.`));
  else {
    riskItems.push(
      fact(
        `Risk score ${risk.score}/100${risk.priority ? `, priority ${risk.priority}` : ''} (${risk.source === 'brief-fallback' ? "the brief's own signal reading; the risk engine's score was not available" : risk.source}).`,
        risk.factors.slice(0, 3).flatMap((f) => f.citations.slice(0, 3)),
      ),
    );
    risk.factors.forEach((f, i) => {
      riskItems.push(factorItem(`${f.label}: +${f.points} points. ${f.detail}.`, f, i < 2));
    });
  }
  sections.push({ id: 'risk', title: 'Risk score and breakdown', items: riskItems });

  // --- Similar cases ---------------------------------------------------------------------------------
  const simItems: BriefItem[] = [];
  const allSimilar = findSimilarCases(
    store,
    {
      accountId,
      at: asOf,
      signals,
      text: accountText(store, accountId, asOf),
      excludeEscalationId: escalation?.id ?? null,
    },
    deps,
  );
  const similarCases: SimilarCase[] = allSimilar
    .filter((c) => c.similarity >= 0.25)
    .slice(0, deps.similarLimit ?? 5);
  if (allSimilar.length === 0)
    simItems.push(empty('No past escalations with recorded outcomes to compare with.'));
  else if (similarCases.length === 0) simItems.push(empty('No sufficiently similar past escalations found.'));
  for (const c of similarCases) {
    const strat = c.strategies.length ? c.strategies.map(humanize).join(', ') : 'no strategies recorded';
    simItems.push(
      fact(
        `${c.accountName}, opened ${day(c.openedAt)}${c.category ? ` (${c.category.replace(/_/g, ' ')})` : ''}: similarity ${c.similarity.toFixed(2)}${c.shared.length ? `, shared signals: ${c.shared.join(', ')}` : ''}. Resolved with: ${strat}. Outcome: ${c.outcome ?? 'not recorded'}${c.arrBefore !== null ? ` (ARR ${money(c.arrBefore)} to ${money(c.arrAfter)})` : ''}${c.rootCause ? `; root cause: ${c.rootCause.replace(/_/g, ' ')}` : ''}.`,
        c.citations,
      ),
    );
  }
  if (similarCases.length > 0) {
    simItems.push(
      note(
        'Similarity combines the cosine of the signal vectors (65%) and of the support text, TF-IDF (35%).',
      ),
    );
  }
  sections.push({ id: 'similar', title: 'Similar past cases', items: simItems });

  // --- Headline ----------------------------------------------------------------------------------------
  const primary = risk.factors.slice(0, 2);
  const headline: BriefItem = primary.length
    ? fact(
        `${a.name} (${money(a.arr)} ARR${a.daysToRenewal !== null && a.daysToRenewal >= 0 ? `, renewal in ${plural(a.daysToRenewal, 'day')}` : ''}) scores ${risk.score}/100. Primary risks: ${primary.map((f) => `${f.label.toLowerCase()} (${f.detail})`).join('; and ')}.`,
        [acc, ...primary.flatMap((f) => f.citations)],
        true,
      )
    : fact(`${a.name} (${money(a.arr)} ARR): no risk signals found in the data.`, [acc]);

  const brief: Brief = {
    accountId,
    accountName: a.name,
    escalationId: escalation?.id ?? null,
    asOf: isoDate(asOf),
    title: `Escalation brief: ${a.name}`,
    headline,
    sections,
    risk,
    primaryRisks: primary.map((f) => f.id),
    similarCases,
    usage,
    health,
    markers: [
      ...detail.contacts
        .filter(
          (c) =>
            (c.isChampion || c.isExecSponsor) &&
            c.departedAt &&
            c.departedAt >= addDays(asOf, -182).toISOString() &&
            c.departedAt <= asOfIso,
        )
        .map((c) => ({
          date: day(c.departedAt),
          label: `${c.isChampion ? 'Champion' : 'Sponsor'} left`,
          ref: `contacts:${c.id}`,
        })),
      ...(escalation && escalation.opened_at >= addDays(asOf, -182).toISOString()
        ? [{ date: day(escalation.opened_at), label: 'Escalated', ref: `escalations:${escalation.id}` }]
        : []),
    ],
    sources: [],
  };
  brief.sources = labelSources(store, collectCitations(brief));
  return brief;
};

export const collectCitations = (b: { headline: BriefItem; sections: BriefSection[] }): Citation[] => {
  const seen = new Set<Citation>();
  for (const c of b.headline.citations) seen.add(c);
  for (const s of b.sections) for (const i of s.items) for (const c of i.citations) seen.add(c);
  return [...seen];
};

const LABELS: Record<string, { sql: string; label: (r: Record<string, unknown>) => string }> = {
  accounts: { sql: 'SELECT name FROM accounts WHERE id = ?', label: (r) => `Account record: ${r.name}` },
  contacts: {
    sql: 'SELECT name, title, status FROM contacts WHERE id = ?',
    label: (r) => `Contact: ${r.name}${r.title ? `, ${r.title}` : ''} (${r.status})`,
  },
  tickets: {
    sql: 'SELECT subject, created_at FROM tickets WHERE id = ?',
    label: (r) => `Ticket "${r.subject}" (${day(String(r.created_at))})`,
  },
  ticket_messages: {
    sql: 'SELECT ticket_id, side, created_at FROM ticket_messages WHERE id = ?',
    label: (r) => `Message on ticket #${r.ticket_id} (${r.side}, ${day(String(r.created_at))})`,
  },
  usage_periods: {
    sql: 'SELECT period_start, logins FROM usage_periods WHERE id = ?',
    label: (r) => `Usage period from ${r.period_start} (${r.logins} logins)`,
  },
  health_scores: {
    sql: 'SELECT score, scored_at FROM health_scores WHERE id = ?',
    label: (r) => `Health score ${Math.round(Number(r.score))} (${day(String(r.scored_at))})`,
  },
  nps_responses: {
    sql: 'SELECT score, responded_at FROM nps_responses WHERE id = ?',
    label: (r) => `NPS response ${r.score} (${day(String(r.responded_at))})`,
  },
  engagements: {
    sql: 'SELECT kind, occurred_at FROM engagements WHERE id = ?',
    label: (r) => `Engagement: ${String(r.kind).replace('_', ' ')} (${day(String(r.occurred_at))})`,
  },
  escalations: {
    sql: 'SELECT e.opened_at, a.name FROM escalations e JOIN accounts a ON a.id = e.account_id WHERE e.id = ?',
    label: (r) => `Escalation at ${r.name} (opened ${day(String(r.opened_at))})`,
  },
  escalation_events: {
    sql: 'SELECT kind, occurred_at FROM escalation_events WHERE id = ?',
    label: (r) => `Escalation event: ${r.kind} (${day(String(r.occurred_at))})`,
  },
  outcomes: {
    sql: 'SELECT outcome, resolved_at FROM outcomes WHERE id = ?',
    label: (r) => `Outcome: ${r.outcome} (${day(String(r.resolved_at))})`,
  },
  team_members: {
    sql: 'SELECT name, role FROM team_members WHERE id = ?',
    label: (r) => `Team member: ${r.name} (${String(r.role).replace('_', ' ')})`,
  },
};

/** Human labels for cited records; a citation whose record does not exist is labelled as missing. */
export const labelSources = (store: PortfolioStore, refs: readonly Citation[]): SourceRef[] =>
  refs.map((ref) => {
    const [table, idStr] = ref.split(':');
    const spec = LABELS[table ?? ''];
    const row = spec ? store.get<Record<string, unknown>>(spec.sql, [Number(idStr)]) : undefined;
    return { ref, label: row && spec ? spec.label(row) : `${ref} (record not found)` };
  });
