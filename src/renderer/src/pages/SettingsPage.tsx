/**
 * Settings: which sentiment model is in use (and why, when it is the fallback), a user model folder, rescoring
 * every message with progress and Cancel, learning from corrections, competitors, triage categories, the
 * routing / SLA / notification settings, and where the portfolio file lives.
 */
import { useState } from 'react';
import type { TextStatus, textContract } from '../../../shared/contracts/text';
import type { ApiError } from '../../../shared/result';
import { RoutingSettings } from '../components/RoutingSettings';
import { ErrorState, Loading } from '../components/StateViews';
import { formatDateTime, formatInt } from '../format';
import { href } from '../router';
import { usePortfolio } from '../state/portfolio';
import { useProgress } from '../state/progress';
import { areaApi, loaded } from './area-api';

const text = areaApi<typeof textContract>();

type TextStatusValue = TextStatus;
type ModelStatus = TextStatus['model'];

const pct = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : `${(n * 100).toFixed(1)}%`;

const ErrorLine = ({ error }: { error: ApiError | string | null }) =>
  error ? (
    <p className="error-message" role="alert">
      {typeof error === 'string' ? error : error.message}
    </p>
  ) : null;

const Section = ({ id, title, children }: { id: string; title: string; children: React.ReactNode }) => (
  <section className="card" aria-labelledby={id} data-testid={id}>
    <h2 id={id} className="card-title">
      {title}
    </h2>
    {children}
  </section>
);

/** "Shipped default", "Your model folder" or "Fallback", in words a leader understands. */
const ModelInUse = ({ m }: { m: ModelStatus }) => {
  if (m.kind === 'fallback') {
    return (
      <div className="callout" data-testid="model-in-use" data-kind="fallback">
        <p>
          <strong>In use: the built-in fallback scorer</strong> (word lists and escalation phrases,{' '}
          <code>{m.modelId}</code>). Scores are less accurate than with a model.
        </p>
        <p>
          Why: {m.error ?? 'no model folder could be loaded.'}
          {m.modelDir ? (
            <>
              {' '}
              (folder tried: <code>{m.modelDir}</code>)
            </>
          ) : null}
        </p>
      </div>
    );
  }
  return (
    <div data-testid="model-in-use" data-kind={m.isDefault ? 'default' : 'user'}>
      <p>
        <strong>{m.isDefault ? 'In use: the shipped default model' : 'In use: your model folder'}</strong> —{' '}
        <code>{m.modelId}</code>
      </p>
      <p className="small muted">
        Folder: <code>{m.modelDir ?? '—'}</code> · labels: {m.labels.join(', ') || '—'} · runs on this
        computer, nothing is sent anywhere.
      </p>
    </div>
  );
};

const ModelFolder = ({ current, onChanged }: { current: string | null; onChanged: () => void }) => {
  const [dir, setDir] = useState(current ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const apply = async (value: string | null) => {
    setBusy(true);
    setError(null);
    setNote(null);
    const r = await text.call('text.setModelDir', { dir: value });
    setBusy(false);
    if (!r.ok) setError(r.error);
    else if (r.value.kind === 'fallback')
      setError(
        'That folder could not be used (the reason is above). The fallback scorer is in use until you pick a working folder or go back to the default.',
      );
    else setNote(`Now using ${r.value.modelId}. Rescore all messages to apply it to past messages.`);
    if (value === null) setDir('');
    onChanged();
  };

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (dir.trim()) void apply(dir.trim());
      }}
    >
      <div className="field">
        <label htmlFor="model-dir">Your own model folder (a transformers.js / ONNX sentiment model)</label>
        <input
          id="model-dir"
          value={dir}
          onChange={(e) => setDir(e.target.value)}
          placeholder="/path/to/models/my-sentiment-model"
          spellCheck={false}
          style={{ width: '100%', maxWidth: 560 }}
        />
      </div>
      <div className="toolbar">
        <button type="submit" className="btn btn-primary" disabled={busy || !dir.trim()}>
          Use this folder
        </button>
        <button
          type="button"
          className="btn"
          disabled={busy || current === null}
          onClick={() => void apply(null)}
        >
          Back to the shipped default
        </button>
      </div>
      <ErrorLine error={error} />
      {note ? (
        <p className="small" role="status">
          {note}
        </p>
      ) : null}
      <p className="small muted">
        The folder must hold <code>config.json</code>, the tokenizer files and <code>onnx/model.onnx</code>.
        Models are only read from this computer; see the README (“Using a stronger sentiment model”).
      </p>
    </form>
  );
};

