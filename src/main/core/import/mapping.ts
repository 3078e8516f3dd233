/**
 * Mapping files: for each target field of an entity, where its value comes from in the source file and how
 * to read it (date format, time zone, value map, unit, number locale, default, reference resolution).
 *
 * {
 *   "entity": "accounts", "source": "acme-billing",
 *   "format": { "type": "csv", "delimiter": "," },
 *   "dateFormat": "DD/MM/YYYY", "timezone": "Europe/Berlin", "numberLocale": "de",
 *   "fields": {
 *     "external_id": "Customer ID",
 *     "name": { "column": "Company Name" },
 *     "segment": { "column": "Plan", "map": { "Enterprise": "enterprise", "Growth": "mid_market" } },
 *     "arr": { "column": "MRR (USD cents)", "multiply": 12, "divide": 100 },
 *     "status": { "value": "active" },
 *     "owner_id": { "column": "CSM Email", "ref": { "by": "email", "source": "*" } }
 *   }
 * }
 */
import { z } from 'zod';
import type { SqlValue } from '../db/engine';
import {
  checkTimeZone,
  compileDateFormat,
  type NumberLocale,
  parseBool,
  parseNumber,
  resolveNumberLocale,
  toIso,
} from './convert';
import { ENTITIES, ENTITY_NAMES, type EntityDef, type FieldDef, fieldOf } from './entities';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const numberLocale = z.union([
  z.string().min(2).max(10),
  z.object({ decimal: z.string().length(1), thousands: z.string().max(1).optional() }).strict(),
]);

