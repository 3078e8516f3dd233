/**
 * Salesforce through the REST API: SOQL at /services/data/vXX.X/query?q=..., following `nextRecordsUrl`
 * until `done`. Incremental by SystemModstamp: the cursor is { since, next } — the newest modstamp committed
 * and, mid-query, the next page's URL — stored with each page, so a crash resumes where it stopped.
 * Streams: accounts, contacts, and open renewal opportunities (an account's renewal date and amount).
 */
import type { SqlValue } from '../db/engine';
import { HttpError } from './http';
import type { ConnectorContext, ConnectorDef, ConnectorStream, StreamPage, SyncRecord } from './types';

interface SfCursor {
  since: string | null;
  next: string | null;
}

interface SfQueryResult<T> {
  totalSize: number;
  done: boolean;
  records: T[];
  nextRecordsUrl?: string;
}

const parseCursor = (c: string | null): SfCursor =>
  c ? (JSON.parse(c) as SfCursor) : { since: null, next: null };

/** SOQL datetime literals are unquoted ISO-8601; anything else is refused so nothing can be injected. */
const soqlDateTime = (s: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(s))
    throw new Error(`bad Salesforce timestamp ${s}`);
  return s;
};

const segmentFor = (employees: number | null | undefined): 'enterprise' | 'mid_market' | 'smb' =>
  (employees ?? 0) >= 1000 ? 'enterprise' : (employees ?? 0) >= 100 ? 'mid_market' : 'smb';

const day = (s: string | null | undefined): string | null => (s ? s.slice(0, 10) : null);
const iso = (s: string | null | undefined): string | null => (s ? new Date(s).toISOString() : null);

const soqlStream = <T extends { SystemModstamp: string }>(
  ctx: ConnectorContext,
  name: string,
  select: string,
  where: string | null,
  toRecords: (r: T) => SyncRecord[],
): ConnectorStream => {
  const version = String(ctx.config.apiVersion ?? 'v59.0');
  if (!/^v\d+\.\d$/.test(version)) throw new Error(`bad Salesforce API version ${version}`);
  const headers = { authorization: `Bearer ${ctx.credentials.accessToken ?? ''}` };
  return {
    name,
    async fetchPage(raw) {
      const cur = parseCursor(raw);
      let url: string;
      if (cur.next) url = new URL(cur.next, ctx.baseUrl).toString();
      else {
        const conds = [where, cur.since ? `SystemModstamp >= ${soqlDateTime(cur.since)}` : null].filter(
          Boolean,
        );
        const q = `${select}${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''} ORDER BY SystemModstamp ASC`;
        url = `${ctx.baseUrl.replace(/\/$/, '')}/services/data/${version}/query?q=${encodeURIComponent(q)}`;
      }
      let res: SfQueryResult<T>;
      try {
        res = await ctx.http.json<SfQueryResult<T>>({ url, headers });
      } catch (e) {
        // Query locators expire (about 15 minutes): start the query again from the committed modstamp.
        if (cur.next && e instanceof HttpError && /INVALID_QUERY_LOCATOR/.test(e.body)) {
          return this.fetchPage(JSON.stringify({ since: cur.since, next: null } satisfies SfCursor));
        }
        throw e;
      }
      let since = cur.since;
      const records: SyncRecord[] = [];
      for (const r of res.records ?? []) {
        records.push(...toRecords(r));
        if (!since || Date.parse(r.SystemModstamp) > Date.parse(since))
          since = new Date(r.SystemModstamp).toISOString();
      }
      const next = res.done === false && res.nextRecordsUrl ? res.nextRecordsUrl : null;
      const page: StreamPage = {
        records,
        cursor: JSON.stringify({ since, next } satisfies SfCursor),
        done: next === null,
      };
      return page;
    },
  };
};

export const salesforce: ConnectorDef = {
  kind: 'salesforce',
  credentialFields: [['accessToken']],
  defaultBaseUrl: null,
  streams(ctx) {
    const arrField =
      typeof ctx.config.arrField === 'string' && /^\w+$/.test(ctx.config.arrField)
        ? ctx.config.arrField
        : null;
    return [
      soqlStream<{
        Id: string;
        Name: string;
        Industry: string | null;
        NumberOfEmployees: number | null;
        CreatedDate: string;
        SystemModstamp: string;
        [k: string]: unknown;
      }>(
        ctx,
        'accounts',
        `SELECT Id, Name, Industry, NumberOfEmployees, CreatedDate, SystemModstamp${arrField ? `, ${arrField}` : ''} FROM Account`,
        null,
        (r) => {
          const values: Record<string, SqlValue> = { name: r.Name, industry: r.Industry ?? null };
          if (arrField && typeof r[arrField] === 'number') values.arr = r[arrField] as number;
          return [
            {
              entity: 'accounts',
              externalId: r.Id,
              values,
              insertOnly: { segment: segmentFor(r.NumberOfEmployees), created_at: iso(r.CreatedDate) },
            },
          ];
        },
      ),
      soqlStream<{
        Id: string;
        AccountId: string | null;
        Name: string;
        Email: string | null;
        Title: string | null;
        SystemModstamp: string;
      }>(
        ctx,
        'contacts',
        'SELECT Id, AccountId, Name, Email, Title, SystemModstamp FROM Contact',
        'AccountId != null',
        (r) => [
          {
            entity: 'contacts',
            externalId: r.Id,
            values: { name: r.Name, email: r.Email ?? null, title: r.Title ?? null },
            refs: { account_id: r.AccountId ? { entity: 'accounts', externalId: r.AccountId } : null },
          },
        ],
      ),
      soqlStream<{
        Id: string;
        AccountId: string | null;
        Amount: number | null;
        CloseDate: string;
        StageName: string;
        SystemModstamp: string;
      }>(
        ctx,
        'opportunities',
        'SELECT Id, AccountId, Amount, CloseDate, StageName, Type, IsClosed, SystemModstamp FROM Opportunity',
        "Type = 'Renewal' AND IsClosed = false",
        (r) =>
          r.AccountId
            ? [
                {
                  entity: 'accounts',
                  externalId: r.AccountId,
                  mode: 'update',
                  values: {
                    renewal_date: day(r.CloseDate),
                    ...(typeof r.Amount === 'number' && ctx.config.renewalAmountIsArr
                      ? { arr: r.Amount }
                      : {}),
                  },
                },
              ]
            : [],
      ),
    ];
  },
};
