/**
 * Settings for routing: SLA targets per priority, escalation paths, notification channels (desktop, Slack
 * webhook, SMTP) with a "send test" per channel, and the outbox messages that need a person's review.
 */
import { useState } from 'react';
import type { ChannelView, SlaPolicy } from '../../../shared/routing-types';
import { callRouting, minutesText, useRouting } from '../pages/routing-api';
import { ErrorState, Loading } from './StateViews';

const PolicyRow = ({ p, onSaved }: { p: SlaPolicy; onSaved: () => void }) => {
  const [targets, setTargets] = useState(p.targets);
  const [warn, setWarn] = useState(p.warnPct);
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <tr>
      <td>
        <strong>{p.priority}</strong>
        <div className="small muted">{p.description}</div>
      </td>
      <td>{p.clock === 'business' ? 'business hours' : '24x7'}</td>
      <td>
        {targets.map((t, i) => (
          <label key={t.kind} className="field-inline">
            {t.kind} (min)
            <input
              type="number"
              min={1}
              value={t.minutes}
              onChange={(e) =>
                setTargets(targets.map((x, j) => (j === i ? { ...x, minutes: Number(e.target.value) } : x)))
              }
            />
            <span className="small muted">{minutesText(t.minutes)}</span>
          </label>
        ))}
      </td>
      <td>
        <input
          type="number"
          min={1}
          max={99}
          aria-label="Warn at %"
          value={warn}
          onChange={(e) => setWarn(Number(e.target.value))}
        />
        %
      </td>
      <td>
        <button
          type="button"
          className="btn btn-small"
          onClick={async () => {
            const r = await callRouting('sla.savePolicy', { ...p, targets, warnPct: warn });
            setMsg(r.ok ? 'saved' : r.error.message);
            onSaved();
          }}
        >
          Save
        </button>
        {msg ? <span className="small"> {msg}</span> : null}
      </td>
    </tr>
  );
};

const ChannelRow = ({ c }: { c: ChannelView }) => {
  const [to, setTo] = useState('');
  const [result, setResult] = useState<string | null>(null);
  return (
    <tr>
      <td>{c.name}</td>
      <td>{c.kind}</td>
      <td className="small">
        {c.kind === 'slack'
          ? String(c.config.url)
          : c.kind === 'email'
            ? `${c.config.host}:${c.config.port}`
            : ''}
      </td>
      <td>
        {c.kind === 'email' ? (
          <input
            aria-label="Test address"
            placeholder="send test to"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        ) : null}
        <button
          type="button"
          className="btn btn-small"
          onClick={async () => {
            setResult('sending…');
            const r = await callRouting('notifications.test', { channelId: c.id, ...(to ? { to } : {}) });
            setResult(r.ok ? r.value.message : r.error.message);
          }}
        >
          Send test
        </button>
        {result ? <span className="small"> {result}</span> : null}
      </td>
    </tr>
  );
};

const AddChannel = ({ onSaved }: { onSaved: () => void }) => {
  const [kind, setKind] = useState<'slack' | 'email'>('slack');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [host, setHost] = useState('');
  const [port, setPort] = useState(25);
  const [from, setFrom] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    const r =
      kind === 'slack'
        ? await callRouting('notifications.saveChannel', { kind, name, config: { url } })
        : await callRouting('notifications.saveChannel', { kind, name, config: { host, port, from } });
    setError(r.ok ? null : r.error.message);
    if (r.ok) onSaved();
  };
  return (
    <div className="card">
      <div className="card-title">Add a channel</div>
      <select
        aria-label="Channel kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as 'slack' | 'email')}
      >
        <option value="slack">Slack incoming webhook</option>
        <option value="email">Email (SMTP)</option>
      </select>
      <input
        aria-label="Channel name"
        placeholder="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      {kind === 'slack' ? (
        <input
          aria-label="Webhook URL"
          placeholder="https://hooks.slack.com/services/…"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
      ) : (
        <>
          <input
            aria-label="SMTP host"
            placeholder="smtp host"
            value={host}
            onChange={(e) => setHost(e.target.value)}
          />
          <input
            aria-label="SMTP port"
            type="number"
            value={port}
            onChange={(e) => setPort(Number(e.target.value))}
          />
          <input
            aria-label="From address"
            placeholder="from"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </>
      )}
      <button type="button" className="btn btn-small" onClick={() => void save()}>
        Add
      </button>
      {error ? <p className="error-message">{error}</p> : null}
    </div>
  );
};

export const RoutingSettings = () => {
  const s = useRouting('routing.settings', {}, ['*']);
  const review = useRouting('outbox.list', { status: 'unknown' }, ['outbox']);
  if (s.status === 'loading' && !s.previous) return <Loading what="routing settings" />;
  if (s.status === 'error')
    return <ErrorState title="Could not load routing settings" error={s.error} onRetry={s.reload} />;
  const v = s.status === 'ok' ? s.value : s.previous!;
  return (
    <section data-testid="routing-settings">
      <h2>SLA targets</h2>
      <table className="mini-table">
        <tbody>
          {v.policies.map((p) => (
            <PolicyRow key={p.priority} p={p} onSaved={s.reload} />
          ))}
        </tbody>
      </table>
      <h2>Escalation paths</h2>
      <ul>
        {Object.entries(v.paths).map(([priority, steps]) => (
          <li key={priority}>
            <strong>{priority}</strong>:{' '}
            {steps.length === 0
              ? 'none'
              : steps
                  .map(
                    (st) =>
                      `level ${st.level}: ${st.when === 'no_ack' ? 'no acknowledgement' : 'no progress'} in ${minutesText(st.afterMinutes)}${st.clock === 'business' ? ' (business)' : ''} → ${st.notify.join(' + ')}`,
                  )
                  .join('; ')}
          </li>
        ))}
      </ul>
      <h2>Notification channels</h2>
      <table className="mini-table">
        <tbody>
          {v.channels.map((c) => (
            <ChannelRow key={c.id} c={c} />
          ))}
        </tbody>
      </table>
      <AddChannel onSaved={s.reload} />
      <h2>Messages to review</h2>
      {review.status === 'ok' && review.value.length > 0 ? (
        <ul>
          {review.value.map((m) => (
            <li key={m.id}>
              {m.channelKind} to {m.recipient ?? '?'}: {m.subject} —{' '}
              <span className="small muted">{m.lastError}</span>{' '}
              <button
                type="button"
                className="btn btn-small"
                onClick={() =>
                  void callRouting('outbox.review', { id: m.id, action: 'resend' }).then(review.reload)
                }
              >
                Resend
              </button>
              <button
                type="button"
                className="btn btn-small"
                onClick={() =>
                  void callRouting('outbox.review', { id: m.id, action: 'dismiss' }).then(review.reload)
                }
              >
                Dismiss
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Nothing to review: every message was delivered or is queued.</p>
      )}
    </section>
  );
};
