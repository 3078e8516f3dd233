/**
 * Connector configuration and incremental sync.
 *
 * A sync walks each stream of the connector from its stored cursor. Each page's records and the page's
 * cursor are committed in ONE `store.write` transaction, so a crash at any point resumes from the last
 * committed page and upserts (by source + external id) make a re-fetched page harmless: no duplicates.
 * A network failure ends the run as 'offline' and keeps the last successful sync time; the report says what
 * came in, what changed, and what failed and why.
 */
import { CoreError } from '../../../shared/result';
import type { PortfolioStore } from '../db/store';
import {
  type Credentials,
  type CredentialVault,
  hasCredentials,
  loadCredentials,
  saveCredentials,
} from './credentials';
import { Http, HttpError, type HttpOptions, mask, OfflineError, SyncAborted } from './http';
import { hubspot } from './hubspot';
import { salesforce } from './salesforce';
import { CONNECTOR_KINDS, type ConnectorDef, type ConnectorKind } from './types';
import { upsertRecord } from './upsert';
import { zendesk } from './zendesk';

export const CONNECTORS: Record<ConnectorKind, ConnectorDef> = { salesforce, zendesk, hubspot };

export type ConnectorState = 'never' | 'ok' | 'running' | 'error' | 'offline';

export interface ConnectorInfo {
  name: string;
  kind: ConnectorKind;
  baseUrl: string | null;
  config: Record<string, unknown>;
  enabled: boolean;
  status: ConnectorState;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  hasCredentials: boolean;
  cursors: { stream: string; updatedAt: string }[];
}

export interface StreamReport {
  stream: string;
  pages: number;
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface SyncReport {
  connector: string;
  kind: ConnectorKind;
  runId: number;
  status: 'ok' | 'partial' | 'error' | 'offline' | 'cancelled';
  startedAt: string;
  finishedAt: string;
  /** The last successful sync (kept as it was when this run did not succeed). */
  lastSuccessAt: string | null;
  error: string | null;
  streams: StreamReport[];
  totals: { received: number; inserted: number; updated: number; unchanged: number; failed: number };
  /** What changed (first 200): entity, external id, and the fields that changed. */
  changes: { entity: string; externalId: string; change: 'inserted' | 'updated'; fields?: string[] }[];
  /** What failed and why (first 200). */
  failures: { stream: string; entity: string; externalId: string; reason: string }[];
  http: { requests: number; retries: number; rateLimited: number };
}

interface ConnectorRow {
  name: string;
  kind: ConnectorKind;
  config: string;
  enabled: number;
  status: ConnectorState;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
}

const NAME_RE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export const listConnectors = (store: PortfolioStore): ConnectorInfo[] =>
  store.all<ConnectorRow>('SELECT * FROM connectors ORDER BY name').map((r) => toInfo(store, r));

export const getConnector = (store: PortfolioStore, name: string): ConnectorInfo => {
  const r = store.get<ConnectorRow>('SELECT * FROM connectors WHERE name = ?', [name]);
  if (!r) throw new CoreError('not_found', `no connector named "${name}"`, 'name');
  return toInfo(store, r);
};

const toInfo = (store: PortfolioStore, r: ConnectorRow): ConnectorInfo => {
  const config = JSON.parse(r.config) as Record<string, unknown>;
  return {
    name: r.name,
    kind: r.kind,
    baseUrl: typeof config.baseUrl === 'string' ? config.baseUrl : CONNECTORS[r.kind].defaultBaseUrl,
    config,
    enabled: r.enabled === 1,
    status: r.status,
    lastAttemptAt: r.last_attempt_at,
    lastSuccessAt: r.last_success_at,
    lastError: r.last_error,
    hasCredentials: hasCredentials(store, `connector:${r.name}`),
    cursors: store
      .all<{ stream: string; updated_at: string }>(
        'SELECT stream, updated_at FROM connector_cursors WHERE connector = ? ORDER BY stream',
        [r.name],
      )
      .map((c) => ({ stream: c.stream, updatedAt: c.updated_at })),
  };
};

export interface ConfigureRequest {
  name: string;
  kind: ConnectorKind;
  /** Base URL (Salesforce instance URL, https://{subdomain}.zendesk.com, HubSpot API host). */
  baseUrl?: string;
  config?: Record<string, unknown>;
  credentials?: Credentials;
  enabled?: boolean;
}

/** Creates or updates a connector; credentials (if given) are encrypted with the vault before storage. */
export const configureConnector = (
  store: PortfolioStore,
  req: ConfigureRequest,
  vault: CredentialVault | null,
  now: Date,
): ConnectorInfo => {
  if (!NAME_RE.test(req.name))
    throw new CoreError(
      'invalid_arguments',
      'a connector name is 1-40 lowercase letters, digits, - or _',
      'name',
    );
  if (!(CONNECTOR_KINDS as readonly string[]).includes(req.kind))
    throw new CoreError('invalid_arguments', `unknown connector kind ${req.kind}`, 'kind');
  const def = CONNECTORS[req.kind];
  const config: Record<string, unknown> = { ...(req.config ?? {}) };
  const baseUrl = req.baseUrl ?? (config.baseUrl as string | undefined) ?? def.defaultBaseUrl;
  if (!baseUrl) throw new CoreError('invalid_arguments', `${req.kind} needs a base URL`, 'baseUrl');
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new CoreError('invalid_arguments', `"${baseUrl}" is not a URL`, 'baseUrl');
  }
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw new CoreError(
      'invalid_arguments',
      'connectors talk HTTPS only (plain HTTP is allowed to loopback for testing)',
      'baseUrl',
    );
  }
  config.baseUrl = baseUrl;
  if (req.credentials) {
    const ok = def.credentialFields.some((set) =>
      set.every((k) => typeof req.credentials![k] === 'string' && req.credentials![k] !== ''),
    );
    if (!ok)
      throw new CoreError(
        'invalid_arguments',
        `${req.kind} credentials need ${def.credentialFields.map((s) => s.join(' + ')).join(' or ')}`,
        'credentials',
      );
    if (!vault)
      throw new CoreError(
        'unauthorized',
        'provide a credentials key (or unlock the keychain) before storing credentials',
        'key',
      );
  }
  const at = now.toISOString();
  store.write((tx) => {
    tx.run(
      `INSERT INTO connectors(name, kind, config, enabled, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, config = excluded.config, enabled = excluded.enabled`,
      [req.name, req.kind, JSON.stringify(config), req.enabled === false ? 0 : 1, at],
    );
  });
  if (req.credentials && vault) saveCredentials(store, `connector:${req.name}`, req.credentials, vault, now);
  return getConnector(store, req.name);
};

