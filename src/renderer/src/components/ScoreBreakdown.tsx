/**
 * The account's escalation risk: score and priority (with any manual override, shown as such), each factor's
 * points with links to the records behind it, what changed since last week, the flags, and the score history.
 */
import { useState } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { AccountRisk, FactorContribution } from '../../../shared/risk-types';
import { api } from '../api/client';
import { useCall } from '../api/useCall';
import { formatDate, formatDateTime, formatMoney } from '../format';
import { href } from '../router';
import { NUM_STYLE, PRIORITY_LABEL, PriorityBadge, TABLE_STYLE, TD_STYLE, TH_STYLE } from './RiskBadges';
import { ErrorState, Loading } from './StateViews';

/** Which section of the account page shows a record of this table. */
const SECTION: Record<string, string> = {
  tickets: 'sec-tickets',
  ticket_messages: 'sec-tickets',
  usage_periods: 'sec-usage',
  health_scores: 'sec-health',
  nps_responses: 'sec-nps',
  contacts: 'sec-contacts',
  engagements: 'sec-engagements',
  escalations: 'sec-timeline',
};
const TABLE_LABEL: Record<string, string> = {
  tickets: 'ticket',
  ticket_messages: 'message',
  usage_periods: 'usage week',
  health_scores: 'health score',
  nps_responses: 'NPS answer',
  contacts: 'contact',
  engagements: 'engagement',
  escalations: 'escalation',
};

export const EvidenceLinks = ({ refs, max = 6 }: { refs: string[]; max?: number }) => {
  if (refs.length === 0) return null;
  const shown = refs.slice(0, max);
  return (
    <span className="evidence" data-testid="evidence">
      {shown.map((r) => {
        const [table = '', id = ''] = r.split(':');
        const target = SECTION[table];
        return (
          <button
            key={r}
            type="button"
            className="btn-link small"
            style={{ marginRight: 6 }}
            title={`Show ${TABLE_LABEL[table] ?? table} ${id}`}
            onClick={() =>
              target &&
              document.getElementById(target)?.scrollIntoView({ behavior: 'smooth', block: 'start' })
            }
          >
            {TABLE_LABEL[table] ?? table} #{id}
          </button>
        );
      })}
      {refs.length > max ? <span className="muted small"> +{refs.length - max} more</span> : null}
    </span>
  );
};

const FactorRow = ({ f }: { f: FactorContribution }) => (
  <tr data-testid="factor" data-factor={f.key}>
    <td style={TD_STYLE}>{f.label}</td>
    <td style={NUM_STYLE}>
      <strong>{f.points}</strong>
      <span className="muted small"> / {f.max}</span>
    </td>
    <td style={TD_STYLE}>
      <div
        aria-hidden="true"
        style={{
          background: '#fee2e2',
          width: 120,
          height: 8,
          borderRadius: 4,
          overflow: 'hidden',
          display: 'inline-block',
        }}
      >
        <div
          style={{ background: '#b91c1c', height: 8, width: `${f.max ? (100 * f.points) / f.max : 0}%` }}
        />
      </div>
    </td>
    <td style={TD_STYLE}>
      {f.detail} <EvidenceLinks refs={f.evidence} />
      {f.key === 'model' && f.max > 0 ? (
        <a className="small" href={href('/model')} data-testid="model-card-link">
          how the model was trained and tested
        </a>
      ) : null}
    </td>
  </tr>
);

const HistoryChart = ({ r }: { r: AccountRisk }) => {
  const data = r.history.map((h) => ({ ...h, label: formatDate(h.day) }));
  const first = data[0];
  const last = data[data.length - 1];
  const summary =
    first && last
      ? `Risk score from ${first.label} (${first.score}) to ${last.label} (${last.score}), ${data.length} points.`
      : '';
  return (
    <figure className="chart" data-testid="score-history" aria-labelledby="score-history-title">
      <figcaption id="score-history-title" className="chart-title">
        Score history
      </figcaption>
      <LineChart
        responsive
        style={{ width: '100%', height: 200 }}
        data={data}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        title="Escalation risk score history"
        desc={summary}
      >
        <CartesianGrid stroke="#e5e7eb" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={24} />
        <YAxis domain={[0, 100]} width={32} tick={{ fontSize: 11 }} />
        <Tooltip />
        <Line
          type="monotone"
          dataKey="score"
          name="Score in force"
          stroke="#b91c1c"
          dot={false}
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="computedScore"
          name="Computed"
          stroke="#6b7280"
          strokeDasharray="4 3"
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
      <p className="muted small">{summary}</p>
    </figure>
  );
};

