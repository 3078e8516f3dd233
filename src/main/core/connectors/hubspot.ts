/**
 * HubSpot CRM v3: companies, contacts and tickets. The first sync lists every object
 * (GET /crm/v3/objects/{type}?limit=&after=&properties=&associations=), following `paging.next.after`;
 * later syncs ask the search endpoint for objects modified since the last sync
 * (POST /crm/v3/objects/{type}/search, hs_lastmodifieddate GTE, sorted ascending), same `after` paging.
 * The cursor is { mode, after, since, max } stored with every page.
 */
import type { SqlValue } from '../db/engine';
import type { ConnectorContext, ConnectorDef, ConnectorStream, SyncRecord } from './types';

interface HsObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
  associations?: Record<string, { results: { id: string; type?: string }[] }>;
}

interface HsPage {
  results: HsObject[];
  paging?: { next?: { after: string; link?: string } };
}

interface HsCursor {
  /** The modification time the current pass starts from (null: a full list). */
  since: string | null;
  after: string | null;
  /** The newest modification seen in the current pass. */
  max: string | null;
}

const PAGE = 100;

const stream = (
  ctx: ConnectorContext,
  name: string,
  objectType: 'companies' | 'contacts' | 'tickets',
  properties: string[],
  associations: string[],
  toRecord: (o: HsObject) => SyncRecord | null,
): ConnectorStream => ({
  name,
  async fetchPage(raw) {
    const cur: HsCursor = raw ? (JSON.parse(raw) as HsCursor) : { since: null, after: null, max: null };
    const base = ctx.baseUrl.replace(/\/$/, '');
    const headers = { authorization: `Bearer ${ctx.credentials.accessToken ?? ''}` };
    let res: HsPage;
    if (cur.since === null) {
      const qs = new URLSearchParams({
        limit: String(PAGE),
        archived: 'false',
        properties: properties.join(','),
      });
      if (associations.length) qs.set('associations', associations.join(','));
      if (cur.after) qs.set('after', cur.after);
      res = await ctx.http.json<HsPage>({ url: `${base}/crm/v3/objects/${objectType}?${qs}`, headers });
    } else {
      res = await ctx.http.json<HsPage>({
        url: `${base}/crm/v3/objects/${objectType}/search`,
        method: 'POST',
        headers,
        body: {
          filterGroups: [
            {
              filters: [
                {
                  propertyName: 'hs_lastmodifieddate',
                  operator: 'GTE',
                  value: String(Date.parse(cur.since)),
                },
              ],
            },
          ],
          sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
          properties,
          limit: PAGE,
          ...(cur.after ? { after: cur.after } : {}),
        },
      });
    }
    let max = cur.max;
    const records: SyncRecord[] = [];
    for (const o of res.results ?? []) {
      if (o.archived) continue;
      const r = toRecord(o);
      if (r) records.push(r);
      const mod = o.properties.hs_lastmodifieddate ?? o.updatedAt;
      if (mod && (!max || Date.parse(mod) > Date.parse(max))) max = new Date(mod).toISOString();
    }
    const after = res.paging?.next?.after ?? null;
    const next: HsCursor = after
      ? { since: cur.since, after, max }
      : { since: max ?? cur.since, after: null, max: null };
    return { records, cursor: JSON.stringify(next), done: after === null };
  },
});

const SEGMENT = (employees: string | null | undefined): string => {
  const n = Number(employees ?? 0);
  return n >= 1000 ? 'enterprise' : n >= 100 ? 'mid_market' : 'smb';
};

const STAGE: Record<string, string> = { '1': 'new', '2': 'pending', '3': 'open', '4': 'closed' };
const PRIORITY: Record<string, string> = { LOW: 'low', MEDIUM: 'normal', HIGH: 'high', URGENT: 'urgent' };
const iso = (s: string | null | undefined): string | null =>
  s ? new Date(Number.isNaN(Number(s)) ? s : Number(s)).toISOString() : null;

const firstAssoc = (o: HsObject, type: string): string | null =>
  o.associations?.[type]?.results?.[0]?.id ?? null;

export const hubspot: ConnectorDef = {
  kind: 'hubspot',
  credentialFields: [['accessToken']],
  defaultBaseUrl: 'https://api.hubapi.com',
  streams(ctx) {
    const arrProperty = typeof ctx.config.arrProperty === 'string' ? ctx.config.arrProperty : null;
    return [
      stream(
        ctx,
        'companies',
        'companies',
        [
          'name',
          'industry',
          'numberofemployees',
          'hs_lastmodifieddate',
          'createdate',
          ...(arrProperty ? [arrProperty] : []),
        ],
        [],
        (o) => {
          const p = o.properties;
          const values: Record<string, SqlValue> = {
            name: p.name ?? `(company ${o.id})`,
            industry: p.industry ?? null,
          };
          if (arrProperty && p[arrProperty] && Number.isFinite(Number(p[arrProperty])))
            values.arr = Number(p[arrProperty]);
          return {
            entity: 'accounts',
            externalId: o.id,
            values,
            insertOnly: { segment: SEGMENT(p.numberofemployees), created_at: iso(p.createdate) },
          };
        },
      ),
      stream(
        ctx,
        'contacts',
        'contacts',
        ['firstname', 'lastname', 'email', 'jobtitle', 'associatedcompanyid', 'hs_lastmodifieddate'],
        [],
        (o) => {
          const p = o.properties;
          const name = [p.firstname, p.lastname].filter(Boolean).join(' ') || p.email || `(contact ${o.id})`;
          return {
            entity: 'contacts',
            externalId: o.id,
            values: { name, email: p.email ?? null, title: p.jobtitle ?? null },
            refs: {
              account_id: p.associatedcompanyid
                ? { entity: 'accounts', externalId: p.associatedcompanyid }
                : null,
            },
          };
        },
      ),
      stream(
        ctx,
        'tickets',
        'tickets',
        [
          'subject',
          'hs_pipeline_stage',
          'hs_ticket_priority',
          'hs_ticket_category',
          'createdate',
          'hs_lastmodifieddate',
          'closed_date',
        ],
        ['companies'],
        (o) => {
          const p = o.properties;
          const company = firstAssoc(o, 'companies');
          const created = iso(p.createdate) ?? iso(o.createdAt);
          const rec: SyncRecord = {
            entity: 'tickets',
            externalId: o.id,
            values: {
              subject: p.subject ?? '(no subject)',
              category: p.hs_ticket_category ?? null,
              priority: PRIORITY[p.hs_ticket_priority ?? ''] ?? 'normal',
              status: STAGE[p.hs_pipeline_stage ?? ''] ?? 'open',
              created_at: created,
              updated_at: iso(p.hs_lastmodifieddate) ?? created,
              solved_at: iso(p.closed_date),
            },
          };
          if (company) rec.refs = { account_id: { entity: 'accounts', externalId: company } };
          return rec;
        },
      ),
    ];
  },
};
