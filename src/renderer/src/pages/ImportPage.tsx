/**
 * Import a CSV or JSON export: pick the entity and the file, review the proposed column mapping (detected
 * automatically, or the one saved for this source) and change it field by field, preview the mapped rows with
 * every error by line and column, dry-run, import (all or nothing by default, or only the valid rows), and
 * save the mapping for the source.
 */
import { useEffect, useRef, useState } from 'react';
import type {
  connectorsContract,
  ImportEntity,
  ImportEntityInfo,
  ImportIssue,
  ImportPreviewDto,
  ImportReportDto,
  MappingDoc,
} from '../../../shared/contracts/connectors';
import type { ApiError } from '../../../shared/result';
import { ErrorState, Loading } from '../components/StateViews';
import { formatDateTime, formatInt, humanize } from '../format';
import { href } from '../router';
import { useProgress } from '../state/progress';
import { areaApi, loaded } from './area-api';

const conn = areaApi<typeof connectorsContract>();

type FieldSpec = string | { column?: string; columns?: string[]; dateFormat?: string; [k: string]: unknown };

const columnOf = (spec: unknown): string => {
  if (typeof spec === 'string') return spec;
  if (spec && typeof spec === 'object') {
    const s = spec as Exclude<FieldSpec, string>;
    if (typeof s.column === 'string') return s.column;
  }
  return '';
};

/** A short description of what a field spec does beyond naming one column (constants, joins, value maps). */
const extrasOf = (spec: unknown): string => {
  if (!spec || typeof spec !== 'object') return '';
  const s = spec as Record<string, unknown>;
  const out: string[] = [];
  if (Array.isArray(s.columns)) out.push(`joins ${s.columns.join(' + ')}`);
  if ('value' in s) out.push(`always ${JSON.stringify(s.value)}`);
  if ('default' in s) out.push(`default ${JSON.stringify(s.default)}`);
  if (s.map) out.push(`value map (${Object.keys(s.map as object).length})`);
  if (s.multiply !== undefined) out.push(`× ${String(s.multiply)}`);
  if (s.divide !== undefined) out.push(`÷ ${String(s.divide)}`);
  if (s.ref) out.push('looked up');
  return out.join(', ');
};

const setColumn = (spec: unknown, column: string): unknown => {
  if (!column) return undefined;
  if (spec && typeof spec === 'object') {
    const { value: _v, columns: _c, ...rest } = spec as Record<string, unknown>;
    return { ...rest, column };
  }
  return column;
};

const setDateFormat = (spec: unknown, dateFormat: string): unknown => {
  const base: Record<string, unknown> =
    spec && typeof spec === 'object' ? { ...(spec as object) } : { column: columnOf(spec) };
  if (dateFormat) base.dateFormat = dateFormat;
  else delete base.dateFormat;
  const keys = Object.keys(base);
  return keys.length === 1 && keys[0] === 'column' ? base.column : base;
};

const ErrorLine = ({ error }: { error: ApiError | string | null }) =>
  error ? (
    <p className="error-message" role="alert">
      {typeof error === 'string' ? error : error.message}
    </p>
  ) : null;

