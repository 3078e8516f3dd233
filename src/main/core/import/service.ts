/**
 * The import capability as the API and CLI see it: mappings saved per source, detection, preview, import.
 */
import { existsSync } from 'node:fs';
import { CoreError } from '../../../shared/result';
import type { SqlValue } from '../db/engine';
import type { PortfolioStore } from '../db/store';
import { type MappingProposal, proposeMapping } from './detect';
import { ENTITIES, type EntityName } from './entities';
import { type ImportOptions, type ImportReport, importFile } from './importer';
import {
  compileMapping,
  DEFAULT_SOURCE,
  dbRefResolver,
  type ImportIssue,
  type Mapping,
  parseMapping,
  type RawRow,
} from './mapping';
import { type FileFormat, formatOf, sampleFile } from './reader';

export interface SavedMapping {
  source: string;
  entity: EntityName;
  mapping: Mapping;
  updatedAt: string;
}

const hasTable = (store: PortfolioStore, name: string): boolean =>
  !!store.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", [name]);

export const saveMapping = (store: PortfolioStore, input: unknown, now: Date): SavedMapping => {
  let mapping: Mapping;
  try {
    mapping = parseMapping(input);
  } catch (e) {
    throw new CoreError('invalid_arguments', (e as Error).message, 'mapping');
  }
  if (!hasTable(store, 'import_mappings'))
    throw new CoreError('storage', 'this portfolio cannot store mappings yet (schema 6 missing)');
  const source = mapping.source ?? DEFAULT_SOURCE;
  const at = now.toISOString();
  store.write((tx) =>
    tx.run(
      'INSERT INTO import_mappings(source, entity, mapping, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(source, entity) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at',
      [source, mapping.entity, JSON.stringify(mapping), at],
    ),
  );
  return { source, entity: mapping.entity, mapping, updatedAt: at };
};

export const loadMapping = (store: PortfolioStore, source: string, entity: EntityName): Mapping | null => {
  if (!hasTable(store, 'import_mappings')) return null;
  const r = store.get<{ mapping: string }>(
    'SELECT mapping FROM import_mappings WHERE source = ? AND entity = ?',
    [source, entity],
  );
  return r ? parseMapping(r.mapping) : null;
};

export const listMappings = (store: PortfolioStore): SavedMapping[] => {
  if (!hasTable(store, 'import_mappings')) return [];
  return store
    .all<{ source: string; entity: EntityName; mapping: string; updated_at: string }>(
      'SELECT source, entity, mapping, updated_at FROM import_mappings ORDER BY source, entity',
    )
    .map((r) => ({
      source: r.source,
      entity: r.entity,
      mapping: parseMapping(r.mapping),
      updatedAt: r.updated_at,
    }));
};

export const deleteMapping = (store: PortfolioStore, source: string, entity: EntityName): boolean => {
  if (!hasTable(store, 'import_mappings')) return false;
  return store.write(
    (tx) =>
      tx.run('DELETE FROM import_mappings WHERE source = ? AND entity = ?', [source, entity]).changes > 0,
  );
};

const checkFile = (file: string): void => {
  if (!existsSync(file)) throw new CoreError('not_found', `no file at ${file}`, 'file');
};

const rowObject = (cols: readonly string[], r: RawRow): Record<string, unknown> => {
  if (r.obj) return r.obj;
  const o: Record<string, unknown> = {};
  cols.forEach((c, i) => {
    o[c] = r.fields?.[i];
  });
  return o;
};

/** Proposes a mapping from the file's header and first rows. */
export const detectMapping = async (
  file: string,
  entity: EntityName,
  source?: string,
  format?: FileFormat,
): Promise<MappingProposal & { columns: string[]; delimiter: string | null }> => {
  checkFile(file);
  const s = await sampleFile(file, format ?? formatOf(file), { limit: 200 });
  if (s.error && !s.cols)
    throw new CoreError(
      'invalid_arguments',
      `cannot read ${file}: ${s.error.message}`,
      `line ${s.error.line}`,
    );
  const cols = s.cols?.columns ?? [];
  const proposal = proposeMapping(
    entity,
    cols,
    s.rows.map(({ row }) => rowObject(cols, row)),
    source,
  );
  if (s.delimiter && s.delimiter !== ',') proposal.mapping.format = { type: 'csv', delimiter: s.delimiter };
  return { ...proposal, columns: [...cols], delimiter: s.delimiter };
};

export interface ResolvedMapping {
  mapping: Mapping;
  origin: 'given' | 'saved' | 'detected';
  proposal?: MappingProposal;
}

