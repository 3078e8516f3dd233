/**
 * Connectors: Salesforce, Zendesk and HubSpot, each with its status, last successful sync, "Sync now", the
 * last sync report (what came in, what changed, what failed and why) and the offline state; credentials are
 * entered here and never shown back. Web mode asks for the key that encrypts them for this session.
 */
import { useEffect, useState } from 'react';
import type {
  ConnectorInfoDto,
  ConnectorKindName,
  connectorsContract,
  SyncReportDto,
} from '../../../shared/contracts/connectors';
import type { ApiError } from '../../../shared/result';
import { EmptyState, ErrorState, Loading } from '../components/StateViews';
import { formatDateTime, formatInt, humanize } from '../format';
import { href } from '../router';
import { useProgress } from '../state/progress';
import { areaApi, loaded } from './area-api';

const conn = areaApi<typeof connectorsContract>();
/** Types only from the contract (its values pull zod into the bundle); tsc checks this list against it. */
const KINDS: readonly ConnectorKindName[] = ['salesforce', 'zendesk', 'hubspot'];

const KIND: Record<
  ConnectorKindName,
  { label: string; what: string; baseUrlHint: string; credentialSets: { key: string; label: string }[][] }
> = {
  salesforce: {
    label: 'Salesforce',
    what: 'Accounts, contacts, opportunities and renewals (REST API, SOQL).',
    baseUrlHint: 'https://yourcompany.my.salesforce.com',
    credentialSets: [[{ key: 'accessToken', label: 'Access token' }]],
  },
  zendesk: {
    label: 'Zendesk',
    what: 'Tickets and their comments (incremental export API).',
    baseUrlHint: 'https://yourcompany.zendesk.com',
    credentialSets: [
      [
        { key: 'email', label: 'Agent email' },
        { key: 'apiToken', label: 'API token' },
      ],
      [{ key: 'accessToken', label: 'OAuth access token' }],
    ],
  },
  hubspot: {
    label: 'HubSpot',
    what: 'Companies, contacts and tickets (CRM API).',
    baseUrlHint: 'https://api.hubapi.com',
    credentialSets: [[{ key: 'accessToken', label: 'Private app access token' }]],
  },
};

const STATUS_TEXT: Record<ConnectorInfoDto['status'], string> = {
  never: 'Never synced',
  ok: 'Synced',
  running: 'Syncing…',
  error: 'Last sync failed',
  offline: 'Offline',
};
const statusClass = (s: ConnectorInfoDto['status'] | SyncReportDto['status']): string =>
  s === 'ok' ? 'badge badge-pos' : s === 'error' || s === 'partial' ? 'badge badge-neg' : 'badge';

const ErrorLine = ({ error }: { error: ApiError | string | null }) =>
  error ? (
    <p className="error-message" role="alert">
      {typeof error === 'string' ? error : error.message}
    </p>
  ) : null;

const useOnline = (): boolean => {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
};

