/**
 * Automatic column detection: proposes a mapping from a file's header (synonyms, token overlap, edit
 * distance) and a sample of its values (date format, number locale, unit hints, enum value maps). The user
 * reviews the proposal and saves it per source; nothing is imported on a guess alone.
 */
import { ENTITIES, type EntityName, type FieldDef } from './entities';
import type { FieldSpec, Mapping } from './mapping';

export interface ColumnMatch {
  field: string;
  column: string;
  /** 0..1 */
  score: number;
}

export interface MappingProposal {
  mapping: Mapping;
  matches: ColumnMatch[];
  unmatchedColumns: string[];
  missingRequired: string[];
  warnings: string[];
}

export const normalizeHeader = (h: string): string =>
  h
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[_\-./#:]+/g, ' ')
    .replace(/[^a-z0-9 ]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

const levenshtein = (a: string, b: string): number => {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
};

const similarity = (a: string, b: string): number => 1 - levenshtein(a, b) / Math.max(a.length, b.length, 1);

export const scoreColumn = (field: FieldDef, header: string): number => {
  const h = normalizeHeader(header);
  if (!h) return 0;
  const names = [field.name.replace(/_/g, ' '), ...field.synonyms];
  let best = 0;
  const hTokens = new Set(h.split(' '));
  for (const syn of names) {
    if (h === syn) return 1;
    const sTokens = syn.split(' ');
    if (sTokens.length > 1 && sTokens.every((t) => hTokens.has(t))) best = Math.max(best, 0.85);
    else if (sTokens.length === 1 && hTokens.has(syn) && hTokens.size <= 3) best = Math.max(best, 0.7);
    const sim = similarity(h, syn);
    if (sim >= 0.75) best = Math.max(best, sim * 0.9);
  }
  return best;
};

const ENUM_HINTS: Record<string, Record<string, string[]>> = {
  segment: {
    enterprise: ['enterprise', 'ent', 'large', 'strategic', 'corporate', 'premium'],
    mid_market: [
      'mid market',
      'midmarket',
      'mid',
      'mm',
      'growth',
      'business',
      'pro',
      'professional',
      'team',
      'commercial',
    ],
    smb: ['smb', 'small', 'starter', 'basic', 'self serve', 'free', 'essentials', 'startup', 'sb'],
  },
  status: {
    active: ['active', 'live', 'current', 'paying', 'customer'],
    churned: ['churned', 'cancelled', 'canceled', 'lost', 'inactive', 'terminated'],
    departed: ['departed', 'left', 'inactive'],
    open: ['open', 'new', 'in progress'],
    solved: ['solved', 'resolved', 'done'],
    closed: ['closed'],
    pending: ['pending', 'waiting', 'on hold', 'hold'],
  },
  priority: {
    urgent: ['urgent', 'p1', 'critical', 'blocker', 'sev1'],
    high: ['high', 'p2', 'major', 'sev2'],
    normal: ['normal', 'medium', 'p3', 'sev3'],
    low: ['low', 'p4', 'minor', 'trivial', 'sev4'],
  },
  side: {
    customer: ['customer', 'end user', 'requester', 'user', 'client', 'inbound'],
    agent: ['agent', 'support', 'staff', 'admin', 'outbound'],
  },
};

const proposeValueMap = (
  field: FieldDef,
  samples: string[],
): { map: Record<string, string>; unknown: string[] } => {
  const allowed = new Set(field.values ?? []);
  const hints = ENUM_HINTS[field.name] ?? {};
  const map: Record<string, string> = {};
  const unknown: string[] = [];
  for (const raw of new Set(samples.map((s) => s.trim()).filter((s) => s !== ''))) {
    const n = raw.toLowerCase().replace(/[\s\-/]+/g, '_');
    if (allowed.has(n)) continue;
    const words = normalizeHeader(raw);
    const hit = Object.entries(hints).find(
      ([target, syns]) =>
        allowed.has(target) && syns.some((s) => s === words || words.split(' ').includes(s)),
    );
    if (hit) map[raw] = hit[0];
    else unknown.push(raw);
  }
  return { map, unknown };
};

const detectDateFormat = (samples: string[]): { format?: string; ambiguous?: boolean } | null => {
  const vals = samples.map((s) => s.trim()).filter((s) => s !== '');
  if (vals.length === 0) return null;
  if (
    vals.every((v) =>
      /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i.test(v),
    )
  )
    return {};
  if (vals.every((v) => /^\d{10}$/.test(v))) return { format: 'epoch_s' };
  if (vals.every((v) => /^\d{13}$/.test(v))) return { format: 'epoch_ms' };
  const m = vals.map((v) =>
    /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(v),
  );
  if (m.every((x) => x !== null)) {
    const sep = m[0]![2]!;
    const firstOver12 = m.some((x) => Number(x![1]) > 12);
    const secondOver12 = m.some((x) => Number(x![3]) > 12);
    const time = m.some((x) => x![5] !== undefined)
      ? m.some((x) => x![7] !== undefined)
        ? ' H:mm:ss'
        : ' H:mm'
      : '';
    if (firstOver12 && !secondOver12) return { format: `D${sep}M${sep}YYYY${time}` };
    if (secondOver12 && !firstOver12) return { format: `M${sep}D${sep}YYYY${time}` };
    return {
      format: sep === '.' ? `D${sep}M${sep}YYYY${time}` : `M${sep}D${sep}YYYY${time}`,
      ambiguous: true,
    };
  }
  return null;
};

/**
 * Proposes a mapping for `entity` from the header and sample rows (cells by column name).
 */
export const proposeMapping = (
  entity: EntityName,
  columns: readonly string[],
  sampleRows: readonly Record<string, unknown>[],
  source?: string,
): MappingProposal => {
  const def = ENTITIES[entity];
  const candidates: ColumnMatch[] = [];
  for (const f of def.fields) {
    for (const c of columns) {
      const s = scoreColumn(f, c);
      if (s >= 0.6) candidates.push({ field: f.name, column: c, score: Math.round(s * 100) / 100 });
    }
  }
  // Prefer required fields on ties, then the best score.
  const req = new Set(def.fields.filter((f) => f.required).map((f) => f.name));
  candidates.sort((a, b) => b.score - a.score || Number(req.has(b.field)) - Number(req.has(a.field)));
  const usedF = new Set<string>();
  const usedC = new Set<string>();
  const matches: ColumnMatch[] = [];
  for (const c of candidates) {
    if (usedF.has(c.field) || usedC.has(c.column)) continue;
    usedF.add(c.field);
    usedC.add(c.column);
    matches.push(c);
  }
  const warnings: string[] = [];
  const fields: Record<string, FieldSpec> = {};
  const samplesOf = (col: string): string[] =>
    sampleRows
      .map((r) => r[col])
      .filter((v) => v !== undefined && v !== null)
      .map((v) => String(v));
  let numberLocale: string | undefined;
  for (const m of matches) {
    const f = def.fields.find((x) => x.name === m.field)!;
    const spec: Exclude<FieldSpec, string> = { column: m.column };
    const vals = samplesOf(m.column);
    const h = m.column.toLowerCase();
    if (f.type === 'real' || f.type === 'int') {
      if (/\bmrr\b|monthly/.test(h) && f.name === 'arr') spec.multiply = 12;
      if (/cents?\b/.test(h)) spec.divide = 100;
      if (vals.some((v) => /^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d{1,2}$/.test(v.trim())))
        numberLocale = 'de';
    }
    if (f.type === 'date' || f.type === 'datetime') {
      const d = detectDateFormat(vals);
      if (d?.format) spec.dateFormat = d.format;
      if (d?.ambiguous)
        warnings.push(
          `${m.column}: day and month order is ambiguous in the sample; assumed ${d.format} — check it`,
        );
      if (d === null && vals.length > 0)
        warnings.push(`${m.column}: could not recognise the date format of "${vals[0]}"; set dateFormat`);
    }
    if (f.type === 'enum') {
      const { map, unknown } = proposeValueMap(f, vals);
      if (Object.keys(map).length > 0) spec.map = map;
      if (unknown.length > 0)
        warnings.push(
          `${m.column}: values ${unknown
            .slice(0, 5)
            .map((u) => JSON.stringify(u))
            .join(', ')} do not match ${f.name} (${(f.values ?? []).join(', ')}); add them to the value map`,
        );
    }
    if (m.score < 0.9) warnings.push(`${f.name} <- "${m.column}" is a fuzzy match (${m.score}); check it`);
    fields[f.name] = Object.keys(spec).length === 1 ? m.column : spec;
  }
  const missingRequired = def.fields
    .filter((f) => f.required && !usedF.has(f.name) && !f.fallbackTo)
    .map((f) => f.name);
  if (!usedF.has('external_id') && !def.naturalKey) missingRequired.unshift('external_id');
  const mapping: Mapping = { version: 1, entity, fields };
  if (source) mapping.source = source;
  if (numberLocale) mapping.numberLocale = numberLocale;
  return {
    mapping,
    matches,
    unmatchedColumns: columns.filter((c) => !usedC.has(c)),
    missingRequired,
    warnings,
  };
};
