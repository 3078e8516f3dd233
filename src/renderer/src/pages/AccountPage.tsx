/**
 * One account: its facts, stakeholders, usage and health over time, tickets with their threads, NPS,
 * engagements and the merged timeline. The risk engineer drops a ScoreBreakdown into the `risk` slot.
 */
import { lazy, Suspense, useState } from 'react';
import type {
  AccountDetail,
  ContactRow,
  EngagementEvent,
  NpsResponse,
  TicketWithMessages,
  TimelineItem,
} from '../../../shared/domain';
import { useCall } from '../api/useCall';
import { SentimentCorrection } from '../components/SentimentCorrection';
import { EmptyState, ErrorState, Loading } from '../components/StateViews';
import {
  daysSince,
  formatDate,
  formatDateTime,
  formatDays,
  formatMoney,
  healthBand,
  humanize,
  SEGMENT_LABEL,
} from '../format';
import { href } from '../router';
import { usePortfolio } from '../state/portfolio';

// recharts is large: load it only when an account is opened, so the Accounts list paints sooner.
const ScoreBreakdown = lazy(() =>
  import('../components/ScoreBreakdown').then((m) => ({ default: m.ScoreBreakdown })),
);
const UsageChart = lazy(() => import('../components/charts').then((m) => ({ default: m.UsageChart })));
const HealthChart = lazy(() => import('../components/charts').then((m) => ({ default: m.HealthChart })));

const EXPANSION_LABEL = { none: 'None', low: 'Low', medium: 'Medium', high: 'High' } as const;

/** Shows the first `initial` items and a button for the rest, so long histories stay readable. */
const useShowMore = (initial: number) => {
  const [all, setAll] = useState(false);
  return {
    slice: <T,>(xs: T[]): T[] => (all ? xs : xs.slice(0, initial)),
    button: (total: number, noun: string) =>
      total > initial ? (
        <button type="button" className="btn btn-link" onClick={() => setAll((a) => !a)}>
          {all ? `Show the latest ${initial} only` : `Show all ${total} ${noun}`}
        </button>
      ) : null,
  };
};

const Facts = ({ a }: { a: AccountDetail['account'] }) => {
  const band = healthBand(a.latestHealth);
  return (
    <dl className="facts" data-testid="account-facts">
      <div>
        <dt>ARR</dt>
        <dd className="fact-strong">{formatMoney(a.arr)}</dd>
      </div>
      <div>
        <dt>Renewal</dt>
        <dd>
          {a.renewalDate ? (
            <>
              {formatDate(a.renewalDate)}{' '}
              <span
                className={
                  a.daysToRenewal !== null && a.daysToRenewal >= 0 && a.daysToRenewal <= 90
                    ? 'days days-soon'
                    : 'days'
                }
              >
                {formatDays(a.daysToRenewal)}
              </span>
            </>
          ) : (
            '—'
          )}
        </dd>
      </div>
      <div>
        <dt>Health</dt>
        <dd>
          {a.latestHealth === null ? '—' : <span className={`health health-${band}`}>{a.latestHealth}</span>}
        </dd>
      </div>
      <div>
        <dt>Segment / tier</dt>
        <dd>
          {SEGMENT_LABEL[a.segment]}
          {a.tier ? ` · ${humanize(a.tier)}` : ''}
        </dd>
      </div>
      <div>
        <dt>Industry</dt>
        <dd>{humanize(a.industry)}</dd>
      </div>
      <div>
        <dt>Strategic</dt>
        <dd>{a.isStrategic ? 'Yes' : 'No'}</dd>
      </div>
      <div>
        <dt>Expansion potential</dt>
        <dd>{EXPANSION_LABEL[a.expansionPotential]}</dd>
      </div>
      <div>
        <dt>Contract start</dt>
        <dd>{formatDate(a.contractStart)}</dd>
      </div>
      <div>
        <dt>Owner</dt>
        <dd>{a.ownerName ?? 'Unassigned'}</dd>
      </div>
      <div>
        <dt>Source</dt>
        <dd>
          {a.source}
          {a.externalId ? <span className="muted"> · {a.externalId}</span> : null}
        </dd>
      </div>
    </dl>
  );
};