/** The mapping to use: the one given, else the one saved for (source, entity), else a detected proposal. */
export const resolveMapping = async (
  store: PortfolioStore,
  req: { file: string; entity?: EntityName; source?: string; mapping?: unknown },
): Promise<ResolvedMapping> => {
  if (req.mapping !== undefined) {
    let m: Mapping;
    try {
      m = parseMapping(req.mapping);
    } catch (e) {
      throw new CoreError('invalid_arguments', (e as Error).message, 'mapping');
    }
    if (req.entity && m.entity !== req.entity) {
      throw new CoreError('invalid_arguments', `the mapping is for ${m.entity}, not ${req.entity}`, 'entity');
    }
    if (req.source) m = { ...m, source: req.source };
    return { mapping: m, origin: 'given' };
  }
  if (!req.entity) throw new CoreError('invalid_arguments', 'give an entity or a mapping', 'entity');
  const source = req.source ?? DEFAULT_SOURCE;
  const saved = loadMapping(store, source, req.entity);
  if (saved) return { mapping: saved, origin: 'saved' };
  const proposal = await detectMapping(req.file, req.entity, req.source);
  return { mapping: proposal.mapping, origin: 'detected', proposal };
};

export interface PreviewRow {
  line: number;
  externalId: string | null;
  values: Record<string, SqlValue>;
  issues: ImportIssue[];
}

export interface ImportPreview {
  format: FileFormat;
  delimiter: string | null;
  columns: string[];
  mapping: Mapping;
  origin: ResolvedMapping['origin'];
  proposal: MappingProposal | null;
  fileIssues: ImportIssue[];
  rows: PreviewRow[];
}

export const previewImport = async (
  store: PortfolioStore,
  req: { file: string; entity?: EntityName; source?: string; mapping?: unknown; limit?: number },
): Promise<ImportPreview> => {
  checkFile(req.file);
  const resolved = await resolveMapping(store, req);
  const format = formatOf(req.file, resolved.mapping.format?.type);
  const s = await sampleFile(req.file, format, {
    limit: req.limit ?? 20,
    delimiter: resolved.mapping.format?.delimiter,
    maxFieldSize: resolved.mapping.format?.maxFieldSize,
  });
  const fileIssues: ImportIssue[] = s.error ? [s.error] : [];
  const rows: PreviewRow[] = [];
  if (s.cols) {
    const compiled = compileMapping(resolved.mapping, s.cols, dbRefResolver(store));
    fileIssues.push(...compiled.fileIssues);
    for (const { row, problem } of s.rows) {
      const m = compiled.map(row);
      const values: Record<string, SqlValue> = {};
      compiled.columns.forEach((c, i) => {
        values[c] = m.values[i] ?? null;
      });
      rows.push({
        line: row.line,
        externalId: m.externalId,
        values,
        issues: problem ? [problem, ...m.issues] : m.issues,
      });
    }
  }
  return {
    format,
    delimiter: s.delimiter,
    columns: s.cols ? [...s.cols.columns] : [],
    mapping: resolved.mapping,
    origin: resolved.origin,
    proposal: resolved.proposal ?? null,
    fileIssues,
    rows,
  };
};

export interface RunImportRequest {
  file: string;
  entity?: EntityName;
  source?: string;
  mapping?: unknown;
  dryRun?: boolean;
  validOnly?: boolean;
  /** Save the mapping used for (source, entity) after a successful import. */
  saveMapping?: boolean;
}

export const runImport = async (
  store: PortfolioStore,
  req: RunImportRequest,
  extra: Pick<ImportOptions, 'signal' | 'onProgress' | 'now' | 'maxErrors'> = {},
): Promise<ImportReport & { mappingOrigin: ResolvedMapping['origin']; mapping: Mapping }> => {
  checkFile(req.file);
  const resolved = await resolveMapping(store, req);
  if (
    resolved.proposal &&
    resolved.proposal.missingRequired.length === 0 &&
    resolved.proposal.warnings.length > 0
  ) {
    // A guess with doubts is proposed for review, never imported blindly.
    throw new CoreError(
      'invalid_arguments',
      `no mapping saved for source "${req.source ?? DEFAULT_SOURCE}" and the detected one needs review: ${resolved.proposal.warnings.join('; ')} (preview it, then save it or pass a mapping file)`,
      'mapping',
    );
  }
  if (resolved.proposal && resolved.proposal.missingRequired.length > 0) {
    const entity = ENTITIES[resolved.mapping.entity];
    throw new CoreError(
      'invalid_arguments',
      `no mapping saved for source "${req.source ?? DEFAULT_SOURCE}" and the columns could not be matched to ${entity.name}: ${resolved.proposal.missingRequired.join(', ')} (write a mapping file)`,
      'mapping',
    );
  }
  const report = await importFile(store, {
    file: req.file,
    mapping: resolved.mapping,
    dryRun: req.dryRun,
    validOnly: req.validOnly,
    ...extra,
  });
  if (
    req.saveMapping &&
    report.status === 'imported' &&
    resolved.origin !== 'saved' &&
    hasTable(store, 'import_mappings')
  ) {
    saveMapping(store, resolved.mapping, extra.now ? extra.now() : new Date());
  }
  return { ...report, mappingOrigin: resolved.origin, mapping: resolved.mapping };
};
