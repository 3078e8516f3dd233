/**
 * The escalation queue: flagged accounts, prioritized, each with its top three factors. A person confirms
 * (it becomes an escalation), dismisses with a reason, or snoozes with a reason until a date.
 */
import { useState } from 'react';
import type { QueueItem, QueueSort } from '../../../shared/risk-types';
import { api } from '../api/client';
import { useCall } from '../api/useCall';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { NUM_STYLE, PriorityBadge, TABLE_STYLE, TD_STYLE, TH_STYLE } from '../components/RiskBadges';
import { ErrorState, Loading } from '../components/StateViews';
import { formatDate, formatMoney, SEGMENT_LABEL } from '../format';
import { href } from '../router';

const SORTS: { key: QueueSort; label: string }[] = [
  { key: 'priority', label: 'Priority' },
  { key: 'score', label: 'Score' },
  { key: 'arrAtRisk', label: 'ARR at risk' },
  { key: 'daysToRenewal', label: 'Days to renewal' },
];

type Decision = { kind: 'confirm' | 'dismiss' | 'snooze'; item: QueueItem } | null;

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

export const EscalationsPage = () => {
  const [sort, setSort] = useState<QueueSort>('priority');
  const [decision, setDecision] = useState<Decision>(null);
  const [who, setWho] = useState(() => localStorage.getItem('bellwether.decider') ?? '');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState(inDays(14));
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const q = useCall(
    'risk.queue',
    { sort },
    { entities: ['risk_flags', 'risk_scores', 'risk_overrides', 'escalations', '*'] },
  );

  const close = () => {
    setDecision(null);
    setReason('');
    setError(null);
  };
  const decide = async () => {
    if (!decision) return;
    if (!who.trim()) {
      setError('Say who decides (it is recorded).');
      return;
    }
    localStorage.setItem('bellwether.decider', who);
    const flag = decision.item.flags[0]!;
    if (decision.kind === 'confirm') {
      const r = await api.call('risk.flags.confirm', { flagId: flag.id, decidedBy: who });
      if (!r.ok) return setError(r.error.message);
      setMessage(
        `${decision.item.accountName}: escalation #${r.value.escalationId} ${r.value.created ? 'opened' : 'updated'}.`,
      );
    } else if (decision.kind === 'dismiss') {
      const r = await api.call('risk.flags.dismiss', {
        flagId: flag.id,
        decidedBy: who,
        reason,
        allForAccount: true,
      });
      if (!r.ok) return setError(r.error.message);
      setMessage(`${decision.item.accountName}: dismissed (${reason}).`);
    } else {
      for (const f of decision.item.flags) {
        const r = await api.call('risk.flags.snooze', { flagId: f.id, until, reason, snoozedBy: who });
        if (!r.ok) return setError(r.error.message);
      }
      setMessage(`${decision.item.accountName}: snoozed until ${formatDate(until)}.`);
    }
    close();
    q.reload();
  };

  const items = q.status === 'ok' ? q.value : q.status === 'loading' ? q.previous : undefined;
  return (
    <div className="page" data-testid="escalations-page">
      <header className="page-header">
        <h1>Escalation queue</h1>
        {items ? (
          <span className="page-count">{items.length} flagged accounts waiting for a decision</span>
        ) : null}
      </header>
      <div className="toolbar">
        <label className="field-inline">
          Sort by{' '}
          <select
            value={sort}
            onChange={(e) => setSort(e.target.value as QueueSort)}
            data-testid="queue-sort"
          >
            {SORTS.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn"
          onClick={async () => {
            const r = await api.call('risk.rescoreAll', {});
            setMessage(
              r.ok
                ? `Rescored ${r.value.accounts} accounts in ${r.value.ms} ms; ${r.value.flagsRaised} new flags.`
                : r.error.message,
            );
            q.reload();
          }}
        >
          Rescore now
        </button>
        {message ? (
          <span className="small" role="status">
            {message}
          </span>
        ) : null}
      </div>
      {q.status === 'error' ? (
        <ErrorState title="The queue could not be loaded" error={q.error} onRetry={q.reload} />
      ) : null}
      {!items && q.status !== 'error' ? <Loading what="queue" /> : null}
      {items && items.length === 0 ? (
        <p className="muted">No flagged account is waiting for a decision.</p>
      ) : null}
      {items && items.length > 0 ? (
        <div style={{ overflowX: 'auto' }}>
          <table style={TABLE_STYLE} aria-label="Escalation queue" data-testid="queue">
            <thead>
              <tr>
                <th style={TH_STYLE}>Priority</th>
                <th style={TH_STYLE}>Account</th>
                <th style={{ ...TH_STYLE, textAlign: 'right' }}>Score</th>
                <th style={{ ...TH_STYLE, textAlign: 'right' }}>ARR</th>
                <th style={{ ...TH_STYLE, textAlign: 'right' }}>ARR at risk</th>
                <th style={{ ...TH_STYLE, textAlign: 'right' }}>Renewal</th>
                <th style={TH_STYLE}>Top factors</th>
                <th style={TH_STYLE}>Flagged by</th>
                <th style={TH_STYLE}>Decision</th>
              </tr>
            </thead>
            <tbody>
              {items.map((it) => (
                <tr key={it.accountId} data-testid="queue-row" data-account-id={it.accountId}>
                  <td style={TD_STYLE}>
                    <PriorityBadge priority={it.priority} />
                    <div className="muted small">{it.response.label}</div>
                  </td>
                  <td style={TD_STYLE}>
                    <a href={href(`/accounts/${it.accountId}`)}>{it.accountName}</a>
                    <div className="muted small">{SEGMENT_LABEL[it.segment]}</div>
                  </td>
                  <td style={NUM_STYLE}>
                    <strong>{it.score}</strong>
                    {it.overridden ? (
                      <div className="muted small" title="Manual override in force">
                        override (computed {it.computedScore})
                      </div>
                    ) : null}
                  </td>
                  <td style={NUM_STYLE}>{formatMoney(it.arr)}</td>
                  <td style={NUM_STYLE}>{formatMoney(it.arrAtRisk)}</td>
                  <td style={NUM_STYLE}>{it.daysToRenewal === null ? '—' : `${it.daysToRenewal} d`}</td>
                  <td style={TD_STYLE}>
                    <ol className="small" style={{ margin: 0, paddingLeft: 18 }}>
                      {it.topFactors.map((f) => (
                        <li key={f.key} data-testid="top-factor">
                          {f.label} <strong>+{f.points}</strong> <span className="muted">— {f.detail}</span>
                        </li>
                      ))}
                    </ol>
                  </td>
                  <td style={TD_STYLE} className="small">
                    {it.flags.map((f) => (
                      <div key={f.id}>
                        {f.ruleName}{' '}
                        <span className="muted">
                          v{f.ruleVersion}, {formatDate(f.raisedAt)}
                        </span>
                      </div>
                    ))}
                  </td>
                  <td style={{ ...TD_STYLE, whiteSpace: 'nowrap' }}>
                    <button
                      type="button"
                      className="btn btn-primary btn-small"
                      onClick={() => setDecision({ kind: 'confirm', item: it })}
                    >
                      Confirm
                    </button>{' '}
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => setDecision({ kind: 'dismiss', item: it })}
                    >
                      Dismiss
                    </button>{' '}
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => setDecision({ kind: 'snooze', item: it })}
                    >
                      Snooze
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ConfirmDialog
        open={decision !== null}
        title={
          decision
            ? decision.kind === 'confirm'
              ? `Escalate ${decision.item.accountName}?`
              : decision.kind === 'dismiss'
                ? `Dismiss the flag on ${decision.item.accountName}?`
                : `Snooze ${decision.item.accountName}?`
            : ''
        }
        confirmLabel={
          decision?.kind === 'confirm'
            ? 'Confirm escalation'
            : decision?.kind === 'dismiss'
              ? 'Dismiss'
              : 'Snooze'
        }
        onConfirm={decide}
        onCancel={close}
      >
        {decision?.kind === 'confirm' ? (
          <p>
            This opens an escalation ({decision.item.priority}, score {decision.item.score}) and records you
            as the person who decided.
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="decider">Your name</label>
          <input id="decider" value={who} onChange={(e) => setWho(e.target.value)} data-testid="decider" />
        </div>
        {decision && decision.kind !== 'confirm' ? (
          <div className="field">
            <label htmlFor="decision-reason">Reason (kept for backtests and learning)</label>
            <input
              id="decision-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              data-testid="decision-reason"
            />
          </div>
        ) : null}
        {decision?.kind === 'snooze' ? (
          <div className="field">
            <label htmlFor="snooze-until">Until</label>
            <input id="snooze-until" type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
          </div>
        ) : null}
        {error ? (
          <p className="error-message" role="alert">
            {error}
          </p>
        ) : null}
      </ConfirmDialog>
    </div>
  );
};