/** Key people first (champions, executive sponsors), then everyone else; departures stay visible. */
const contactRank = (c: ContactRow): number => (c.isChampion || c.isExecSponsor ? 0 : 1);

const Contacts = ({ contacts }: { contacts: ContactRow[] }) => {
  if (contacts.length === 0) return <p className="muted">No contacts recorded.</p>;
  const sorted = [...contacts].sort(
    (a, b) => contactRank(a) - contactRank(b) || a.name.localeCompare(b.name),
  );
  const lostKeyPeople = sorted.filter((c) => c.status === 'departed' && (c.isChampion || c.isExecSponsor));
  const hasActiveChampion = contacts.some((c) => c.isChampion && c.status === 'active');
  const hasActiveSponsor = contacts.some((c) => c.isExecSponsor && c.status === 'active');
  return (
    <>
      {lostKeyPeople.length > 0 ? (
        <div className="callout" data-testid="stakeholder-alert">
          {lostKeyPeople.map((c) => (
            <p key={c.id}>
              <strong>{c.isChampion ? 'Champion' : 'Executive sponsor'} departed:</strong> {c.name}
              {c.title ? ` (${c.title})` : ''}
              {c.departedAt ? ` left on ${formatDate(c.departedAt)}` : ' has left'}.
            </p>
          ))}
          {!hasActiveChampion ? <p className="muted">No active champion recorded.</p> : null}
          {!hasActiveSponsor ? <p className="muted">No active executive sponsor recorded.</p> : null}
        </div>
      ) : null}
      <ContactList contacts={sorted} />
    </>
  );
};

const ContactList = ({ contacts }: { contacts: ContactRow[] }) => {
  return (
    <ul className="contacts" data-testid="contacts">
      {contacts.map((c) => (
        <li
          key={c.id}
          className={c.status === 'departed' ? 'contact departed' : 'contact'}
          data-testid="contact"
        >
          <div className="contact-main">
            <span className="contact-name">{c.name}</span>
            {c.isChampion ? <span className="badge badge-champion">Champion</span> : null}
            {c.isExecSponsor ? <span className="badge badge-exec">Exec sponsor</span> : null}
            {c.status === 'departed' ? (
              <span className="badge badge-departed">
                Departed{c.departedAt ? ` ${formatDate(c.departedAt)}` : ''}
              </span>
            ) : null}
          </div>
          <div className="contact-sub muted" title={[c.title, c.email].filter(Boolean).join(' · ')}>
            {c.title ?? 'No title'}
            {c.email ? ` · ${c.email}` : ''}
          </div>
        </li>
      ))}
    </ul>
  );
};

const sentimentClass = (label: string | null): string => {
  const l = (label ?? '').toLowerCase();
  if (/neg|frustr|angry|anger/.test(l)) return 'badge badge-neg';
  if (/pos|happy|praise/.test(l)) return 'badge badge-pos';
  return 'badge';
};

const Ticket = ({ t }: { t: TicketWithMessages }) => {
  const negatives = t.messages.filter((m) => /neg|frustr|ang/i.test(m.sentimentLabel ?? '')).length;
  return (
    <details className="ticket" data-testid="ticket">
      <summary>
        <span className="ticket-subject">{t.subject}</span>
        <span className="ticket-meta">
          <span>{formatDate(t.createdAt)}</span>
          <span className={`badge prio-${t.priority}`}>{t.priority}</span>
          <span className="badge">{t.status}</span>
          {t.productArea ? <span className="muted">{t.productArea}</span> : null}
          <span className="muted">
            {t.messages.length} message{t.messages.length === 1 ? '' : 's'}
            {negatives ? ` · ${negatives} negative` : ''}
          </span>
        </span>
      </summary>
      <ol className="thread">
        {t.messages.map((m) => (
          <li key={m.id} className={`msg msg-${m.side}`}>
            <div className="msg-head">
              <span className="msg-author">
                {m.authorName ?? (m.side === 'customer' ? 'Customer' : 'Support agent')}
                <span className="muted"> · {m.side === 'customer' ? 'customer' : 'agent'}</span>
              </span>
              <span className="muted">{formatDateTime(m.createdAt)}</span>
              {m.sentimentLabel ? (
                <span
                  className={sentimentClass(m.sentimentLabel)}
                  title={m.sentimentScore !== null ? `score ${m.sentimentScore.toFixed(2)}` : undefined}
                >
                  {m.sentimentLabel}
                </span>
              ) : null}
            </div>
            <p className="msg-body">{m.body}</p>
            {m.side === 'customer' ? <SentimentCorrection messageId={m.id} label={m.sentimentLabel} /> : null}
          </li>
        ))}
      </ol>
      {t.solvedAt ? <p className="small muted">Solved {formatDateTime(t.solvedAt)}</p> : null}
    </details>
  );
};