export const removeConnector = (store: PortfolioStore, name: string): boolean =>
  store.write((tx) => {
    tx.run('DELETE FROM credentials WHERE name = ?', [`connector:${name}`]);
    return tx.run('DELETE FROM connectors WHERE name = ?', [name]).changes > 0;
  });

/** Forgets the stored cursors: the next sync starts from the beginning (upserts keep it duplicate-free). */
export const resetCursors = (store: PortfolioStore, name: string): void => {
  store.write((tx) => tx.run('DELETE FROM connector_cursors WHERE connector = ?', [name]));
};

export interface SyncOptions {
  vault: CredentialVault | null;
  now?: () => Date;
  signal?: AbortSignal;
  http?: Omit<HttpOptions, 'signal' | 'secrets'>;
  /** Overrides the stored base URL (tests, proxies). */
  baseUrl?: string;
  /** Called after each committed page (tests use it to simulate a crash). */
  onPage?: (info: { stream: string; page: number; records: number }) => void;
  onProgress?: (p: { done: number; total: number; label: string }) => void;
}

export const syncConnector = async (
  store: PortfolioStore,
  name: string,
  opts: SyncOptions,
): Promise<SyncReport> => {
  const clock = opts.now ?? (() => new Date());
  const info = getConnector(store, name);
  const startedAt = clock().toISOString();
  // A run that died in a crash leaves 'running' in the database; only a live run in this process blocks.
  let live = RUNNING.get(store);
  if (!live) {
    live = new Set();
    RUNNING.set(store, live);
  }
  if (live.has(name)) throw new CoreError('conflict', `${name} is already syncing`);
  live.add(name);
  try {
    return await runSync(store, name, info, startedAt, opts, clock);
  } finally {
    live.delete(name);
  }
};

const RUNNING = new WeakMap<PortfolioStore, Set<string>>();

