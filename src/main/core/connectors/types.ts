import { CONNECTOR_KIND_NAMES } from '../../../shared/contracts/connectors';
import type { SqlValue } from '../db/engine';
import type { EntityName } from '../import/entities';
import type { Credentials } from './credentials';
import type { Http } from './http';

export const CONNECTOR_KINDS = CONNECTOR_KIND_NAMES;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

/** A record as a connector delivers it, already in the portfolio's vocabulary. */
export interface SyncRecord {
  entity: EntityName;
  externalId: string;
  /** Field values written on insert and update. */
  values: Record<string, SqlValue>;
  /** Written only when the row is created (e.g. a segment the CRM does not know). */
  insertOnly?: Record<string, SqlValue>;
  /** Reference fields, resolved by external id (in this connector's source unless `source` says otherwise). */
  refs?: Record<string, { entity: EntityName; externalId: string; source?: string } | null>;
  /** 'update' patches an existing row only (e.g. a renewal date from an opportunity). */
  mode?: 'upsert' | 'update';
}

export interface StreamPage {
  records: SyncRecord[];
  /** The cursor to store with this page (committed in the same transaction as its records). */
  cursor: string | null;
  /** No more pages for now. */
  done: boolean;
}

export interface ConnectorStream {
  name: string;
  fetchPage(cursor: string | null): Promise<StreamPage>;
}

export interface ConnectorContext {
  http: Http;
  baseUrl: string;
  config: Record<string, unknown>;
  credentials: Credentials;
}

export interface ConnectorDef {
  kind: ConnectorKind;
  /** Credential names the connector needs (for the UI and for checks). */
  credentialFields: readonly string[][];
  defaultBaseUrl: string | null;
  streams(ctx: ConnectorContext): ConnectorStream[];
  /** The headers that authenticate a request. */
}