const Tickets = ({ tickets }: { tickets: TicketWithMessages[] }) => {
  const more = useShowMore(12);
  if (tickets.length === 0) return <p className="muted">No support tickets.</p>;
  return (
    <>
      <div className="tickets">
        {more.slice(tickets).map((t) => (
          <Ticket key={t.id} t={t} />
        ))}
      </div>
      {more.button(tickets.length, 'tickets')}
    </>
  );
};

const npsClass = (s: number): string =>
  s >= 9 ? 'nps nps-promoter' : s >= 7 ? 'nps nps-passive' : 'nps nps-detractor';

const Nps = ({ nps }: { nps: NpsResponse[] }) => {
  if (nps.length === 0) return <p className="muted">No NPS responses.</p>;
  const sorted = [...nps].sort((a, b) => b.respondedAt.localeCompare(a.respondedAt));
  return (
    <table className="mini-table">
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col" className="num">
            Score
          </th>
          <th scope="col">Contact and comment</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((n) => (
          <tr key={n.id}>
            <td className="nowrap">{formatDate(n.respondedAt)}</td>
            <td className="num">
              <span className={npsClass(n.score)}>{n.score}</span>
            </td>
            <td>
              {n.contactName ? <span className="muted">{n.contactName}: </span> : null}
              {n.comment ?? <span className="muted">no comment</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

const Engagements = ({ engagements }: { engagements: EngagementEvent[] }) => {
  const more = useShowMore(10);
  const today = useToday();
  if (engagements.length === 0) return <p className="muted">No engagements recorded.</p>;
  const sorted = [...engagements].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  const lastExec = sorted.find((e) => e.isExecutive);
  return (
    <>
      <p className="small">
        Last executive touchpoint:{' '}
        <strong>
          {lastExec
            ? `${formatDate(lastExec.occurredAt)} (${daysSince(lastExec.occurredAt, today)} days ago)`
            : 'none recorded'}
        </strong>
      </p>
      <table className="mini-table">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Kind</th>
            <th scope="col">Summary</th>
          </tr>
        </thead>
        <tbody>
          {more.slice(sorted).map((e) => (
            <tr key={e.id}>
              <td className="nowrap">{formatDate(e.occurredAt)}</td>
              <td className="nowrap">
                {humanize(e.kind)}
                {e.isExecutive ? <span className="badge badge-exec">exec</span> : null}
              </td>
              <td>{e.summary ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more.button(sorted.length, 'engagements')}
    </>
  );
};

/** "Today" for the open portfolio: the demo story's anchor date, or the real date for your own data. */
const useToday = (): Date => {
  const asOf = usePortfolio((s) => s.info?.asOf ?? null);
  return asOf ? new Date(`${asOf}T00:00:00Z`) : new Date();
};

const KIND_LABEL: Record<TimelineItem['kind'], string> = {
  ticket: 'Ticket',
  stakeholder: 'Stakeholder',
  health: 'Health',
  nps: 'NPS',
  engagement: 'Engagement',
  escalation: 'Escalation',
};

const Timeline = ({ items }: { items: TimelineItem[] }) => {
  const more = useShowMore(15);
  const [kind, setKind] = useState<TimelineItem['kind'] | ''>('');
  if (items.length === 0) return <p className="muted">Nothing on the timeline yet.</p>;
  const sorted = [...items]
    .filter((i) => kind === '' || i.kind === kind)
    .sort((a, b) => b.at.localeCompare(a.at));
  const kinds = [...new Set(items.map((i) => i.kind))];
  return (
    <>
      <div className="field field-inline">
        <label htmlFor="timeline-kind">Show</label>
        <select
          id="timeline-kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as TimelineItem['kind'] | '')}
        >
          <option value="">Everything</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </div>
      <ol className="timeline" data-testid="timeline">
        {more.slice(sorted).map((i) => (
          <li key={`${i.ref}:${i.at}`} className={`tl tl-${i.kind}`}>
            <span className="tl-date">{formatDate(i.at)}</span>
            <span className={`tl-kind kind-${i.kind}`}>{KIND_LABEL[i.kind]}</span>
            <span className="tl-title">{i.title}</span>
          </li>
        ))}
      </ol>
      {more.button(sorted.length, 'events')}
    </>
  );
};

const Section = ({
  title,
  id,
  children,
  className,
}: {
  title: string;
  id: string;
  children: React.ReactNode;
  className?: string;
}) => (
  <section className={className ? `card ${className}` : 'card'} aria-labelledby={id}>
    <h2 id={id} className="card-title">
      {title}
    </h2>
    {children}
  </section>
);

export const AccountPage = ({ id }: { id: number }) => {
  const valid = Number.isInteger(id) && id > 0;
  const detail = useCall('accounts.get', { id: valid ? id : 1 }, { skip: !valid });

  if (!valid) {
    return (
      <div className="page">
        <EmptyState title="No such account">
          <p>
            The address does not name an account. <a href={href('/accounts')}>Back to Accounts</a>
          </p>
        </EmptyState>
      </div>
    );
  }
  const back = (
    <a className="back-link" href={href('/accounts')}>
      ← Accounts
    </a>
  );
  if (detail.status === 'error') {
    return (
      <div className="page">
        {back}
        <ErrorState
          title={detail.error.code === 'not_found' ? 'Account not found' : 'The account could not be loaded'}
          error={detail.error}
          onRetry={detail.error.code === 'not_found' ? undefined : detail.reload}
        />
      </div>
    );
  }
  const d = detail.status === 'ok' ? detail.value : detail.previous;
  if (!d || d.account.id !== id) {
    return (
      <div className="page">
        {back}
        <Loading what="account" />
      </div>
    );
  }
  const a = d.account;
  return (
    <div className="page account-page">
      {back}
      <header className="page-header account-header">
        <h1>{a.name}</h1>
        <span className="tag">{SEGMENT_LABEL[a.segment]}</span>
        {a.isStrategic ? <span className="tag tag-strategic">Strategic</span> : null}
        {a.status === 'churned' ? <span className="tag tag-churned">Churned</span> : null}
        <a className="btn btn-small" href={href(`/accounts/${a.id}/brief`)}>
          Brief &amp; action plan
        </a>
      </header>
      <Facts a={a} />
      <section data-slot="risk" className="risk-slot" aria-label="Escalation risk">
        <Suspense fallback={<Loading what="risk score" />}>
          <ScoreBreakdown accountId={a.id} />
        </Suspense>
      </section>
      <div className="account-grid">
        <div className="account-col">
          <Section title="Usage" id="sec-usage">
            <Suspense fallback={<Loading what="chart" />}>
              <UsageChart usage={d.usage} />
            </Suspense>
          </Section>
          <Section title="Health" id="sec-health">
            <Suspense fallback={<Loading what="chart" />}>
              <HealthChart health={d.health} />
            </Suspense>
          </Section>
          <Section title={`Support tickets (${d.tickets.length})`} id="sec-tickets">
            <Tickets tickets={d.tickets} />
          </Section>
          <Section title="Engagements" id="sec-engagements">
            <Engagements engagements={d.engagements} />
          </Section>
        </div>
        <div className="account-col">
          <Section title="Contacts and stakeholders" id="sec-contacts">
            <Contacts contacts={d.contacts} />
          </Section>
          <Section title="Timeline" id="sec-timeline">
            <Timeline items={d.timeline} />
          </Section>
          <Section title="NPS" id="sec-nps">
            <Nps nps={d.nps} />
          </Section>
        </div>
      </div>
    </div>
  );
};
