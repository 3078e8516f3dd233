import type { ReactNode } from 'react';
/**
 * The Team page: each person's load against capacity, availability now (out of office, working hours in their
 * time zone), expertise, and an editor for capacity, out-of-office dates and notification preferences.
 */
import { useState } from 'react';
import type { ChannelKind, OutOfOffice, TeamMemberView } from '../../../shared/routing-types';
import { EmptyState, ErrorState, Loading } from '../components/StateViews';
import { humanize } from '../format';
import { callRouting, useRouting } from './routing-api';

const ROLE_LABEL: Record<string, string> = {
  csm: 'CSM',
  technical: 'Technical resource',
  cs_leader: 'CS leader',
  executive: 'Executive',
  account_executive: 'Account executive',
};

const LoadBar = ({ load, capacity }: { load: number; capacity: number }) => {
  const pct = capacity > 0 ? Math.min(100, (load / capacity) * 100) : 100;
  const over = load >= capacity;
  return (
    <div title={`${load} of ${capacity} open escalations`} style={{ minWidth: 120 }}>
      <div style={{ background: '#eef0f3', borderRadius: 4, height: 8 }}>
        <div
          style={{
            width: `${pct}%`,
            height: 8,
            borderRadius: 4,
            background: over ? '#dc2626' : pct >= 75 ? '#d97706' : '#16a34a',
          }}
        />
      </div>
      <span className="small muted">
        {load} / {capacity}
        {over ? ' — at capacity' : ''}
      </span>
    </div>
  );
};

const CHANNELS: ChannelKind[] = ['desktop', 'slack', 'email'];

const MemberEditor = ({ m, onDone }: { m: TeamMemberView; onDone: () => void }) => {
  const [capacity, setCapacity] = useState(m.capacity);
  const [ooo, setOoo] = useState<OutOfOffice[]>(m.outOfOffice);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [channels, setChannels] = useState<ChannelKind[]>(m.prefs.channels);
  const [quiet, setQuiet] = useState(m.prefs.quietHours ?? { start: '', end: '' });
  const [digest, setDigest] = useState(m.prefs.digestTime);
  const [budget, setBudget] = useState(m.prefs.dailyBudget);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    const a = await callRouting('team.save', {
      id: m.id,
      name: m.name,
      role: m.role,
      capacity,
      outOfOffice: ooo,
    });
    if (!a.ok) return setError(a.error.message);
    const b = await callRouting('team.savePrefs', {
      memberId: m.id,
      channels,
      quietHours: quiet.start && quiet.end ? quiet : null,
      digestTime: digest,
      dailyBudget: budget,
    });
    if (!b.ok) return setError(b.error.message);
    onDone();
  };
  return (
    <div className="card" data-testid="member-editor">
      <h3 className="card-title">Edit {m.name}</h3>
      <div className="field">
        <label htmlFor="cap">Capacity (open escalations)</label>
        <input
          id="cap"
          type="number"
          min={0}
          value={capacity}
          onChange={(e) => setCapacity(Number(e.target.value))}
        />
      </div>
      <div className="field">
        <span>Out of office</span>
        <ul>
          {ooo.map((o, i) => (
            <li key={`${o.from}-${o.to}`}>
              {o.from} – {o.to}
              {o.note ? ` (${o.note})` : ''}{' '}
              <button
                type="button"
                className="btn btn-link"
                onClick={() => setOoo(ooo.filter((_, j) => j !== i))}
              >
                remove
              </button>
            </li>
          ))}
        </ul>
        <input
          type="date"
          aria-label="Out of office from"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
        <input type="date" aria-label="Out of office to" value={to} onChange={(e) => setTo(e.target.value)} />
        <button
          type="button"
          className="btn btn-small"
          disabled={!from || !to || to < from}
          onClick={() => {
            setOoo([...ooo, { from, to }]);
            setFrom('');
            setTo('');
          }}
        >
          Add
        </button>
      </div>
      <fieldset className="field">
        <legend>Notify me by</legend>
        {CHANNELS.map((c) => (
          <label key={c} className="field-inline">
            <input
              type="checkbox"
              checked={channels.includes(c)}
              onChange={(e) =>
                setChannels(e.target.checked ? [...channels, c] : channels.filter((x) => x !== c))
              }
            />
            {humanize(c)}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <span>Quiet hours ({m.timezone}) — non-critical alerts wait until they end</span>
        <input
          type="time"
          aria-label="Quiet hours start"
          value={quiet.start}
          onChange={(e) => setQuiet({ ...quiet, start: e.target.value })}
        />
        <input
          type="time"
          aria-label="Quiet hours end"
          value={quiet.end}
          onChange={(e) => setQuiet({ ...quiet, end: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="digest">Daily digest at</label>
        <input id="digest" type="time" value={digest} onChange={(e) => setDigest(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="budget">Alert budget per day (over it, alerts go into the digest)</label>
        <input
          id="budget"
          type="number"
          min={0}
          value={budget}
          onChange={(e) => setBudget(Number(e.target.value))}
        />
      </div>
      {error ? (
        <p className="error-message" role="alert">
          {error}
        </p>
      ) : null}
      <button type="button" className="btn btn-primary" onClick={() => void save()}>
        Save
      </button>{' '}
      <button type="button" className="btn" onClick={onDone}>
        Cancel
      </button>
    </div>
  );
};

export const TeamPage = () => {
  const team = useRouting('team.members', {}, ['team', 'escalations', '*']);
  const [editing, setEditing] = useState<number | null>(null);
  const shell = (body: ReactNode) => (
    <div className="page" data-testid="team-page">
      <header className="page-header">
        <h1>Team</h1>
      </header>
      {body}
    </div>
  );
  if (team.status === 'loading' && !team.previous) return shell(<Loading what="the team" />);
  if (team.status === 'error')
    return shell(<ErrorState title="Could not load the team" error={team.error} onRetry={team.reload} />);
  const members = team.status === 'ok' ? team.value : (team.previous ?? []);
  if (members.length === 0) return shell(<EmptyState title="No team members yet" />);
  const current = members.find((m) => m.id === editing) ?? null;
  return (
    <div className="page" data-testid="team-page">
      <header className="page-header">
        <h1>Team</h1>
        <span className="page-count">{members.length} people</span>
      </header>
      <table className="mini-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>Load vs capacity</th>
            <th>Availability</th>
            <th>Expertise</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id} data-testid="team-row">
              <td>
                <strong>{m.name}</strong>
                <div className="small muted">{m.email}</div>
              </td>
              <td>{ROLE_LABEL[m.role] ?? m.role}</td>
              <td>
                <LoadBar load={m.load} capacity={m.capacity} />
              </td>
              <td>
                <span className={m.availableNow ? '' : 'muted'}>{m.availability}</span>
                <div className="small muted">
                  {m.workingHours.start}–{m.workingHours.end} {m.timezone}
                </div>
              </td>
              <td>
                {m.skills.map((s) => (
                  <span key={s} className="tag">
                    {s}
                  </span>
                ))}
              </td>
              <td>
                <button type="button" className="btn btn-small" onClick={() => setEditing(m.id)}>
                  Edit
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {current ? (
        <MemberEditor
          key={current.id}
          m={current}
          onDone={() => {
            setEditing(null);
            team.reload();
          }}
        />
      ) : null}
    </div>
  );
};
