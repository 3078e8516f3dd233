/**
 * Close an escalation with its outcome (required to close): saved, expanded, churned or downgraded, the ARR
 * after, the root cause, and the strategies used with their effect. Feeds metrics, strategy rankings and
 * model retraining.
 */
import { useState } from 'react';
import { api } from '../api/client';

const OUTCOMES = ['saved', 'expanded', 'downgraded', 'churned'] as const;
const ROOT_CAUSES = [
  'product_defect',
  'performance_outage',
  'billing',
  'onboarding_gap',
  'missing_feature',
  'relationship_champion',
  'competitive',
];
const STRATEGIES = [
  'executive_outreach',
  'technical_review',
  'success_plan_reset',
  'training_workshop',
  'commercial_concession',
  'roadmap_briefing',
  'dedicated_support',
];
type Effect = 'helped' | 'no_effect' | 'hurt';
const label = (s: string) => s.replaceAll('_', ' ');

export const OutcomeForm = ({
  escalationId,
  arr,
  onDone,
}: {
  escalationId: number;
  arr: number;
  onDone: () => void;
}) => {
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>('saved');
  const [arrAfter, setArrAfter] = useState(String(arr));
  const [rootCause, setRootCause] = useState(ROOT_CAUSES[0]!);
  const [used, setUsed] = useState<Record<string, Effect | undefined>>({});
  const [notes, setNotes] = useState('');
  const [who, setWho] = useState(() => localStorage.getItem('bellwether.decider') ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setError(null);
    const n = Number(arrAfter);
    if (!Number.isFinite(n) || n < 0) return setError('ARR after must be a number, 0 or more.');
    setBusy(true);
    const r = await api.call('outcomes.record', {
      escalationId,
      outcome,
      arrAfter: n,
      rootCause,
      strategies: Object.entries(used)
        .filter((e): e is [string, Effect] => e[1] !== undefined)
        .map(([id, effect]) => ({ id, effect })),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
      recordedBy: who.trim(),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    localStorage.setItem('bellwether.decider', who.trim());
    onDone();
  };

  return (
    <form
      className="card"
      aria-label="Close with outcome"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="card-title">Close with outcome</div>
      <div className="field">
        <label htmlFor="outcome">Outcome</label>
        <select
          id="outcome"
          value={outcome}
          onChange={(e) => {
            const o = e.target.value as (typeof OUTCOMES)[number];
            setOutcome(o);
            if (o === 'churned') setArrAfter('0');
          }}
        >
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="arr-after">ARR after (was {arr.toLocaleString('en-US')})</label>
        <input
          id="arr-after"
          inputMode="numeric"
          value={arrAfter}
          onChange={(e) => setArrAfter(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="root-cause">Root cause</label>
        <select id="root-cause" value={rootCause} onChange={(e) => setRootCause(e.target.value)}>
          {ROOT_CAUSES.map((c) => (
            <option key={c} value={c}>
              {label(c)}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field">
        <legend>Strategies used and their effect</legend>
        {STRATEGIES.map((s) => (
          <label key={s} style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <span style={{ minWidth: 180 }}>{label(s)}</span>
            <select
              aria-label={`effect of ${label(s)}`}
              value={used[s] ?? ''}
              onChange={(e) => setUsed({ ...used, [s]: (e.target.value || undefined) as Effect | undefined })}
            >
              <option value="">not used</option>
              <option value="helped">helped</option>
              <option value="no_effect">no effect</option>
              <option value="hurt">hurt</option>
            </select>
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="outcome-notes">Notes</label>
        <input id="outcome-notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="outcome-who">Recorded by</label>
        <input id="outcome-who" value={who} onChange={(e) => setWho(e.target.value)} />
      </div>
      {error ? (
        <p className="error-message" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        Record outcome and close
      </button>
    </form>
  );
};