export const SyncReport = ({ r }: { r: SyncReportDto }) => (
  <div className="sync-report" data-testid="sync-report">
    <p className="small">
      <span className={statusClass(r.status)}>{humanize(r.status)}</span> · {formatDateTime(r.startedAt)} →{' '}
      {formatDateTime(r.finishedAt)} · {formatInt(r.http.requests)} requests
      {r.http.retries ? `, ${formatInt(r.http.retries)} retries` : ''}
      {r.http.rateLimited ? `, rate-limited ${formatInt(r.http.rateLimited)}×` : ''}
    </p>
    {r.error ? <p className="error-message">{r.error}</p> : null}
    <p className="small">
      <strong>Came in:</strong> {formatInt(r.totals.received)} records · <strong>new</strong>{' '}
      {formatInt(r.totals.inserted)} · <strong>changed</strong> {formatInt(r.totals.updated)} · unchanged{' '}
      {formatInt(r.totals.unchanged)} · <strong>failed</strong> {formatInt(r.totals.failed)}
    </p>
    {r.streams.length ? (
      <table className="mini-table">
        <thead>
          <tr>
            <th scope="col">Stream</th>
            <th scope="col" className="num">
              Pages
            </th>
            <th scope="col" className="num">
              Received
            </th>
            <th scope="col" className="num">
              New
            </th>
            <th scope="col" className="num">
              Changed
            </th>
            <th scope="col" className="num">
              Unchanged
            </th>
            <th scope="col" className="num">
              Failed
            </th>
          </tr>
        </thead>
        <tbody>
          {r.streams.map((s) => (
            <tr key={s.stream}>
              <td>{s.stream}</td>
              <td className="num">{formatInt(s.pages)}</td>
              <td className="num">{formatInt(s.received)}</td>
              <td className="num">{formatInt(s.inserted)}</td>
              <td className="num">{formatInt(s.updated)}</td>
              <td className="num">{formatInt(s.unchanged)}</td>
              <td className="num">{formatInt(s.failed)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    ) : null}
    {r.failures.length ? (
      <details open>
        <summary className="small">
          <strong>What failed and why ({r.failures.length})</strong>
        </summary>
        <ul className="small">
          {r.failures.slice(0, 50).map((f) => (
            <li key={`${f.stream}:${f.externalId}:${f.reason}`}>
              {f.entity} <code>{f.externalId}</code> ({f.stream}): {f.reason}
            </li>
          ))}
        </ul>
      </details>
    ) : null}
    {r.changes.length ? (
      <details>
        <summary className="small">What changed ({r.changes.length})</summary>
        <ul className="small">
          {r.changes.slice(0, 100).map((c) => (
            <li key={`${c.entity}:${c.externalId}:${c.change}`}>
              {c.change === 'inserted' ? 'New' : 'Changed'} {c.entity} <code>{c.externalId}</code>
              {c.fields?.length ? `: ${c.fields.join(', ')}` : ''}
            </li>
          ))}
        </ul>
        {r.changes.length > 100 ? <p className="small muted">…and {r.changes.length - 100} more.</p> : null}
      </details>
    ) : null}
  </div>
);

/** Settings and credentials for one connector. Secrets are write-only: the fields start empty every time. */
const ConfigureForm = ({
  kind,
  existing,
  onSaved,
  onCancel,
}: {
  kind: ConnectorKindName;
  existing: ConnectorInfoDto | null;
  onSaved: () => void;
  onCancel?: () => void;
}) => {
  const k = KIND[kind];
  const [name, setName] = useState(existing?.name ?? kind);
  const [baseUrl, setBaseUrl] = useState(existing?.baseUrl ?? (kind === 'hubspot' ? k.baseUrlHint : ''));
  const [setIdx, setSetIdx] = useState(0);
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [enabled, setEnabled] = useState(existing?.enabled ?? true);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = k.credentialSets[setIdx] ?? [];
  const anySecret = fields.some((f) => (secrets[f.key] ?? '') !== '');

  const save = async () => {
    setError(null);
    if (anySecret && fields.some((f) => !(secrets[f.key] ?? '').trim())) {
      setError(`Fill in ${fields.map((f) => f.label.toLowerCase()).join(' and ')}.`);
      return;
    }
    setBusy(true);
    const credentials = anySecret
      ? Object.fromEntries(fields.map((f) => [f.key, secrets[f.key] ?? '']))
      : null;
    const r = await conn.call('connectors.configure', {
      name,
      kind,
      ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
      ...(credentials ? { credentials } : {}),
      enabled,
    });
    setBusy(false);
    // Forget the secrets in the page whatever happened; they are never shown again.
    setSecrets({});
    if (!r.ok) setError(r.error);
    else onSaved();
  };

  return (
    <form
      className="connector-form"
      data-testid={`configure-${kind}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="toolbar" style={{ flexWrap: 'wrap', alignItems: 'flex-end' }}>
        <div className="field">
          <label htmlFor={`${kind}-name`}>Name</label>
          <input
            id={`${kind}-name`}
            value={name}
            disabled={!!existing}
            onChange={(e) => setName(e.target.value)}
            pattern="[a-z0-9][a-z0-9_\-]{0,39}"
          />
        </div>
        <div className="field" style={{ flex: 1, minWidth: 260 }}>
          <label htmlFor={`${kind}-url`}>Base URL (HTTPS)</label>
          <input
            id={`${kind}-url`}
            value={baseUrl}
            placeholder={k.baseUrlHint}
            onChange={(e) => setBaseUrl(e.target.value)}
            style={{ width: '100%' }}
          />
        </div>
      </div>
      {k.credentialSets.length > 1 ? (
        <div className="field field-inline">
          <label htmlFor={`${kind}-auth`}>Sign in with</label>
          <select
            id={`${kind}-auth`}
            value={setIdx}
            onChange={(e) => {
              setSetIdx(Number(e.target.value));
              setSecrets({});
            }}
          >
            {k.credentialSets.map((s, i) => (
              <option key={s.map((f) => f.key).join('+')} value={i}>
                {s.map((f) => f.label).join(' + ')}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="toolbar" style={{ flexWrap: 'wrap', alignItems: 'flex-end' }}>
        {fields.map((f) => (
          <div className="field" key={f.key}>
            <label htmlFor={`${kind}-${f.key}`}>{f.label}</label>
            <input
              id={`${kind}-${f.key}`}
              type={f.key === 'email' ? 'email' : 'password'}
              autoComplete="off"
              value={secrets[f.key] ?? ''}
              placeholder={existing?.hasCredentials ? 'stored — type to replace' : ''}
              onChange={(e) => setSecrets((s) => ({ ...s, [f.key]: e.target.value }))}
            />
          </div>
        ))}
      </div>
      <label className="small">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
      </label>
      <p className="small muted">
        Credentials are encrypted with the operating system’s keychain (in the browser: with the key you give
        below) and are never shown again or written to logs.
      </p>
      <div className="toolbar">
        <button type="submit" className="btn btn-primary" disabled={busy || !name}>
          {existing ? 'Save settings' : `Set up ${k.label}`}
        </button>
        {onCancel ? (
          <button type="button" className="btn btn-link" onClick={onCancel}>
            Close
          </button>
        ) : null}
      </div>
      <ErrorLine error={error} />
    </form>
  );
};

const ConnectorCard = ({
  c,
  online,
  onChanged,
}: {
  c: ConnectorInfoDto;
  online: boolean;
  onChanged: () => void;
}) => {
  const runs = conn.useArea('connectors.runs', { name: c.name, limit: 5 });
  const taskId = `ui-sync-${c.name}`;
  const progress = useProgress((s) => s.tasks[`sync.${c.name}`]);
  const [syncing, setSyncing] = useState(false);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [report, setReport] = useState<SyncReportDto | null>(null);
  const runList = loaded(runs);
  const last = report ?? runList?.[0] ?? null;

  const sync = async () => {
    setSyncing(true);
    setError(null);
    const r = await conn.call('connectors.sync', { name: c.name, taskId });
    setSyncing(false);
    if (!r.ok) setError(r.error);
    else setReport(r.value);
    runs.reload();
    onChanged();
  };
  const act = async (what: 'cancel' | 'reset' | 'remove') => {
    setError(null);
    const r =
      what === 'cancel'
        ? await conn.call('connectors.cancel', { taskId })
        : what === 'reset'
          ? await conn.call('connectors.resetCursors', { name: c.name })
          : await conn.call('connectors.remove', { name: c.name });
    if (!r.ok) setError(r.error);
    onChanged();
  };
  const offline = c.status === 'offline' || !online;
  return (
    <div className="connector" data-testid={`connector-${c.name}`}>
      <div className="toolbar" style={{ justifyContent: 'space-between', flexWrap: 'wrap' }}>
        <div>
          <strong>{c.name}</strong> <span className="muted small">{c.baseUrl}</span>{' '}
          <span className={statusClass(c.status)} data-testid="connector-status">
            {syncing ? 'Syncing…' : STATUS_TEXT[c.status]}
          </span>
          {!c.enabled ? <span className="badge">disabled</span> : null}
        </div>
        <div className="toolbar">
          <button
            type="button"
            className="btn btn-primary btn-small"
            disabled={syncing || !c.enabled}
            onClick={() => void sync()}
          >
            Sync now
          </button>
          {syncing ? (
            <button type="button" className="btn btn-small btn-danger" onClick={() => void act('cancel')}>
              Cancel
            </button>
          ) : null}
          <button type="button" className="btn btn-small" onClick={() => setEditing((e) => !e)}>
            {editing ? 'Close settings' : 'Settings & credentials'}
          </button>
        </div>
      </div>
      <dl className="facts connector-facts">
        <div>
          <dt>Last successful sync</dt>
          <dd data-testid="last-success">{c.lastSuccessAt ? formatDateTime(c.lastSuccessAt) : 'never'}</dd>
        </div>
        <div>
          <dt>Last attempt</dt>
          <dd>{c.lastAttemptAt ? formatDateTime(c.lastAttemptAt) : '—'}</dd>
        </div>
        <div>
          <dt>Credentials</dt>
          <dd>{c.hasCredentials ? 'stored (hidden)' : 'none yet'}</dd>
        </div>
        <div>
          <dt>Sync position</dt>
          <dd className="small">
            {c.cursors.length
              ? c.cursors.map((x) => `${x.stream} @ ${formatDateTime(x.updatedAt)}`).join(' · ')
              : 'from the beginning'}
          </dd>
        </div>
      </dl>
      {offline ? (
        <p className="callout small" data-testid="offline">
          {online
            ? `The last sync could not reach ${c.baseUrl ?? 'the service'}.`
            : 'This computer is offline.'}{' '}
          You can keep working: the data from the last successful sync (
          {c.lastSuccessAt ? formatDateTime(c.lastSuccessAt) : 'none yet'}) stays here, and the next sync
          picks up where it stopped.
        </p>
      ) : null}
      {c.lastError && c.status === 'error' ? (
        <p className="error-message small">Last error: {c.lastError}</p>
      ) : null}
      {syncing && progress ? (
        <p className="small" role="status">
          {progress.label ?? 'Syncing'} — {formatInt(progress.done)}
          {progress.total ? ` of ${formatInt(progress.total)}` : ''}
        </p>
      ) : null}
      <ErrorLine error={error} />
      <h3 className="small">Last sync report</h3>
      {runs.status === 'error' ? (
        <p className="error-message small">{runs.error.message}</p>
      ) : last ? (
        <SyncReport r={last} />
      ) : runs.status === 'loading' ? (
        <Loading what="sync history" />
      ) : (
        <p className="small muted">No sync has run yet.</p>
      )}
      {editing ? (
        <div className="card" style={{ marginTop: 8 }}>
          <ConfigureForm
            kind={c.kind}
            existing={c}
            onSaved={() => {
              setEditing(false);
              onChanged();
            }}
            onCancel={() => setEditing(false)}
          />
          <div className="toolbar">
            <button type="button" className="btn btn-small" onClick={() => void act('reset')}>
              Sync everything again (reset position)
            </button>
            <button type="button" className="btn btn-small btn-danger" onClick={() => void act('remove')}>
              Remove connector
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
};

const Unlock = () => {
  const [key, setKey] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <form
      className="toolbar"
      style={{ alignItems: 'flex-end', flexWrap: 'wrap' }}
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        void conn.call('connectors.unlock', { key }).then((r) => {
          setKey('');
          if (r.ok) setMsg(`Unlocked for this session (${r.value.scheme}).`);
          else setError(r.error);
        });
      }}
    >
      <div className="field">
        <label htmlFor="vault-key">
          Credential key (browser mode: encrypts stored credentials; not saved)
        </label>
        <input
          id="vault-key"
          type="password"
          autoComplete="off"
          value={key}
          minLength={8}
          onChange={(e) => setKey(e.target.value)}
        />
      </div>
      <button type="submit" className="btn" disabled={key.length < 8}>
        Unlock
      </button>
      {msg ? (
        <span className="small" role="status">
          {msg}
        </span>
      ) : null}
      <ErrorLine error={error} />
    </form>
  );
};

const KindSection = ({
  kind,
  list,
  online,
  onChanged,
}: {
  kind: ConnectorKindName;
  list: ConnectorInfoDto[];
  online: boolean;
  onChanged: () => void;
}) => {
  const [adding, setAdding] = useState(false);
  const k = KIND[kind];
  return (
    <section className="card" aria-labelledby={`kind-${kind}`} data-testid={`kind-${kind}`}>
      <h2 id={`kind-${kind}`} className="card-title">
        {k.label}
      </h2>
      <p className="small muted">{k.what}</p>
      {list.map((c) => (
        <ConnectorCard key={c.name} c={c} online={online} onChanged={onChanged} />
      ))}
      {list.length === 0 && !adding ? (
        <p className="small">
          Not set up.{' '}
          <button type="button" className="btn btn-small" onClick={() => setAdding(true)}>
            Set up {k.label}
          </button>
        </p>
      ) : null}
      {list.length > 0 && !adding ? (
        <button type="button" className="btn btn-link btn-small" onClick={() => setAdding(true)}>
          Add another {k.label} connection
        </button>
      ) : null}
      {adding ? (
        <ConfigureForm
          kind={kind}
          existing={null}
          onSaved={() => {
            setAdding(false);
            onChanged();
          }}
          onCancel={() => setAdding(false)}
        />
      ) : null}
    </section>
  );
};

export const ConnectorsPage = () => {
  const list = conn.useArea('connectors.list', {});
  const online = useOnline();
  const value = loaded(list);
  return (
    <div className="page connectors-page" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <header className="page-header">
        <h1>Connectors</h1>
        <span className={online ? 'badge badge-pos' : 'badge badge-neg'} data-testid="network-state">
          {online ? 'Online' : 'Offline'}
        </span>
      </header>
      <p className="small muted">
        Sync accounts, contacts, renewals and tickets from the tools your team uses. Syncs are incremental and
        safe to repeat: nothing is duplicated, and a sync cut short resumes where it stopped. Nothing is sent
        to these services. Files: <a href={href('/import')}>import a CSV or JSON export</a>.
      </p>
      {list.status === 'error' ? (
        <ErrorState title="Connectors could not be loaded" error={list.error} onRetry={list.reload} />
      ) : !value ? (
        <Loading what="connectors" />
      ) : (
        <>
          {window.bellwether ? null : (
            <section className="card" aria-labelledby="vault-title">
              <h2 id="vault-title" className="card-title">
                Unlock stored credentials
              </h2>
              <Unlock />
            </section>
          )}
          {KINDS.map((kind) => (
            <KindSection
              key={kind}
              kind={kind}
              list={value.filter((c) => c.kind === kind)}
              online={online}
              onChanged={list.reload}
            />
          ))}
          {value.length === 0 ? (
            <EmptyState title="No connector set up yet">
              <p>Set one up above, or import files from an export.</p>
            </EmptyState>
          ) : null}
        </>
      )}
    </div>
  );
};
