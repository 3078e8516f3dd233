import { z } from 'zod';
import { returns } from './helpers';

/** What can be imported from files (see src/main/core/import/entities.ts for each entity's fields). */
export const IMPORT_ENTITIES = [
  'accounts',
  'contacts',
  'tickets',
  'ticket_messages',
  'usage',
  'health',
  'nps',
  'engagements',
  'team',
  'escalations',
  'outcomes',
] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

export const CONNECTOR_KIND_NAMES = ['salesforce', 'zendesk', 'hubspot'] as const;
export type ConnectorKindName = (typeof CONNECTOR_KIND_NAMES)[number];

export interface ImportIssue {
  line: number;
  column: string | null;
  field?: string;
  char?: number;
  code: string;
  message: string;
}

/** A mapping file (validated in the core; see src/main/core/import/mapping.ts for the full shape). */
export interface MappingDoc {
  entity: ImportEntity;
  source?: string;
  fields: Record<string, unknown>;
  [k: string]: unknown;
}

export interface ImportReportDto {
  status: 'imported' | 'refused' | 'dry_run' | 'cancelled';
  reason: string | null;
  entity: string;
  table: string;
  source: string;
  file: string;
  format: 'csv' | 'json';
  delimiter: string | null;
  dryRun: boolean;
  validOnly: boolean;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errorCount: number;
  errors: ImportIssue[];
  durationMs: number;
  mappingOrigin: 'given' | 'saved' | 'detected';
  mapping: MappingDoc;
}

export interface MappingProposalDto {
  mapping: MappingDoc;
  matches: { field: string; column: string; score: number }[];
  unmatchedColumns: string[];
  missingRequired: string[];
  warnings: string[];
  columns: string[];
  delimiter: string | null;
}

export interface ImportPreviewDto {
  format: 'csv' | 'json';
  delimiter: string | null;
  columns: string[];
  mapping: MappingDoc;
  origin: 'given' | 'saved' | 'detected';
  proposal: Omit<MappingProposalDto, 'columns' | 'delimiter'> | null;
  fileIssues: ImportIssue[];
  rows: {
    line: number;
    externalId: string | null;
    values: Record<string, string | number | null>;
    issues: ImportIssue[];
  }[];
}

export interface ImportEntityInfo {
  name: ImportEntity;
  label: string;
  table: string;
  naturalKey: readonly string[] | null;
  fields: {
    name: string;
    type: string;
    required: boolean;
    values: readonly string[] | null;
    ref: string | null;
  }[];
}

export interface SavedMappingDto {
  source: string;
  entity: ImportEntity;
  mapping: MappingDoc;
  updatedAt: string;
}

export interface ConnectorInfoDto {
  name: string;
  kind: ConnectorKindName;
  baseUrl: string | null;
  config: Record<string, unknown>;
  enabled: boolean;
  status: 'never' | 'ok' | 'running' | 'error' | 'offline';
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  hasCredentials: boolean;
  cursors: { stream: string; updatedAt: string }[];
}

export interface SyncReportDto {
  connector: string;
  kind: ConnectorKindName;
  runId: number;
  status: 'ok' | 'partial' | 'error' | 'offline' | 'cancelled';
  startedAt: string;
  finishedAt: string;
  lastSuccessAt: string | null;
  error: string | null;
  streams: {
    stream: string;
    pages: number;
    received: number;
    inserted: number;
    updated: number;
    unchanged: number;
    failed: number;
  }[];
  totals: { received: number; inserted: number; updated: number; unchanged: number; failed: number };
  changes: { entity: string; externalId: string; change: 'inserted' | 'updated'; fields?: string[] }[];
  failures: { stream: string; entity: string; externalId: string; reason: string }[];
  http: { requests: number; retries: number; rateLimited: number };
}

const file = z.string().min(1).max(4096);
const entity = z.enum(IMPORT_ENTITIES);
const source = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits and _ . : -');
const taskId = z.string().min(1).max(100);
const connectorName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, '1-40 lowercase letters, digits, - or _');

export const connectorsContract = {
  'import.entities': { args: z.object({}).strict(), result: returns<ImportEntityInfo[]>() },
  'import.detect': {
    args: z.object({ file, entity, source: source.optional() }).strict(),
    result: returns<MappingProposalDto>(),
  },
  'import.preview': {
    args: z
      .object({
        file,
        entity: entity.optional(),
        source: source.optional(),
        mapping: z.unknown().optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    result: returns<ImportPreviewDto>(),
  },
  'import.run': {
    args: z
      .object({
        file,
        entity: entity.optional(),
        source: source.optional(),
        mapping: z.unknown().optional(),
        dryRun: z.boolean().optional(),
        validOnly: z.boolean().optional(),
        saveMapping: z.boolean().optional(),
        /** Names the run so `import.cancel` can stop it; progress events use task "import". */
        taskId: taskId.optional(),
      })
      .strict(),
    result: returns<ImportReportDto>(),
  },
  /** A file chosen in the window, sent as text; answers the local path to preview and import. */
  'import.upload': {
    args: z.object({ name: z.string().min(1).max(255), content: z.string().max(15 * 1024 * 1024) }).strict(),
    result: returns<{ file: string; bytes: number; name: string }>(),
  },
  'import.cancel': { args: z.object({ taskId }).strict(), result: returns<{ cancelled: boolean }>() },
  'import.mappings.list': { args: z.object({}).strict(), result: returns<SavedMappingDto[]>() },
  'import.mappings.save': {
    args: z.object({ mapping: z.unknown() }).strict(),
    result: returns<SavedMappingDto>(),
  },
  'import.mappings.delete': {
    args: z.object({ source, entity }).strict(),
    result: returns<{ deleted: boolean }>(),
  },
  'connectors.list': { args: z.object({}).strict(), result: returns<ConnectorInfoDto[]>() },
  'connectors.configure': {
    args: z
      .object({
        name: connectorName,
        kind: z.enum(CONNECTOR_KIND_NAMES),
        baseUrl: z.string().url().max(500).optional(),
        config: z.record(z.string(), z.unknown()).optional(),
        credentials: z.record(z.string(), z.string().max(4096)).optional(),
        enabled: z.boolean().optional(),
      })
      .strict(),
    result: returns<ConnectorInfoDto>(),
  },
  'connectors.remove': {
    args: z.object({ name: connectorName }).strict(),
    result: returns<{ removed: boolean }>(),
  },
  /** Web mode: unlock stored credentials with the user's key for this session (never stored). */
  'connectors.unlock': {
    args: z.object({ key: z.string().min(8).max(1000) }).strict(),
    result: returns<{ scheme: string }>(),
  },
  'connectors.sync': {
    args: z.object({ name: connectorName, taskId: taskId.optional() }).strict(),
    result: returns<SyncReportDto>(),
  },
  'connectors.cancel': { args: z.object({ taskId }).strict(), result: returns<{ cancelled: boolean }>() },
  'connectors.runs': {
    args: z.object({ name: connectorName, limit: z.number().int().min(1).max(200).optional() }).strict(),
    result: returns<SyncReportDto[]>(),
  },
  'connectors.resetCursors': {
    args: z.object({ name: connectorName }).strict(),
    result: returns<{ ok: true }>(),
  },
} as const;