/** Every problem with its line and column, the way a person fixes a file. */
export const IssueTable = ({ issues, testId }: { issues: ImportIssue[]; testId: string }) => {
  if (issues.length === 0) return null;
  const shown = issues.slice(0, 300);
  return (
    <div style={{ maxHeight: 320, overflow: 'auto' }}>
      <table className="mini-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col" className="num">
              Line
            </th>
            <th scope="col">Column</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((i) => (
            <tr
              key={`${i.line}:${i.column ?? ''}:${i.field ?? ''}:${i.code}:${i.message}`}
              data-testid="issue-row"
            >
              <td className="num">{i.line > 0 ? formatInt(i.line) : '—'}</td>
              <td>
                {i.column ? <code>{i.column}</code> : <span className="muted">—</span>}
                {i.field && i.field !== i.column ? <span className="muted small"> → {i.field}</span> : null}
              </td>
              <td>{i.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {issues.length > shown.length ? (
        <p className="small muted">…and {formatInt(issues.length - shown.length)} more.</p>
      ) : null}
    </div>
  );
};

const MappingEditor = ({
  info,
  preview,
  mapping,
  onChange,
}: {
  info: ImportEntityInfo;
  preview: ImportPreviewDto;
  mapping: MappingDoc;
  onChange: (m: MappingDoc) => void;
}) => {
  const score = new Map(preview.proposal?.matches.map((m) => [m.field, m.score]) ?? []);
  const used = new Set(Object.values(mapping.fields).map(columnOf).filter(Boolean));
  const unmatched = preview.columns.filter((c) => !used.has(c));
  const update = (field: string, spec: unknown) => {
    const fields = { ...mapping.fields };
    if (spec === undefined) delete fields[field];
    else fields[field] = spec;
    onChange({ ...mapping, fields });
  };
  return (
    <div>
      <div className="toolbar" style={{ flexWrap: 'wrap', alignItems: 'flex-end' }}>
        <div className="field">
          <label htmlFor="map-date-format">Date format for every date (optional)</label>
          <input
            id="map-date-format"
            placeholder="e.g. DD/MM/YYYY"
            value={typeof mapping.dateFormat === 'string' ? mapping.dateFormat : ''}
            onChange={(e) => {
              const { dateFormat: _d, ...rest } = mapping;
              onChange(e.target.value ? { ...rest, dateFormat: e.target.value } : (rest as MappingDoc));
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="map-timezone">Time zone (optional)</label>
          <input
            id="map-timezone"
            placeholder="e.g. Europe/Berlin"
            value={typeof mapping.timezone === 'string' ? mapping.timezone : ''}
            onChange={(e) => {
              const { timezone: _t, ...rest } = mapping;
              onChange(e.target.value ? { ...rest, timezone: e.target.value } : (rest as MappingDoc));
            }}
          />
        </div>
      </div>
      <table className="mini-table" data-testid="mapping-table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Type</th>
            <th scope="col">Column in your file</th>
            <th scope="col">Options</th>
          </tr>
        </thead>
        <tbody>
          {info.fields.map((f) => {
            const spec = mapping.fields[f.name];
            const col = columnOf(spec);
            const extras = extrasOf(spec);
            const missing = f.required && spec === undefined;
            const isDate = f.type === 'date' || f.type === 'datetime';
            return (
              <tr key={f.name} className={missing ? 'row-missing' : undefined}>
                <td>
                  <code>{f.name}</code>
                  {f.required ? (
                    <span className="badge badge-neg" title="required">
                      required
                    </span>
                  ) : null}
                </td>
                <td className="small muted">
                  {f.type}
                  {f.values ? `: ${f.values.join(' / ')}` : ''}
                  {f.ref ? ` → ${f.ref}` : ''}
                </td>
                <td>
                  <select
                    aria-label={`Column for ${f.name}`}
                    value={preview.columns.includes(col) ? col : col ? '__other' : ''}
                    onChange={(e) => update(f.name, setColumn(spec, e.target.value))}
                  >
                    <option value="">— not imported —</option>
                    {col && !preview.columns.includes(col) ? (
                      <option value="__other" disabled>
                        {col} (not in this file)
                      </option>
                    ) : null}
                    {preview.columns.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                  {score.has(f.name) && preview.origin === 'detected' ? (
                    <span className="small muted">
                      {' '}
                      detected {Math.round((score.get(f.name) ?? 0) * 100)}%
                    </span>
                  ) : null}
                  {missing ? <div className="small error-message">Required: pick a column.</div> : null}
                </td>
                <td className="small">
                  {isDate && spec !== undefined ? (
                    <input
                      aria-label={`Date format for ${f.name}`}
                      placeholder="date format"
                      size={12}
                      value={
                        spec &&
                        typeof spec === 'object' &&
                        typeof (spec as { dateFormat?: unknown }).dateFormat === 'string'
                          ? (spec as { dateFormat: string }).dateFormat
                          : ''
                      }
                      onChange={(e) => update(f.name, setDateFormat(spec, e.target.value))}
                    />
                  ) : null}
                  {extras ? <span className="muted"> {extras}</span> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {unmatched.length ? <p className="small muted">Columns not imported: {unmatched.join(', ')}</p> : null}
      {preview.proposal?.warnings.length ? (
        <ul className="small">
          {preview.proposal.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
};

const PreviewRows = ({ preview, info }: { preview: ImportPreviewDto; info: ImportEntityInfo }) => {
  const cols = info.fields.map((f) => f.name).filter((n) => preview.rows.some((r) => n in r.values));
  const bad = preview.rows.filter((r) => r.issues.length > 0).length;
  return (
    <div>
      <p className="small" data-testid="preview-summary">
        First {formatInt(preview.rows.length)} rows of the file ({preview.format}
        {preview.delimiter ? `, delimiter “${preview.delimiter === '\t' ? 'tab' : preview.delimiter}”` : ''}):{' '}
        <strong>{formatInt(preview.rows.length - bad)} valid</strong>
        {bad ? (
          <>
            , <strong className="error-message">{formatInt(bad)} with errors</strong>
          </>
        ) : null}
        .
      </p>
      <div style={{ maxHeight: 360, overflow: 'auto' }}>
        <table className="mini-table" data-testid="preview-rows">
          <thead>
            <tr>
              <th scope="col" className="num">
                Line
              </th>
              <th scope="col">External id</th>
              {cols.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
              <th scope="col">Errors</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r) => (
              <tr key={r.line} className={r.issues.length ? 'row-error' : undefined}>
                <td className="num">{r.line}</td>
                <td>{r.externalId ?? <span className="muted">—</span>}</td>
                {cols.map((c) => (
                  <td key={c} className="nowrap">
                    {r.values[c] === null || r.values[c] === undefined ? (
                      <span className="muted">—</span>
                    ) : (
                      String(r.values[c])
                    )}
                  </td>
                ))}
                <td className="small">
                  {r.issues.length ? (
                    <span className="error-message">
                      {r.issues.map((i) => `${i.column ? `${i.column}: ` : ''}${i.message}`).join('; ')}
                    </span>
                  ) : (
                    <span className="muted">ok</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
};

const ReportView = ({ r }: { r: ImportReportDto }) => {
  const title =
    r.status === 'imported'
      ? 'Imported'
      : r.status === 'dry_run'
        ? 'Dry run — nothing was written'
        : r.status === 'cancelled'
          ? 'Cancelled — nothing was written'
          : 'Refused — nothing was written';
  return (
    <div className={r.status === 'refused' ? 'callout' : undefined} data-testid="import-report" role="status">
      <p>
        <strong>{title}</strong>
        {r.reason ? `: ${r.reason}` : ''}
      </p>
      <p className="small">
        {formatInt(r.rowsRead)} rows read · {formatInt(r.inserted)} new · {formatInt(r.updated)} updated ·{' '}
        {formatInt(r.unchanged)} unchanged · {formatInt(r.skipped)} skipped · {formatInt(r.errorCount)} errors
        · {(r.durationMs / 1000).toFixed(1)} s · mapping: {r.mappingOrigin}
      </p>
      <IssueTable issues={r.errors} testId="report-errors" />
    </div>
  );
};

const SavedMappings = ({ onUse }: { onUse: (source: string, entity: ImportEntity) => void }) => {
  const list = conn.useArea('import.mappings.list', {}, { entities: ['import_mappings'] });
  const [error, setError] = useState<ApiError | null>(null);
  const value = loaded(list);
  if (list.status === 'error') return <p className="error-message small">{list.error.message}</p>;
  if (!value) return <Loading what="saved mappings" />;
  if (value.length === 0) return <p className="small muted">No mapping saved yet.</p>;
  return (
    <>
      <table className="mini-table" data-testid="saved-mappings">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Entity</th>
            <th scope="col">Fields</th>
            <th scope="col">Saved</th>
            <th scope="col" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {value.map((m) => (
            <tr key={`${m.source}:${m.entity}`}>
              <td>
                <code>{m.source}</code>
              </td>
              <td>{humanize(m.entity)}</td>
              <td className="num">{Object.keys(m.mapping.fields).length}</td>
              <td className="nowrap">{formatDateTime(m.updatedAt)}</td>
              <td className="nowrap">
                <button type="button" className="btn btn-small" onClick={() => onUse(m.source, m.entity)}>
                  Use
                </button>{' '}
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() =>
                    void conn
                      .call('import.mappings.delete', { source: m.source, entity: m.entity })
                      .then((r) => {
                        if (!r.ok) setError(r.error);
                        list.reload();
                      })
                  }
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorLine error={error} />
    </>
  );
};

const SOURCE_RE = /^[A-Za-z0-9_.:-]+$/;

export const ImportPage = () => {
  const entities = conn.useArea('import.entities', {});
  const [entity, setEntity] = useState<ImportEntity>('accounts');
  const [file, setFile] = useState('');
  const [uploadedName, setUploadedName] = useState<string | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const [source, setSource] = useState('');
  const [mapping, setMapping] = useState<MappingDoc | null>(null);
  const [preview, setPreview] = useState<ImportPreviewDto | null>(null);
  const [report, setReport] = useState<ImportReportDto | null>(null);
  const [validOnly, setValidOnly] = useState(false);
  const [saveIt, setSaveIt] = useState(true);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const progress = useProgress((s) => s.tasks.import);
  const [taskId, setTaskId] = useState('');
  /** The mapping was edited and the preview is not re-run yet. */
  const [dirty, setDirty] = useState(false);
  const seq = useRef(0);

  const list = loaded(entities);
  const info = list?.find((e) => e.name === entity);
  const sourceOk = source === '' || SOURCE_RE.test(source);

  const doPreview = async (withMapping: MappingDoc | null, path: string = file) => {
    if (!path.trim()) {
      setError('Give the path of the file to import.');
      return;
    }
    if (!sourceOk) {
      setError('The source name may use letters, digits and _ . : - only.');
      return;
    }
    const mine = ++seq.current;
    setBusy('Reading the file…');
    setError(null);
    setNote(null);
    setReport(null);
    const r = await conn.call('import.preview', {
      file: path.trim(),
      entity,
      ...(source ? { source } : {}),
      ...(withMapping ? { mapping: withMapping } : {}),
      limit: 100,
    });
    if (mine !== seq.current) return;
    setBusy(null);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setPreview(r.value);
    // Keep the person's edits as typed; take the core's mapping only when it proposed one.
    if (!withMapping) setMapping(r.value.mapping);
  };

  // Re-run the preview shortly after the mapping is edited, so errors follow the edits.
  // biome-ignore lint/correctness/useExhaustiveDependencies: doPreview reads the current form; re-run on edits only
  useEffect(() => {
    if (!dirty || !mapping) return;
    const t = setTimeout(() => {
      setDirty(false);
      void doPreview(mapping);
    }, 350);
    return () => clearTimeout(t);
  }, [dirty, mapping]);

  /** A file chosen with the picker is sent to the core as text, then previewed from its local copy. */
  const upload = async (chosen: File | undefined) => {
    if (!chosen) return;
    if (chosen.size > 15 * 1024 * 1024) {
      setError(`${chosen.name} is larger than 15 MB: type its path on this computer instead.`);
      return;
    }
    setBusy(`Reading ${chosen.name}…`);
    setError(null);
    const r = await conn.call('import.upload', { name: chosen.name, content: await chosen.text() });
    setBusy(null);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setFile(r.value.file);
    setUploadedName(r.value.name);
    setMapping(null);
    await doPreview(null, r.value.file);
  };

  const run = async (dryRun: boolean) => {
    if (!mapping) return;
    const id = `ui-import-${Date.now()}`;
    setTaskId(id);
    setBusy(dryRun ? 'Checking every row…' : 'Importing…');
    setError(null);
    setNote(null);
    const r = await conn.call('import.run', {
      file: file.trim(),
      entity,
      ...(source ? { source } : {}),
      mapping: source ? { ...mapping, source } : mapping,
      dryRun,
      validOnly,
      saveMapping: !dryRun && saveIt && !!source,
      taskId: id,
    });
    setBusy(null);
    setTaskId('');
    if (!r.ok) setError(r.error);
    else setReport(r.value);
  };

  const save = async () => {
    if (!mapping) return;
    if (!source || !sourceOk) {
      setError('Name the source (e.g. acme-billing) to save its mapping.');
      return;
    }
    const r = await conn.call('import.mappings.save', { mapping: { ...mapping, source } });
    if (!r.ok) setError(r.error);
    else
      setNote(
        `Mapping saved for ${r.value.source} / ${r.value.entity}; it is used next time this source is imported.`,
      );
  };

  const allIssues = preview ? [...preview.fileIssues, ...preview.rows.flatMap((r) => r.issues)] : [];

  return (
    <div className="page import-page" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <header className="page-header">
        <h1>Import</h1>
      </header>
      <p className="small muted">
        Import a CSV or JSON export into the portfolio. Rows are matched by their external id, so importing
        the same file twice changes nothing. By default a file with any bad row imports nothing. API sync:{' '}
        <a href={href('/connectors')}>Connectors</a>.
      </p>
      {entities.status === 'error' ? (
        <ErrorState
          title="The import settings could not be loaded"
          error={entities.error}
          onRetry={entities.reload}
        />
      ) : !list ? (
        <Loading what="import settings" />
      ) : (
        <>
          <section className="card" aria-labelledby="imp-file">
            <h2 id="imp-file" className="card-title">
              1. What and from where
            </h2>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void doPreview(null);
              }}
            >
              <div className="toolbar" style={{ flexWrap: 'wrap', alignItems: 'flex-end' }}>
                <div className="field">
                  <label htmlFor="imp-entity">Entity</label>
                  <select
                    id="imp-entity"
                    value={entity}
                    onChange={(e) => {
                      setEntity(e.target.value as ImportEntity);
                      setPreview(null);
                      setMapping(null);
                      setReport(null);
                    }}
                  >
                    {list.map((e) => (
                      <option key={e.name} value={e.name}>
                        {e.label}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field" style={{ flex: 1, minWidth: 320 }}>
                  <label htmlFor="imp-file-path">
                    File on this computer (choose it, or type the path of a .csv, .json or .jsonl)
                  </label>
                  <div style={{ display: 'flex', gap: 6 }}>
                    <input
                      id="imp-file-path"
                      value={file}
                      placeholder="/home/me/exports/accounts.csv"
                      spellCheck={false}
                      onChange={(e) => {
                        setFile(e.target.value);
                        setUploadedName(null);
                      }}
                      style={{ flex: 1 }}
                    />
                    <button
                      type="button"
                      className="btn"
                      disabled={!!busy}
                      onClick={() => picker.current?.click()}
                    >
                      Choose file…
                    </button>
                    <input
                      ref={picker}
                      type="file"
                      accept=".csv,.tsv,.txt,.json,.jsonl,.ndjson"
                      aria-label="Choose a file to import"
                      style={{ display: 'none' }}
                      onChange={(e) => {
                        const f = e.target.files?.[0];
                        e.target.value = '';
                        void upload(f);
                      }}
                    />
                  </div>
                  {uploadedName ? (
                    <p className="small muted" data-testid="uploaded-file">
                      {uploadedName}: a copy is kept on this computer beside the portfolio (removed after a
                      week)
                    </p>
                  ) : null}
                </div>
                <div className="field">
                  <label htmlFor="imp-source">Source name (optional)</label>
                  <input
                    id="imp-source"
                    value={source}
                    placeholder="e.g. acme-billing"
                    aria-invalid={!sourceOk}
                    onChange={(e) => setSource(e.target.value)}
                  />
                </div>
                <button type="submit" className="btn btn-primary" disabled={!!busy}>
                  Preview
                </button>
              </div>
            </form>
            {info ? (
              <p className="small muted">
                {info.label}: required fields{' '}
                {info.fields
                  .filter((f) => f.required)
                  .map((f) => f.name)
                  .join(', ') || 'none'}
                {info.naturalKey ? ` · matched by ${info.naturalKey.join(' + ')}` : ''}
              </p>
            ) : null}
            {busy ? (
              <p className="small" role="status">
                {busy}
                {progress ? ` ${formatInt(progress.done)} of ${formatInt(progress.total)}` : ''}{' '}
                {taskId ? (
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    onClick={() => void conn.call('import.cancel', { taskId })}
                  >
                    Cancel
                  </button>
                ) : null}
              </p>
            ) : null}
            <ErrorLine error={error} />
          </section>

          {preview && mapping && info ? (
            <>
              <section className="card" aria-labelledby="imp-map">
                <h2 id="imp-map" className="card-title">
                  2. Mapping{' '}
                  <span className="small muted">
                    (
                    {preview.origin === 'saved'
                      ? 'saved for this source'
                      : preview.origin === 'detected'
                        ? 'detected automatically — check it'
                        : 'given'}
                    )
                  </span>
                </h2>
                <MappingEditor
                  info={info}
                  preview={preview}
                  mapping={mapping}
                  onChange={(m) => {
                    setMapping(m);
                    setDirty(true);
                  }}
                />
                <div className="toolbar">
                  <button type="button" className="btn" onClick={() => void save()} disabled={!source}>
                    Save mapping for this source
                  </button>
                  {!source ? (
                    <span className="small muted">Name the source above to save its mapping.</span>
                  ) : null}
                  {note ? (
                    <span className="small" role="status">
                      {note}
                    </span>
                  ) : null}
                </div>
              </section>

              <section className="card" aria-labelledby="imp-preview">
                <h2 id="imp-preview" className="card-title">
                  3. Preview
                </h2>
                {preview.fileIssues.length ? (
                  <div className="callout">
                    <p>
                      <strong>Problems with the file itself</strong>
                    </p>
                    <IssueTable issues={preview.fileIssues} testId="file-issues" />
                  </div>
                ) : null}
                <PreviewRows preview={preview} info={info} />
                {allIssues.length ? (
                  <>
                    <h3 className="small">
                      Errors by line and column ({formatInt(allIssues.length)} in the preview)
                    </h3>
                    <IssueTable issues={allIssues} testId="preview-errors" />
                  </>
                ) : null}
              </section>

              <section className="card" aria-labelledby="imp-run">
                <h2 id="imp-run" className="card-title">
                  4. Import
                </h2>
                <label className="small" style={{ display: 'block' }}>
                  <input
                    type="checkbox"
                    checked={validOnly}
                    onChange={(e) => setValidOnly(e.target.checked)}
                  />{' '}
                  Import only the valid rows (otherwise any bad row stops the whole import)
                </label>
                <label className="small" style={{ display: 'block' }}>
                  <input
                    type="checkbox"
                    checked={saveIt}
                    disabled={!source}
                    onChange={(e) => setSaveIt(e.target.checked)}
                  />{' '}
                  Save this mapping for the source when importing
                </label>
                <div className="toolbar">
                  <button type="button" className="btn" disabled={!!busy} onClick={() => void run(true)}>
                    Dry run (check every row, write nothing)
                  </button>
                  <button
                    type="button"
                    className="btn btn-primary"
                    disabled={!!busy}
                    onClick={() => void run(false)}
                  >
                    Import
                  </button>
                </div>
                {report ? <ReportView r={report} /> : null}
              </section>
            </>
          ) : null}

          <section className="card" aria-labelledby="imp-saved">
            <h2 id="imp-saved" className="card-title">
              Saved mappings
            </h2>
            <SavedMappings
              onUse={(s, e) => {
                setSource(s);
                setEntity(e);
                setPreview(null);
                setMapping(null);
              }}
            />
          </section>
        </>
      )}
    </div>
  );
};
