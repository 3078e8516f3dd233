/**
 * Escalation detail: owner and why, one-click (re)assignment from the ranked candidates, SLA countdown with
 * pause/resume, status actions, escalation-path steps and the timeline.
 */
import { useEffect, useState } from 'react';
import type { EscalationDetailView, SlaClockState } from '../../../shared/routing-types';
import { formatDateTime, formatMoney } from '../format';
import { callRouting, minutesText, useRouting } from '../pages/routing-api';
import { OutcomeForm } from './OutcomeForm';
import { ErrorState, Loading } from './StateViews';

const CLOCK_LABEL = { ack: 'Acknowledge', progress: 'Progress', resolve: 'Resolve' } as const;
const STATUS_COLOR: Record<SlaClockState['status'], string> = {
  running: '#16a34a',
  warning: '#d97706',
  breached: '#dc2626',
  met: '#2563eb',
  met_late: '#7c3aed',
  paused: '#6b7280',
};

/** Re-renders every 30 s so countdowns move without a reload. */
const useNow = (): number => {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
};

const Countdown = ({ c, now }: { c: SlaClockState; now: number }) => {
  const left = c.dueAt ? (Date.parse(c.dueAt) - now) / 60_000 : null;
  return (
    <div
      className="card"
      data-testid={`sla-${c.kind}`}
      style={{ borderLeft: `4px solid ${STATUS_COLOR[c.status]}` }}
    >
      <div className="card-title">
        {CLOCK_LABEL[c.kind]} —{' '}
        <span style={{ color: STATUS_COLOR[c.status] }}>{c.status.replace('_', ' ')}</span>
      </div>
      {c.status === 'met' || c.status === 'met_late' ? (
        <p>Met {formatDateTime(c.metAt)}</p>
      ) : c.status === 'paused' ? (
        <p>Paused — {minutesText(c.remainingMinutes)} left when it resumes</p>
      ) : (
        <p>
          {left !== null && left < 0
            ? `${minutesText(-left)} overdue`
            : `${minutesText(left ?? c.remainingMinutes)} left`}{' '}
          · due {c.dueLocal}
        </p>
      )}
      <p className="small muted">
        Target {minutesText(c.targetMinutes)} ({c.clock === 'business' ? 'business hours' : '24x7'}) · {c.pct}
        % used
      </p>
    </div>
  );
};

export const EscalationDetail = ({ escalationId }: { escalationId: number }) => {
  const d = useRouting('routing.detail', { escalationId }, ['escalations', 'team', '*']);
  const cands = useRouting('routing.candidates', { escalationId }, ['escalations', 'team']);
  const now = useNow();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (d.status === 'loading' && !d.previous) return <Loading what="the escalation" />;
  if (d.status === 'error')
    return <ErrorState title="Could not load the escalation" error={d.error} onRetry={d.reload} />;
  const e = (d.status === 'ok' ? d.value : d.previous) as EscalationDetailView;
  const act = async (p: Promise<{ ok: boolean; error?: { message: string } }>) => {
    setError(null);
    const r = await p;
    if (!r.ok) setError(r.error?.message ?? 'failed');
    d.reload();
    cands.reload();
  };
  return (
    <section className="page" data-testid="escalation-detail">
      <header className="page-header">
        <h1>
          {e.accountName} — {e.priority.toUpperCase()}
        </h1>
        <span className="page-count">
          {formatMoney(e.arr)} ARR{e.score !== null ? ` · risk ${e.score}/100` : ''} ·{' '}
          {e.status.replace('_', ' ')}
        </span>
      </header>
      {e.summary ? <p>{e.summary}</p> : null}
      <div className="card">
        <div className="card-title">Owner: {e.ownerName ?? 'unassigned'}</div>
        {e.routingReason ? <p className="small">{e.routingReason}</p> : null}
        <div>
          {(['acknowledged', 'progress', 'resolved'] as const).map((s) => (
            <button
              key={s}
              type="button"
              className="btn btn-small"
              onClick={() => void act(callRouting('routing.setStatus', { escalationId, status: s }))}
            >
              {s === 'acknowledged' ? 'Acknowledge' : s === 'progress' ? 'Log progress' : 'Resolve'}
            </button>
          ))}
        </div>
      </div>
      {e.status !== 'closed' ? (
        <OutcomeForm
          escalationId={escalationId}
          arr={e.arr}
          onDone={() => {
            d.reload();
            cands.reload();
          }}
        />
      ) : null}
      {e.sla ? (
        <div>
          <h2>SLA</h2>
          <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
            {e.sla.clocks.map((c) => (
              <Countdown key={c.kind} c={c} now={now} />
            ))}
          </div>
          {e.sla.paused ? (
            <p>
              Paused since {formatDateTime(e.sla.paused.pausedAt)}: {e.sla.paused.reason}{' '}
              <button
                type="button"
                className="btn btn-small"
                onClick={() => void act(callRouting('sla.resume', { escalationId }))}
              >
                Resume
              </button>
            </p>
          ) : (
            <p>
              <input
                aria-label="Pause reason"
                placeholder="Reason to pause the SLA"
                value={reason}
                onChange={(x) => setReason(x.target.value)}
              />{' '}
              <button
                type="button"
                className="btn btn-small"
                disabled={!reason.trim()}
                onClick={() => {
                  void act(callRouting('sla.pause', { escalationId, reason: reason.trim() }));
                  setReason('');
                }}
              >
                Pause SLA
              </button>
            </p>
          )}
        </div>
      ) : null}
      {error ? (
        <p className="error-message" role="alert">
          {error}
        </p>
      ) : null}
      <h2>Candidates</h2>
      {cands.status === 'ok' ? (
        <>
          {cands.value.warning ? <p className="error-message">{cands.value.warning}</p> : null}
          <table className="mini-table">
            <tbody>
              {cands.value.candidates.map((c) => (
                <tr key={c.memberId}>
                  <td>
                    {c.rank}. <strong>{c.name}</strong> <span className="small muted">score {c.score}</span>
                    {c.fits ? null : (
                      <span className="tag">{c.available ? 'over capacity' : 'unavailable'}</span>
                    )}
                    <ul className="small muted">
                      {c.factors.map((f) => (
                        <li key={f.name}>
                          {f.name}: {f.reason}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    {c.memberId === e.ownerId ? (
                      <span className="tag">owner</span>
                    ) : (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() =>
                          void act(callRouting('routing.assign', { escalationId, memberId: c.memberId }))
                        }
                      >
                        Assign
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <Loading what="candidates" />
      )}
      <h2>Escalation path</h2>
      <ol>
        {e.path.map((s) => (
          <li key={s.index}>
            Level {s.level}: {s.when === 'no_ack' ? 'no acknowledgement' : 'no progress'} →{' '}
            {s.notify.join(', ')} — due {formatDateTime(s.dueAt)} —{' '}
            <strong>{s.status.replace('_', ' ')}</strong>
            {s.notified.length ? ` (notified ${s.notified.join(', ')})` : ''}
          </li>
        ))}
      </ol>
      <h2>Timeline</h2>
      <ul data-testid="escalation-timeline">
        {e.timeline.map((t) => (
          <li key={t.id}>
            <span className="small muted">{formatDateTime(t.at)}</span> {t.text}
            {t.actor ? <span className="small muted"> — {t.actor}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
};