const runSync = async (
  store: PortfolioStore,
  name: string,
  info: ConnectorInfo,
  startedAt: string,
  opts: SyncOptions,
  clock: () => Date,
): Promise<SyncReport> => {
  const def = CONNECTORS[info.kind];
  const credentials = loadCredentials(store, `connector:${name}`, opts.vault);
  if (!credentials) throw new CoreError('unauthorized', `no credentials stored for ${name}`);
  const secrets = Object.values(credentials);
  const runId = store.write((tx) => {
    tx.run("UPDATE connectors SET status = 'running', last_attempt_at = ? WHERE name = ?", [startedAt, name]);
    return tx.run("INSERT INTO sync_runs(connector, started_at, status) VALUES (?, ?, 'running')", [
      name,
      startedAt,
    ]).lastInsertRowid;
  });
  const http = new Http({ ...opts.http, signal: opts.signal, secrets });
  const report: SyncReport = {
    connector: name,
    kind: info.kind,
    runId,
    status: 'ok',
    startedAt,
    finishedAt: startedAt,
    lastSuccessAt: info.lastSuccessAt,
    error: null,
    streams: [],
    totals: { received: 0, inserted: 0, updated: 0, unchanged: 0, failed: 0 },
    changes: [],
    failures: [],
    http: http.stats,
  };
  const streams = def.streams({
    http,
    baseUrl: opts.baseUrl ?? info.baseUrl ?? '',
    config: info.config,
    credentials,
  });
  try {
    let si = 0;
    for (const stream of streams) {
      const sr: StreamReport = {
        stream: stream.name,
        pages: 0,
        received: 0,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        failed: 0,
      };
      report.streams.push(sr);
      let cursor =
        store.get<{ cursor: string | null }>(
          'SELECT cursor FROM connector_cursors WHERE connector = ? AND stream = ?',
          [name, stream.name],
        )?.cursor ?? null;
      for (let guard = 0; guard < 100_000; guard++) {
        if (opts.signal?.aborted) throw new SyncAborted();
        const page = await stream.fetchPage(cursor);
        const now = clock().toISOString();
        store.write((tx) => {
          for (const rec of page.records) {
            const out = upsertRecord(tx, name, rec, now);
            sr.received++;
            if (out.kind === 'failed') {
              sr.failed++;
              if (report.failures.length < 200)
                report.failures.push({
                  stream: stream.name,
                  entity: rec.entity,
                  externalId: rec.externalId,
                  reason: mask(out.reason, secrets),
                });
            } else {
              sr[out.kind]++;
              if (out.kind !== 'unchanged' && report.changes.length < 200) {
                report.changes.push({
                  entity: rec.entity,
                  externalId: rec.externalId,
                  change: out.kind,
                  ...(out.kind === 'updated' ? { fields: out.changed } : {}),
                });
              }
            }
          }
          tx.run(
            'INSERT INTO connector_cursors(connector, stream, cursor, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(connector, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at',
            [name, stream.name, page.cursor, now],
          );
        });
        sr.pages++;
        cursor = page.cursor;
        opts.onPage?.({ stream: stream.name, page: sr.pages, records: page.records.length });
        opts.onProgress?.({
          done: si,
          total: streams.length,
          label: `${name}: ${stream.name}, page ${sr.pages}`,
        });
        if (page.done) break;
      }
      si++;
    }
  } catch (e) {
    if (e instanceof OfflineError) report.status = 'offline';
    else if (e instanceof SyncAborted) report.status = 'cancelled';
    else report.status = 'error';
    report.error = mask(
      e instanceof HttpError || e instanceof OfflineError || e instanceof SyncAborted
        ? e.message
        : `${(e as Error).message}`,
      secrets,
    );
  }
  for (const s of report.streams) {
    report.totals.received += s.received;
    report.totals.inserted += s.inserted;
    report.totals.updated += s.updated;
    report.totals.unchanged += s.unchanged;
    report.totals.failed += s.failed;
  }
  if (report.status === 'ok' && report.totals.failed > 0) report.status = 'partial';
  const finishedAt = clock().toISOString();
  report.finishedAt = finishedAt;
  const succeeded = report.status === 'ok' || report.status === 'partial';
  if (succeeded) report.lastSuccessAt = finishedAt;
  const connectorStatus: ConnectorState = succeeded
    ? 'ok'
    : report.status === 'offline'
      ? 'offline'
      : report.status === 'cancelled'
        ? 'never'
        : 'error';
  store.write((tx) => {
    tx.run('UPDATE sync_runs SET finished_at = ?, status = ?, report = ? WHERE id = ?', [
      finishedAt,
      report.status,
      JSON.stringify(report),
      runId,
    ]);
    tx.run(
      `UPDATE connectors SET status = ?, last_error = ?${succeeded ? ', last_success_at = ?' : ''} WHERE name = ?`,
      succeeded
        ? [connectorStatus, report.error, finishedAt, name]
        : [
            report.status === 'cancelled' ? (info.lastSuccessAt ? 'ok' : 'never') : connectorStatus,
            report.error,
            name,
          ],
    );
  });
  return report;
};

export const listSyncRuns = (store: PortfolioStore, name: string, limit = 20): SyncReport[] =>
  store
    .all<{ report: string; status: string; started_at: string; id: number }>(
      'SELECT id, status, started_at, report FROM sync_runs WHERE connector = ? ORDER BY id DESC LIMIT ?',
      [name, limit],
    )
    .map((r) => {
      const rep = JSON.parse(r.report) as Partial<SyncReport>;
      return rep.runId
        ? (rep as SyncReport)
        : ({
            connector: name,
            runId: r.id,
            status: 'error',
            startedAt: r.started_at,
            error: 'the run did not finish (crash?)',
          } as SyncReport);
    });