const Rescore = ({ status, onDone }: { status: TextStatusValue; onDone: () => void }) => {
  const task = useProgress((s) => s.tasks['sentiment.rescore']);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [report, setReport] = useState<string | null>(null);
  const active = running || status.running;

  const start = async () => {
    setRunning(true);
    setError(null);
    setReport(null);
    const r = await text.call('sentiment.rescoreAll', {});
    setRunning(false);
    if (!r.ok) setError(r.error);
    else
      setReport(
        r.value.cancelled
          ? `Cancelled after ${formatInt(r.value.scored)} of ${formatInt(r.value.total)} messages; the rest keep their previous scores.`
          : `Rescored ${formatInt(r.value.scored)} messages with ${r.value.modelId} in ${(r.value.ms / 1000).toFixed(1)} s.`,
      );
    onDone();
  };
  const cancel = async () => {
    const r = await text.call('sentiment.cancel', {});
    if (!r.ok) setError(r.error);
  };
  const m = status.messages;
  const p = task && task.total > 0 ? Math.round((task.done / task.total) * 100) : null;
  return (
    <div>
      <p className="small">
        {formatInt(m.total)} messages · {formatInt(m.scored)} scored · {formatInt(m.unscored)} not scored yet
        · {formatInt(m.byHuman)} set by a person
      </p>
      <div className="toolbar">
        <button type="button" className="btn" disabled={active} onClick={() => void start()}>
          Rescore all messages
        </button>
        {active ? (
          <button type="button" className="btn btn-danger" onClick={() => void cancel()}>
            Cancel
          </button>
        ) : null}
        {active ? (
          <span className="small" role="status" data-testid="rescore-progress">
            {task
              ? `${formatInt(task.done)} of ${formatInt(task.total)} messages${p !== null ? ` (${p}%)` : ''}`
              : 'Starting…'}
            {' — '}progress also shows in the bar at the top.
          </span>
        ) : null}
      </div>
      {report ? (
        <p className="small" role="status">
          {report}
        </p>
      ) : null}
      <ErrorLine error={error} />
    </div>
  );
};

const Learning = ({ status, onDone }: { status: TextStatusValue; onDone: () => void }) => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const last = status.lastAdapterTraining;
  const metric = (k: string): number | null => {
    const v = last?.metrics[k];
    if (typeof v === 'number') return v;
    if (v && typeof v === 'object' && 'balancedAccuracy' in v)
      return (v as { balancedAccuracy: number }).balancedAccuracy;
    return null;
  };
  const train = async () => {
    setBusy(true);
    setError(null);
    const r = await text.call('corrections.trainAdapter', {});
    setBusy(false);
    if (!r.ok) setError(r.error);
    else {
      const x = r.value;
      setMsg(
        `${x.reason} — ${x.corrections} corrections, ${x.heldBack} held back. Balanced accuracy on held-back corrections: before ${pct(x.before?.balancedAccuracy)}, after ${pct(x.after?.balancedAccuracy)}. ${x.active ? 'The adapted scorer is now in use.' : 'The base model stays in use.'}`,
      );
    }
    onDone();
  };
  const disable = async () => {
    setBusy(true);
    const r = await text.call('corrections.disableAdapter', {});
    setBusy(false);
    if (!r.ok) setError(r.error);
    else setMsg('The adapted scorer is off; the base model is in use.');
    onDone();
  };
  return (
    <div>
      <p className="small">
        {formatInt(status.corrections)} corrections recorded by your team (correct a message’s sentiment from
        its ticket thread on an account page).{' '}
        {status.adapterVersion !== null
          ? `Adapted scorer #${status.adapterVersion} is in use.`
          : 'No adapted scorer is in use.'}
      </p>
      {last ? (
        <p className="small muted">
          Last trained {formatDateTime(last.at)}: balanced accuracy on held-back corrections before{' '}
          {pct(metric('before'))}, after {pct(metric('after'))}
          {last.active ? '' : ' (not switched on)'}.
        </p>
      ) : null}
      <div className="toolbar">
        <button type="button" className="btn" disabled={busy} onClick={() => void train()}>
          Learn from corrections
        </button>
        {status.adapterVersion !== null ? (
          <button type="button" className="btn" disabled={busy} onClick={() => void disable()}>
            Turn the adapted scorer off
          </button>
        ) : null}
      </div>
      {msg ? (
        <p className="small" role="status">
          {msg}
        </p>
      ) : null}
      <ErrorLine error={error} />
    </div>
  );
};

