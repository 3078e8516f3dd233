import type { ArgsOf } from '../../../shared/contract';
import type {
  AccountDetail,
  AccountListPage,
  AccountRow,
  ContactRow,
  EngagementEvent,
  HealthPoint,
  NpsResponse,
  TeamMemberRow,
  TicketWithMessages,
  TimelineItem,
  UsagePoint,
} from '../../../shared/domain';
import { CoreError } from '../../../shared/result';
import type { PortfolioStore } from '../db/store';
import { daysBetween } from '../time';

interface AccountDbRow {
  id: number;
  name: string;
  segment: AccountRow['segment'];
  tier: string | null;
  industry: string | null;
  arr: number;
  is_strategic: number;
  expansion_potential: AccountRow['expansionPotential'];
  contract_start: string | null;
  renewal_date: string | null;
  owner_id: number | null;
  owner_name: string | null;
  status: AccountRow['status'];
  latest_health: number | null;
  source: string;
  external_id: string | null;
}

const ACCOUNT_SELECT = `
SELECT a.id, a.name, a.segment, a.tier, a.industry, a.arr, a.is_strategic, a.expansion_potential,
       a.contract_start, a.renewal_date, a.owner_id, t.name AS owner_name, a.status, a.source, a.external_id,
       (SELECT h.score FROM health_scores h WHERE h.account_id = a.id ORDER BY h.scored_at DESC LIMIT 1) AS latest_health
FROM accounts a LEFT JOIN team_members t ON t.id = a.owner_id`;

const SORT_SQL: Record<string, string> = {
  name: 'a.name COLLATE NOCASE',
  arr: 'a.arr',
  renewalDate: 'a.renewal_date',
  segment: 'a.segment',
  health: 'latest_health',
  industry: 'a.industry',
};

export const toAccountRow = (r: AccountDbRow, today: Date): AccountRow => ({
  id: r.id,
  name: r.name,
  segment: r.segment,
  tier: r.tier,
  industry: r.industry,
  arr: r.arr,
  isStrategic: r.is_strategic === 1,
  expansionPotential: r.expansion_potential,
  contractStart: r.contract_start,
  renewalDate: r.renewal_date,
  daysToRenewal: r.renewal_date ? daysBetween(today, r.renewal_date) : null,
  ownerId: r.owner_id,
  ownerName: r.owner_name,
  status: r.status,
  latestHealth: r.latest_health,
  source: r.source,
  externalId: r.external_id,
});