export const fieldSpecSchema = z.union([
  z.string().min(1),
  z
    .object({
      column: z.string().min(1).optional(),
      /** Several columns joined (e.g. a composite id). */
      columns: z.array(z.string().min(1)).min(1).optional(),
      join: z.string().max(10).optional(),
      /** A constant for every row. */
      value: scalar.optional(),
      /** Used when the cell is empty. */
      default: scalar.optional(),
      map: z.record(z.string(), scalar).optional(),
      dateFormat: z.string().min(1).max(40).optional(),
      timezone: z.string().min(1).max(60).optional(),
      multiply: z.number().finite().optional(),
      divide: z
        .number()
        .finite()
        .refine((v) => v !== 0, 'cannot divide by zero')
        .optional(),
      round: z.number().int().min(0).max(10).optional(),
      numberLocale: numberLocale.optional(),
      /** For list fields: the separator inside a cell (default ";"). */
      split: z.string().min(1).max(5).optional(),
      ref: z
        .object({
          by: z.enum(['external_id', 'name', 'email']).optional(),
          /** The source the referenced rows came from; "*" for any. Default: this import's source. */
          source: z.string().min(1).max(100).optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
]);
export type FieldSpec = z.infer<typeof fieldSpecSchema>;

export const mappingSchema = z
  .object({
    version: z.literal(1).optional(),
    entity: z.enum(ENTITY_NAMES),
    source: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9_.:-]+$/, 'use letters, digits and _ . : -')
      .optional(),
    /** upsert (default): insert new, update existing; insert: existing ids are errors; update: unknown ids are errors. */
    mode: z.enum(['upsert', 'insert', 'update']).optional(),
    format: z
      .object({
        type: z.enum(['auto', 'csv', 'json', 'jsonl']).optional(),
        delimiter: z.string().min(1).max(5).optional(),
        maxFieldSize: z
          .number()
          .int()
          .min(16)
          .max(512 * 1024 * 1024)
          .optional(),
      })
      .strict()
      .optional(),
    dateFormat: z.string().min(1).max(40).optional(),
    timezone: z.string().min(1).max(60).optional(),
    numberLocale: numberLocale.optional(),
    fields: z.record(z.string(), fieldSpecSchema),
  })
  .strict();
export type Mapping = z.infer<typeof mappingSchema>;

export const DEFAULT_SOURCE = 'import';

/** Parses and checks a mapping (JSON text or object); throws an Error naming the bad path. */
export const parseMapping = (input: unknown): Mapping => {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new Error(`the mapping is not valid JSON: ${(e as Error).message}`);
    }
  }
  const r = mappingSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`mapping: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const entity = ENTITIES[r.data.entity];
  for (const [name, spec] of Object.entries(r.data.fields)) {
    const def = fieldOf(entity, name);
    if (!def) {
      throw new Error(
        `mapping: fields.${name}: ${entity.name} has no field "${name}" (fields: ${entity.fields.map((f) => f.name).join(', ')})`,
      );
    }
    if (typeof spec === 'object') {
      const sources = [spec.column, spec.columns, spec.value].filter((v) => v !== undefined).length;
      if (sources > 1) throw new Error(`mapping: fields.${name}: give only one of column, columns or value`);
      if (sources === 0 && spec.default === undefined)
        throw new Error(`mapping: fields.${name}: give a column, columns, value or default`);
      if (spec.ref && def.type !== 'ref')
        throw new Error(`mapping: fields.${name}: "ref" only applies to reference fields`);
      if (spec.dateFormat) compileDateFormat(spec.dateFormat);
      if (spec.timezone) checkTimeZone(spec.timezone);
      if (spec.numberLocale) resolveNumberLocale(spec.numberLocale);
    }
  }
  if (r.data.dateFormat) compileDateFormat(r.data.dateFormat);
  if (r.data.timezone) checkTimeZone(r.data.timezone);
  if (r.data.numberLocale) resolveNumberLocale(r.data.numberLocale);
  return r.data;
};

// ---------------------------------------------------------------- compiled mapping

/** One source row: CSV fields (by header position) or a JSON object. */
export type RawRow =
  | { line: number; fields: string[]; obj?: undefined }
  | { line: number; obj: Record<string, unknown>; fields?: undefined };

export interface ImportIssue {
  line: number;
  /** The source column (or the target field when no column is involved). */
  column: string | null;
  /** The target field, when the problem is about one. */
  field?: string;
  /** 1-based character position in the line, for syntax errors. */
  char?: number;
  code: string;
  message: string;
}

/** Looks up referenced rows (id by external id, name or email), with a cache. */
export interface RefResolver {
  resolve(
    entity: EntityDef,
    by: 'external_id' | 'name' | 'email',
    source: string,
    key: string,
  ): number | string;
}

export interface ColumnSource {
  /** Known column names (CSV header, or the first JSON record's keys). */
  columns: readonly string[];
  /** Whether a missing column is a file-level error (CSV) or just empty cells (JSON). */
  strict: boolean;
  accessor(column: string): ((r: RawRow) => unknown) | null;
}

export const csvColumns = (header: readonly string[]): ColumnSource => {
  const exact = new Map<string, number>();
  const loose = new Map<string, number>();
  header.forEach((h, i) => {
    if (!exact.has(h)) exact.set(h, i);
    const k = h.trim().toLowerCase();
    if (!loose.has(k)) loose.set(k, i);
  });
  return {
    columns: header,
    strict: true,
    accessor(column) {
      const idx = exact.get(column) ?? loose.get(column.trim().toLowerCase());
      if (idx === undefined) return null;
      return (r) => r.fields?.[idx];
    },
  };
};

export const jsonColumns = (first: Record<string, unknown> | null): ColumnSource => ({
  columns: first ? Object.keys(first) : [],
  strict: false,
  accessor(column) {
    const path = column.split('.');
    if (path.length === 1) return (r) => r.obj?.[column];
    return (r) => {
      let v: unknown = r.obj;
      for (const p of path) {
        if (v === null || typeof v !== 'object') return undefined;
        v = (v as Record<string, unknown>)[p];
      }
      return v;
    };
  },
});

export interface MappedRow {
  line: number;
  externalId: string | null;
  /** Aligned with CompiledMapping.columns. */
  values: SqlValue[];
  issues: ImportIssue[];
}

export interface CompiledMapping {
  entity: EntityDef;
  source: string;
  mode: 'upsert' | 'insert' | 'update';
  /** Target columns written (besides source and external_id), in order. */
  columns: string[];
  /** File-level problems (a required column missing): the import cannot start. */
  fileIssues: ImportIssue[];
  map(row: RawRow): MappedRow;
}

interface Step {
  def: FieldDef;
  column: string | null;
  get: (r: RawRow) => unknown;
  convert: (v: string | number | boolean, row: RawRow) => SqlValue | Invalid;
  default: SqlValue | boolean | undefined;
  map: Map<string, SqlValue | boolean> | null;
  required: boolean;
}

const normEnum = (s: string): string =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s\-/]+/g, '_');

const MAX_CACHE = 200_000;
const SIMPLE_INT = /^-?\d{1,15}$/;

/** A value that could not be converted, with the reason (a class, so good values allocate nothing). */
export class Invalid {
  constructor(readonly message: string) {}
}

export const dbRefResolver = (db: {
  get<T>(sql: string, params?: readonly SqlValue[]): T | undefined;
  all<T>(sql: string, params?: readonly SqlValue[]): T[];
}): RefResolver => {
  const cache = new Map<string, number | string>();
  return {
    resolve(entity, by, source, key) {
      const ck = `${entity.table}\u0000${by}\u0000${source}\u0000${key}`;
      const hit = cache.get(ck);
      if (hit !== undefined) return hit;
      let result: number | string;
      const where = source === '*' ? '' : ' AND source = ?';
      const params: SqlValue[] = source === '*' ? [key] : [key, source];
      const col = by === 'external_id' ? 'external_id' : by;
      const hasCol = entity.fields.some((f) => f.name === col);
      if (!hasCol) result = `${entity.label.toLowerCase()} cannot be looked up by ${by}`;
      else {
        const rows = db.all<{ id: number }>(
          `SELECT id FROM ${entity.table} WHERE ${col} = ?${by === 'external_id' ? '' : ' COLLATE NOCASE'}${where} LIMIT 2`,
          params,
        );
        const srcText = source === '*' ? '' : ` in source "${source}"`;
        if (rows.length === 0) result = `no ${entity.name} row with ${by} "${key}"${srcText}`;
        else if (rows.length > 1) result = `more than one ${entity.name} row has ${by} "${key}"${srcText}`;
        else result = rows[0]!.id;
      }
      if (cache.size > MAX_CACHE) cache.clear();
      cache.set(ck, result);
      return result;
    },
  };
};

/**
 * Binds a mapping to a file's columns. `source` is the data's origin label (the mapping's, else the default).
 */
export const compileMapping = (mapping: Mapping, cols: ColumnSource, refs: RefResolver): CompiledMapping => {
  const entity = ENTITIES[mapping.entity];
  const source = mapping.source ?? DEFAULT_SOURCE;
  const mode = mapping.mode ?? 'upsert';
  const fileIssues: ImportIssue[] = [];
  const steps: Step[] = [];
  const columns: string[] = [];
  let extStep: Step | null = null;
  const baseLocale = resolveNumberLocale(mapping.numberLocale);
  const baseTz = mapping.timezone ?? 'UTC';

  const specs = new Map<string, Exclude<FieldSpec, string>>();
  for (const [name, spec] of Object.entries(mapping.fields))
    specs.set(name, typeof spec === 'string' ? { column: spec } : spec);

  for (const def of entity.fields) {
    const spec = specs.get(def.name);
    const required = !!def.required && mode !== 'update';
    if (!spec) {
      if (required && !def.fallbackTo) {
        fileIssues.push({
          line: 1,
          column: null,
          field: def.name,
          code: 'unmapped_required',
          message: `the mapping gives no column for the required field "${def.name}" of ${entity.name}`,
        });
      }
      continue;
    }
    let get: (r: RawRow) => unknown;
    let column: string | null = null;
    if (spec.value !== undefined) {
      const v = spec.value;
      get = () => v;
    } else if (spec.columns) {
      const parts: ((r: RawRow) => unknown)[] = [];
      for (const c of spec.columns) {
        const acc = cols.accessor(c);
        if (!acc && cols.strict) {
          fileIssues.push(missingColumn(c, def, entity, cols));
          continue;
        }
        parts.push(acc ?? (() => undefined));
      }
      const sep = spec.join ?? ':';
      column = spec.columns.join('+');
      get = (r) => {
        const vals = parts.map((p) => p(r));
        return vals.every((v) => v === undefined || v === null || v === '')
          ? null
          : vals.map((v) => (v === null || v === undefined ? '' : String(v))).join(sep);
      };
    } else if (spec.column !== undefined) {
      column = spec.column;
      const acc = cols.accessor(spec.column);
      if (!acc && cols.strict) {
        if (required || def.name === 'external_id')
          fileIssues.push(missingColumn(spec.column, def, entity, cols));
        else {
          fileIssues.push({ ...missingColumn(spec.column, def, entity, cols), code: 'missing_column' });
        }
        continue;
      }
      get = acc ?? (() => undefined);
    } else {
      get = () => null;
    }
    const map = spec.map ? new Map<string, SqlValue | boolean>() : null;
    if (spec.map && map) {
      for (const [k, v] of Object.entries(spec.map)) {
        map.set(k, v);
        if (!map.has(k.trim().toLowerCase())) map.set(k.trim().toLowerCase(), v);
      }
    }
    const step: Step = {
      def,
      column,
      get,
      convert: converter(def, spec, mapping, baseLocale, baseTz, refs, source, entity),
      default: spec.default,
      map,
      required,
    };
    if (def.name === 'external_id') extStep = step;
    else {
      steps.push(step);
      columns.push(def.name);
    }
  }
  if (!extStep && !entity.naturalKey) {
    fileIssues.push({
      line: 1,
      column: null,
      field: 'external_id',
      code: 'unmapped_required',
      message: `the mapping gives no column for "external_id": ${entity.name} rows need a stable id for de-duplication and updates`,
    });
  }
  const keyIdx = !extStep && entity.naturalKey ? entity.naturalKey.map((k) => columns.indexOf(k)) : null;
  const fallbacks = steps
    .map((s, i) => (s.def.fallbackTo ? [i, columns.indexOf(s.def.fallbackTo)] : null))
    .filter((x): x is [number, number] => x !== null && x[1] >= 0);
  // A fallback field that is not mapped at all is still written (copied from its source field).
  for (const def of entity.fields) {
    if (def.fallbackTo && !specs.has(def.name) && columns.includes(def.fallbackTo)) {
      columns.push(def.name);
      const idx = columns.length - 1;
      steps.push({
        def,
        column: null,
        get: () => null,
        convert: (v) => v as SqlValue,
        default: undefined,
        map: null,
        required: false,
      });
      fallbacks.push([idx, columns.indexOf(def.fallbackTo)]);
    }
  }

  const runStep = (s: Step, r: RawRow, issues: ImportIssue[]): SqlValue => {
    let raw = s.get(r);
    if (typeof raw === 'string') {
      raw = raw.trim();
      if (raw === '') raw = null;
    } else if (raw === undefined) raw = null;
    else if (typeof raw === 'object' && raw !== null) raw = JSON.stringify(raw);
    if (s.map && raw !== null) {
      const key = String(raw);
      const hit = s.map.get(key) ?? s.map.get(key.toLowerCase());
      if (hit !== undefined) raw = hit;
    }
    if (raw === null && s.default !== undefined) raw = s.default;
    if (raw === null && s.def.dbDefault !== undefined) return s.def.dbDefault;
    if (raw === null) {
      if (s.required) {
        issues.push({
          line: r.line,
          column: s.column ?? s.def.name,
          field: s.def.name,
          code: 'required',
          message: `"${s.def.name}" is required but the cell is empty`,
        });
      }
      return null;
    }
    const out = s.convert(raw as string | number | boolean, r);
    if (out instanceof Invalid) {
      issues.push({
        line: r.line,
        column: s.column ?? s.def.name,
        field: s.def.name,
        code: 'invalid_value',
        message: out.message,
      });
      return null;
    }
    return out;
  };

  return {
    entity,
    source,
    mode,
    columns,
    fileIssues,
    map(r) {
      const issues: ImportIssue[] = [];
      const values: SqlValue[] = new Array(steps.length);
      for (let i = 0; i < steps.length; i++) values[i] = runStep(steps[i]!, r, issues);
      for (const [to, from] of fallbacks) if (values[to] === null) values[to] = values[from]!;
      let externalId: string | null = null;
      if (extStep) {
        const v = runStep(extStep, r, issues);
        if (v === null && !issues.some((x) => x.field === 'external_id')) {
          issues.push({
            line: r.line,
            column: extStep.column ?? 'external_id',
            field: 'external_id',
            code: 'required',
            message: 'the external id is empty',
          });
        }
        externalId = v === null ? null : String(v);
      } else if (keyIdx) {
        // A natural key: built from the key fields' source text (refs by their key, not the local id).
        const parts: string[] = [];
        for (let k = 0; k < keyIdx.length; k++) {
          const idx = keyIdx[k]!;
          const name = entity.naturalKey![k]!;
          if (idx < 0) parts.push(name === 'period_days' ? '7' : '');
          else {
            const s = steps[idx]!;
            parts.push(s.def.type === 'ref' ? String(s.get(r) ?? '').trim() : String(values[idx] ?? ''));
          }
        }
        externalId = parts.join('|');
      }
      return { line: r.line, externalId, values, issues };
    },
  };
};

const missingColumn = (col: string, def: FieldDef, entity: EntityDef, cols: ColumnSource): ImportIssue => {
  const header = cols.columns;
  const looksOtherDelimited = header.length === 1 && /[;\t|,]/.test(header[0] ?? '');
  return {
    line: 1,
    column: col,
    field: def.name,
    code: 'missing_required_column',
    message:
      `the file has no column "${col}" (needed for ${entity.name}.${def.name}); columns found: ${header
        .slice(0, 20)
        .map((h) => JSON.stringify(h))
        .join(', ')}` +
      (looksOtherDelimited ? ' — the header is a single column: is the delimiter right?' : ''),
  };
};

const converter = (
  def: FieldDef,
  spec: Exclude<FieldSpec, string>,
  mapping: Mapping,
  baseLocale: NumberLocale,
  baseTz: string,
  refs: RefResolver,
  source: string,
  entity: EntityDef,
): Step['convert'] => {
  const scale = (spec.multiply ?? 1) / (spec.divide ?? 1);
  const hasScale = spec.multiply !== undefined || spec.divide !== undefined;
  const locale = spec.numberLocale ? resolveNumberLocale(spec.numberLocale) : baseLocale;
  const range = (n: number): string | null =>
    def.min !== undefined && n < def.min
      ? `${n} is below the minimum ${def.min} for ${def.name}`
      : def.max !== undefined && n > def.max
        ? `${n} is above the maximum ${def.max} for ${def.name}`
        : null;
  switch (def.type) {
    case 'text':
      return (v) => (typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v));
    case 'int':
    case 'real':
      return (v) => {
        let n: number;
        if (typeof v === 'number') n = v;
        else if (typeof v === 'string' && SIMPLE_INT.test(v)) n = Number(v);
        else if (typeof v === 'boolean') return new Invalid(`"${v}" is not a number`);
        else {
          const p = parseNumber(v, locale);
          if (!p.ok) return new Invalid(p.reason);
          n = p.value;
        }
        if (hasScale) n = n * scale;
        if (spec.round !== undefined) n = Number(n.toFixed(spec.round));
        else if (hasScale) n = Number(n.toPrecision(12));
        if (def.type === 'int' && !Number.isInteger(n)) return new Invalid(`${n} is not a whole number`);
        const r = range(n);
        return r ? new Invalid(r) : n;
      };
    case 'bool':
      return (v) => {
        if (typeof v === 'boolean') return v ? 1 : 0;
        if (typeof v === 'number') return v === 0 || v === 1 ? v : new Invalid(`${v} is not a yes/no value`);
        const p = parseBool(v);
        return p.ok ? (p.value ? 1 : 0) : new Invalid(p.reason);
      };
    case 'date':
    case 'datetime': {
      const fmt = spec.dateFormat ?? mapping.dateFormat;
      const parser = compileDateFormat(fmt);
      const tz = spec.timezone ?? baseTz;
      const kind = def.type;
      // Dates repeat a lot in exports (a week per row of usage): memoise.
      const memo = new Map<string, SqlValue | Invalid>();
      return (v) => {
        const key = String(v);
        const hit = memo.get(key);
        if (hit !== undefined) return hit;
        const p = toIso(key, parser, kind, tz);
        const out = p.ok
          ? p.value
          : new Invalid(`${p.reason}${fmt ? '' : ' (set a dateFormat in the mapping)'}`);
        if (memo.size >= 50_000) memo.clear();
        memo.set(key, out);
        return out;
      };
    }
    case 'enum': {
      const allowed = new Set(def.values ?? []);
      return (v) => {
        const s = String(v);
        if (allowed.has(s)) return s;
        const n = normEnum(s);
        if (allowed.has(n)) return n;
        return new Invalid(
          `"${s}" is not one of ${[...allowed].join(', ')} (add a value map for ${def.name})`,
        );
      };
    }
    case 'ref': {
      const target = ENTITIES[def.ref!];
      const by = spec.ref?.by ?? 'external_id';
      const refSource = spec.ref?.source ?? source;
      void entity;
      const memo = new Map<string, SqlValue | Invalid>();
      return (v) => {
        const key = String(v);
        const hit = memo.get(key);
        if (hit !== undefined) return hit;
        const r = refs.resolve(target, by, refSource, key);
        const out = typeof r === 'number' ? r : new Invalid(r);
        if (memo.size >= 100_000) memo.clear();
        memo.set(key, out);
        return out;
      };
    }
    case 'list': {
      const sep = spec.split ?? ';';
      return (v) => {
        if (typeof v === 'string' && v.startsWith('[')) {
          try {
            const arr = JSON.parse(v) as unknown;
            if (Array.isArray(arr)) return JSON.stringify(arr.map(String));
          } catch {
            // fall through to splitting
          }
        }
        return JSON.stringify(
          String(v)
            .split(sep)
            .map((x) => x.trim())
            .filter((x) => x !== ''),
        );
      };
    }
  }
};