const Competitors = ({ list, onSaved }: { list: string[]; onSaved: () => void }) => {
  const [value, setValue] = useState(list.join('\n'));
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const save = async () => {
    setError(null);
    setSaved(false);
    const competitors = [
      ...new Set(
        value
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    const r = await text.call('text.setCompetitors', { competitors });
    if (!r.ok) setError(r.error);
    else setSaved(true);
    onSaved();
  };
  return (
    <div>
      <div className="field">
        <label htmlFor="competitors">
          Competitor names, one per line (a message naming one raises the competitor signal; phrasing such as
          “evaluating alternatives” is caught without a list)
        </label>
        <textarea
          id="competitors"
          rows={4}
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setSaved(false);
          }}
          style={{ width: '100%', maxWidth: 420 }}
        />
      </div>
      <div className="toolbar">
        <button type="button" className="btn" onClick={() => void save()}>
          Save competitors
        </button>
        {saved ? (
          <span className="small" role="status">
            Saved.
          </span>
        ) : null}
      </div>
      <ErrorLine error={error} />
    </div>
  );
};

interface CategoryDraft {
  /** A stable React key (ids can be blank while a new category is typed). */
  key: string;
  id: string;
  label: string;
  keywords: string;
}

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);

const TriageCategories = () => {
  const cats = text.useArea('triage.categories', {});
  const [draft, setDraft] = useState<CategoryDraft[] | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [saved, setSaved] = useState(false);
  if (cats.status === 'error')
    return <ErrorState title="Triage categories could not be loaded" error={cats.error} />;
  const value = loaded(cats);
  if (!value) return <Loading what="triage categories" />;
  const rows: CategoryDraft[] =
    draft ?? value.map((c) => ({ key: c.id, id: c.id, label: c.label, keywords: c.keywords.join(', ') }));
  const edit = (i: number, patch: Partial<CategoryDraft>) => {
    setSaved(false);
    setDraft(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  const save = async () => {
    setError(null);
    const categories = rows
      .filter((r) => r.label.trim())
      .map((r) => ({
        id: r.id.trim() || slug(r.label),
        label: r.label.trim(),
        keywords: [
          ...new Set(
            r.keywords
              .split(',')
              .map((k) => k.trim())
              .filter(Boolean),
          ),
        ],
      }));
    if (categories.length < 2) {
      setError('Keep at least two categories.');
      return;
    }
    const r = await text.call('triage.setCategories', { categories });
    if (!r.ok) setError(r.error);
    else {
      setDraft(null);
      setSaved(true);
      cats.reload();
    }
  };
  return (
    <div>
      <p className="small muted">
        The categories suggested for each escalation. Keywords give a sensible start before there is labelled
        history to learn from; once people accept or change suggestions, a classifier is trained on them.
      </p>
      <table className="mini-table" data-testid="triage-categories">
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">Keywords (comma-separated)</th>
            <th scope="col" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.key}>
              <td>
                <input
                  aria-label={`Category ${i + 1} name`}
                  value={r.label}
                  onChange={(e) => edit(i, { label: e.target.value })}
                />
                <div className="small muted">
                  <code>{r.id || slug(r.label) || '—'}</code>
                </div>
              </td>
              <td style={{ width: '60%' }}>
                <input
                  aria-label={`Keywords for ${r.label || `category ${i + 1}`}`}
                  value={r.keywords}
                  onChange={(e) => edit(i, { keywords: e.target.value })}
                  style={{ width: '100%' }}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => {
                    setSaved(false);
                    setDraft(rows.filter((_, j) => j !== i));
                  }}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="toolbar">
        <button
          type="button"
          className="btn"
          onClick={() => setDraft([...rows, { key: `new-${Date.now()}`, id: '', label: '', keywords: '' }])}
        >
          Add a category
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={draft === null}
          onClick={() => void save()}
        >
          Save categories
        </button>
        {draft !== null ? (
          <button type="button" className="btn btn-link" onClick={() => setDraft(null)}>
            Discard changes
          </button>
        ) : null}
        {saved ? (
          <span className="small" role="status">
            Saved.
          </span>
        ) : null}
      </div>
      <ErrorLine error={error} />
    </div>
  );
};