const OverrideForm = ({ r, onDone }: { r: AccountRisk; onDone: () => void }) => {
  const [open, setOpen] = useState(false);
  const [score, setScore] = useState(String(r.score));
  const [reason, setReason] = useState('');
  const [by, setBy] = useState('');
  const [expires, setExpires] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (r.override) {
    return (
      <div className="callout" data-testid="override" role="note">
        <strong>Manual override: {r.override.score}</strong>
        {r.override.priority ? ` (${PRIORITY_LABEL[r.override.priority]})` : ''} by {r.override.setBy} on{' '}
        {formatDateTime(r.override.setAt)} — {r.override.reason}.{' '}
        {r.override.expiresAt ? `Expires ${formatDateTime(r.override.expiresAt)}.` : 'No expiry.'} Computed
        score: {r.computedScore}.{' '}
        <button
          type="button"
          className="btn btn-small"
          onClick={async () => {
            const who = window.prompt('Your name (recorded with the change)') ?? '';
            if (!who.trim()) return;
            const res = await api.call('risk.override.clear', { accountId: r.accountId, clearedBy: who });
            if (!res.ok) setError(res.error.message);
            onDone();
          }}
        >
          Remove override
        </button>
        {error ? <p className="error-message">{error}</p> : null}
      </div>
    );
  }
  if (!open) {
    return (
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)}>
        Override score…
      </button>
    );
  }
  return (
    <form
      className="toolbar"
      data-testid="override-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const res = await api.call('risk.override.set', {
          accountId: r.accountId,
          score: Number(score),
          reason,
          setBy: by,
          ...(expires ? { expiresAt: expires } : {}),
        });
        if (!res.ok) setError(res.error.message);
        else {
          setOpen(false);
          onDone();
        }
      }}
    >
      <label className="field-inline">
        Score{' '}
        <input
          type="number"
          min={0}
          max={100}
          value={score}
          onChange={(e) => setScore(e.target.value)}
          required
          style={{ width: 64 }}
        />
      </label>
      <label className="field-inline">
        Reason <input value={reason} onChange={(e) => setReason(e.target.value)} required />
      </label>
      <label className="field-inline">
        Your name <input value={by} onChange={(e) => setBy(e.target.value)} required />
      </label>
      <label className="field-inline">
        Expires (optional) <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </label>
      <button type="submit" className="btn btn-primary btn-small">
        Save override
      </button>
      <button type="button" className="btn btn-small" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error ? <p className="error-message">{error}</p> : null}
    </form>
  );
};

export const ScoreBreakdown = ({ accountId }: { accountId: number }) => {
  const risk = useCall(
    'risk.account',
    { accountId },
    { entities: ['risk_scores', 'risk_flags', 'risk_overrides', 'risk_config', '*'] },
  );
  if (risk.status === 'error')
    return (
      <ErrorState title="The risk score could not be computed" error={risk.error} onRetry={risk.reload} />
    );
  const r = risk.status === 'ok' ? risk.value : risk.previous;
  if (!r) return <Loading what="risk score" />;
  const active = r.factors.filter((f) => f.points > 0);
  const changed = r.changes.factors.slice(0, 5);
  return (
    <div className="score-breakdown" data-testid="score-breakdown">
      <div className="toolbar" style={{ alignItems: 'baseline', gap: 16 }}>
        <span style={{ fontSize: 36, fontWeight: 700 }} data-testid="risk-score">
          {r.score}
        </span>
        <span className="muted">/ 100 escalation risk</span>
        <PriorityBadge priority={r.priority} />
        <span className="small">{r.response.label}</span>
        <span className="muted small">
          ARR {formatMoney(r.arr)} · at risk {formatMoney(r.arrAtRisk)}
          {r.daysToRenewal !== null ? ` · renewal in ${r.daysToRenewal} days` : ''}
        </span>
      </div>
      <p className="muted small">{r.priorityReason}</p>
      <OverrideForm r={r} onDone={risk.reload} />
      <table style={{ ...TABLE_STYLE, marginTop: 8 }} aria-label="Score breakdown">
        <thead>
          <tr>
            <th style={TH_STYLE}>Factor</th>
            <th style={{ ...TH_STYLE, textAlign: 'right' }}>Points</th>
            <th style={TH_STYLE} aria-label="Share of maximum" />
            <th style={TH_STYLE}>Why (and the records behind it)</th>
          </tr>
        </thead>
        <tbody>
          {active.map((f) => (
            <FactorRow key={f.key} f={f} />
          ))}
        </tbody>
      </table>
      {active.length === 0 ? <p className="muted">No risk factor is active.</p> : null}
      <p className="small" data-testid="score-changes">
        <strong>Since last week</strong> ({r.changes.scoreBefore} → {r.computedScore}):{' '}
        {changed.length === 0
          ? 'no change.'
          : changed.map((c) => `${c.label} ${c.delta > 0 ? '+' : ''}${c.delta}`).join('; ')}
      </p>
      {r.flags.length > 0 ? (
        <p className="small">
          <strong>Flags:</strong>{' '}
          {r.flags
            .slice(0, 5)
            .map(
              (f) =>
                `${f.ruleName} (v${f.ruleVersion}, ${f.status}${f.dismissReason ? `: ${f.dismissReason}` : ''}, ${formatDate(f.raisedAt)})`,
            )
            .join('; ')}
        </p>
      ) : null}
      <HistoryChart r={r} />
    </div>
  );
};