export const listAccounts = (
  store: PortfolioStore,
  q: ArgsOf<'accounts.list'>,
  today: Date,
): AccountListPage => {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.search) {
    where.push("(a.name LIKE ? ESCAPE '\\' OR a.industry LIKE ? ESCAPE '\\')");
    const like = `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(like, like);
  }
  if (q.segment) {
    where.push('a.segment = ?');
    params.push(q.segment);
  }
  if (q.ids) {
    where.push(`a.id IN (${q.ids.map(() => '?').join(',')})`);
    params.push(...q.ids);
  }
  const whereSql = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const total = store.get<{ n: number }>(`SELECT count(*) AS n FROM accounts a${whereSql}`, params)?.n ?? 0;
  const order = `${SORT_SQL[q.sort ?? 'name']} ${q.dir === 'desc' ? 'DESC' : 'ASC'}, a.id`;
  const rows = store.all<AccountDbRow>(`${ACCOUNT_SELECT}${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`, [
    ...params,
    q.limit ?? 20000,
    q.offset ?? 0,
  ]);
  return { total, rows: rows.map((r) => toAccountRow(r, today)) };
};

export const getAccountRow = (store: PortfolioStore, id: number, today: Date): AccountRow => {
  const r = store.get<AccountDbRow>(`${ACCOUNT_SELECT} WHERE a.id = ?`, [id]);
  if (!r) throw new CoreError('not_found', `account ${id} does not exist`, 'id');
  return toAccountRow(r, today);
};

export const getAccountDetail = (store: PortfolioStore, id: number, today: Date): AccountDetail => {
  const account = getAccountRow(store, id, today);
  const contacts = store
    .all<{
      id: number;
      name: string;
      title: string | null;
      email: string | null;
      is_champion: number;
      is_exec_sponsor: number;
      status: 'active' | 'departed';
      departed_at: string | null;
    }>(
      'SELECT id, name, title, email, is_champion, is_exec_sponsor, status, departed_at FROM contacts WHERE account_id = ? ORDER BY status, name',
      [id],
    )
    .map<ContactRow>((c) => ({
      id: c.id,
      name: c.name,
      title: c.title,
      email: c.email,
      isChampion: c.is_champion === 1,
      isExecSponsor: c.is_exec_sponsor === 1,
      status: c.status,
      departedAt: c.departed_at,
    }));
  const usage = store.all<UsagePoint>(
    'SELECT id, period_start AS periodStart, active_users AS activeUsers, logins, key_feature_use AS keyFeatureUse FROM usage_periods WHERE account_id = ? ORDER BY period_start',
    [id],
  );
  const tickets = store.all<Omit<TicketWithMessages, 'messages'>>(
    'SELECT id, subject, product_area AS productArea, priority, status, created_at AS createdAt, solved_at AS solvedAt FROM tickets WHERE account_id = ? ORDER BY created_at DESC',
    [id],
  );
  const messages = store.all<{
    id: number;
    ticket_id: number;
    side: 'customer' | 'agent';
    author_name: string | null;
    body: string;
    created_at: string;
    sentiment_label: string | null;
    sentiment_score: number | null;
  }>(
    `SELECT m.id, m.ticket_id, m.side, m.author_name, m.body, m.created_at, m.sentiment_label, m.sentiment_score
     FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.account_id = ? ORDER BY m.created_at`,
    [id],
  );
  const byTicket = new Map<number, TicketWithMessages>();
  const fullTickets = tickets.map((t) => {
    const full = { ...t, messages: [] as TicketWithMessages['messages'] };
    byTicket.set(t.id, full);
    return full;
  });
  for (const m of messages) {
    byTicket.get(m.ticket_id)?.messages.push({
      id: m.id,
      side: m.side,
      authorName: m.author_name,
      body: m.body,
      createdAt: m.created_at,
      sentimentLabel: m.sentiment_label,
      sentimentScore: m.sentiment_score,
    });
  }
  const health = store.all<HealthPoint>(
    'SELECT id, scored_at AS scoredAt, score FROM health_scores WHERE account_id = ? ORDER BY scored_at',
    [id],
  );
  const nps = store.all<NpsResponse>(
    `SELECT n.id, n.responded_at AS respondedAt, n.score, n.comment, c.name AS contactName
     FROM nps_responses n LEFT JOIN contacts c ON c.id = n.contact_id WHERE n.account_id = ? ORDER BY n.responded_at`,
    [id],
  );
  const engagements = store
    .all<{ id: number; occurredAt: string; kind: string; is_executive: number; summary: string | null }>(
      'SELECT id, occurred_at AS occurredAt, kind, is_executive, summary FROM engagements WHERE account_id = ? ORDER BY occurred_at',
      [id],
    )
    .map<EngagementEvent>((e) => ({
      id: e.id,
      occurredAt: e.occurredAt,
      kind: e.kind,
      isExecutive: e.is_executive === 1,
      summary: e.summary,
    }));
  const escalations = store.all<{
    id: number;
    opened_at: string;
    priority: string;
    status: string;
    summary: string | null;
  }>(
    'SELECT id, opened_at, priority, status, summary FROM escalations WHERE account_id = ? ORDER BY opened_at',
    [id],
  );

  const timeline: TimelineItem[] = [
    ...fullTickets.map<TimelineItem>((t) => ({
      at: t.createdAt,
      kind: 'ticket',
      title: `Ticket: ${t.subject}`,
      ref: `tickets:${t.id}`,
    })),
    ...contacts
      .filter((c) => c.departedAt)
      .map<TimelineItem>((c) => ({
        at: c.departedAt!,
        kind: 'stakeholder',
        title: `${c.name}${c.title ? ` (${c.title})` : ''} left${c.isChampion ? ' — champion' : ''}${c.isExecSponsor ? ' — executive sponsor' : ''}`,
        ref: `contacts:${c.id}`,
      })),
    ...nps.map<TimelineItem>((n) => ({
      at: n.respondedAt,
      kind: 'nps',
      title: `NPS ${n.score}${n.comment ? `: ${n.comment}` : ''}`,
      ref: `nps_responses:${n.id}`,
    })),
    ...engagements.map<TimelineItem>((e) => ({
      at: e.occurredAt,
      kind: 'engagement',
      title: `${e.isExecutive ? 'Executive ' : ''}${e.kind.replace('_', ' ')}${e.summary ? `: ${e.summary}` : ''}`,
      ref: `engagements:${e.id}`,
    })),
    ...escalations.map<TimelineItem>((e) => ({
      at: e.opened_at,
      kind: 'escalation',
      title: `Escalation (${e.priority}, ${e.status})${e.summary ? `: ${e.summary}` : ''}`,
      ref: `escalations:${e.id}`,
    })),
  ];
  // Health changes of 10 points or more are worth a line; the chart shows the rest.
  for (let i = 1; i < health.length; i++) {
    const d = health[i]!.score - health[i - 1]!.score;
    if (Math.abs(d) >= 10) {
      timeline.push({
        at: health[i]!.scoredAt,
        kind: 'health',
        title: `Health ${health[i - 1]!.score} → ${health[i]!.score}`,
        ref: `health_scores:${health[i]!.id}`,
      });
    }
  }
  timeline.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { account, contacts, usage, tickets: fullTickets, health, nps, engagements, timeline };
};

export const listTeam = (store: PortfolioStore): TeamMemberRow[] =>
  store
    .all<{
      id: number;
      name: string;
      email: string | null;
      role: TeamMemberRow['role'];
      skills: string;
      capacity: number;
      timezone: string;
      open_escalations: number;
    }>(
      `SELECT t.id, t.name, t.email, t.role, t.skills, t.capacity, t.timezone,
        (SELECT count(*) FROM escalations e WHERE e.owner_id = t.id AND e.status NOT IN ('resolved','closed')) AS open_escalations
       FROM team_members t WHERE t.active = 1 ORDER BY t.role, t.name`,
    )
    .map((t) => ({
      id: t.id,
      name: t.name,
      email: t.email,
      role: t.role,
      skills: JSON.parse(t.skills) as string[],
      capacity: t.capacity,
      timezone: t.timezone,
      openEscalations: t.open_escalations,
    }));