const DataLocation = () => {
  const { info, error } = usePortfolio();
  if (error) return <ErrorLine error={error} />;
  if (!info) return <Loading what="portfolio" />;
  return (
    <dl className="facts" data-testid="data-location">
      <div>
        <dt>Portfolio file</dt>
        <dd>
          <code>{info.path ?? 'in memory (not saved to a file)'}</code>
        </dd>
      </div>
      <div>
        <dt>Kind</dt>
        <dd>{info.kind === 'demo' ? 'Demo portfolio' : 'Your data'}</dd>
      </div>
      <div>
        <dt>Accounts</dt>
        <dd>{formatInt(info.accounts)}</dd>
      </div>
      <div>
        <dt>Schema version</dt>
        <dd>{info.schemaVersion}</dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd>{formatDateTime(info.createdAt)}</dd>
      </div>
    </dl>
  );
};

export const SettingsPage = () => {
  const status = text.useArea('text.status', {}, { entities: ['ticket_messages', 'text'] });
  const value = loaded(status);
  return (
    <div className="page settings-page" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      <p className="small muted">
        Also: <a href={href('/connectors')}>Connectors</a> (Salesforce, Zendesk, HubSpot) ·{' '}
        <a href={href('/import')}>Import a file</a> · <a href={href('/model')}>Model card</a>
      </p>
      <Section id="settings-sentiment" title="Sentiment model">
        {status.status === 'error' ? (
          <ErrorState
            title="The sentiment status could not be loaded"
            error={status.error}
            onRetry={status.reload}
          />
        ) : !value ? (
          <Loading what="sentiment model status" />
        ) : (
          <>
            <ModelInUse m={value.model} />
            <ModelFolder current={value.settings.modelDir} onChanged={status.reload} />
            <h3>Rescore</h3>
            <Rescore status={value} onDone={status.reload} />
          </>
        )}
      </Section>
      {value ? (
        <Section id="settings-learning" title="Learning from your team’s corrections">
          <Learning status={value} onDone={status.reload} />
        </Section>
      ) : null}
      {value ? (
        <Section id="settings-competitors" title="Competitors">
          <Competitors
            key={value.settings.competitors.join('|')}
            list={value.settings.competitors}
            onSaved={status.reload}
          />
        </Section>
      ) : null}
      <Section id="settings-triage" title="Triage categories">
        <TriageCategories />
      </Section>
      <Section id="settings-routing" title="Routing, SLAs and notifications">
        <RoutingSettings />
      </Section>
      <Section id="settings-data" title="Data location">
        <DataLocation />
      </Section>
    </div>
  );
};
