/**
 * Loopback stand-ins for the Salesforce, Zendesk and HubSpot APIs (tests only). Each implements the
 * documented request and response shapes and pagination, checks the bearer/basic credentials, and can be
 * told to answer 429 with Retry-After, 5xx, or to drop the connection, to exercise the sync engine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fault {
  /** Matches the request path + query. */
  match: RegExp;
  kind: '429' | '500' | '503' | 'drop';
  times: number;
  retryAfter?: string;
}

export interface FakeServer {
  url: string;
  requests: { method: string; url: string; auth: string | undefined; body: unknown }[];
  faults: Fault[];
  close(): Promise<void>;
}

type Route = (req: IncomingMessage, url: URL, body: unknown) => { status?: number; json: unknown } | null;

const start = async (auth: (h: string | undefined) => boolean, route: Route): Promise<FakeServer> => {
  const requests: FakeServer['requests'] = [];
  const faults: Fault[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({
        method: req.method ?? 'GET',
        url: url.pathname + url.search,
        auth: req.headers.authorization,
        body,
      });
      const f = faults.find((x) => x.times > 0 && x.match.test(url.pathname + url.search));
      if (f) {
        f.times--;
        if (f.kind === 'drop') {
          req.socket.destroy();
          return;
        }
        res.writeHead(Number(f.kind), {
          'content-type': 'application/json',
          ...(f.retryAfter ? { 'retry-after': f.retryAfter } : {}),
        });
        res.end(JSON.stringify({ error: f.kind === '429' ? 'rate limited' : 'server error' }));
        return;
      }
      if (!auth(req.headers.authorization)) {
        res.writeHead(401, { 'content-type': 'application/json' });
        // Echo the header like some real APIs do: the client must never let it leak into logs or reports.
        res.end(JSON.stringify({ error: 'invalid credentials', got: req.headers.authorization }));
        return;
      }
      const out = route(req, url, body);
      if (!out) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'not found' }));
        return;
      }
      res.writeHead(out.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out.json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
};

// ---------------------------------------------------------------- Salesforce

export interface SfData {
  Account: Record<string, unknown>[];
  Contact: Record<string, unknown>[];
  Opportunity: Record<string, unknown>[];
}

export const fakeSalesforce = async (
  data: SfData,
  token: string,
  pageSize = 3,
): Promise<FakeServer & { data: SfData }> => {
  const locators = new Map<string, { rows: Record<string, unknown>[]; offset: number }>();
  let n = 0;
  const page = (rows: Record<string, unknown>[], offset: number) => {
    const slice = rows.slice(offset, offset + pageSize);
    const more = offset + pageSize < rows.length;
    let nextRecordsUrl: string | undefined;
    if (more) {
      const id = `01gFAKE${++n}-${offset + pageSize}`;
      locators.set(id, { rows, offset: offset + pageSize });
      nextRecordsUrl = `/services/data/v59.0/query/${id}`;
    }
    return {
      json: {
        totalSize: rows.length,
        done: !more,
        records: slice.map((r) => ({ attributes: { type: 'x' }, ...r })),
        ...(nextRecordsUrl ? { nextRecordsUrl } : {}),
      },
    };
  };
  const s = await start(
    (h) => h === `Bearer ${token}`,
    (_req, url) => {
      const m = /^\/services\/data\/v\d+\.\d\/query(?:\/(.+))?$/.exec(url.pathname);
      if (!m) return null;
      if (m[1]) {
        const loc = locators.get(m[1]);
        return loc
          ? page(loc.rows, loc.offset)
          : { status: 400, json: [{ errorCode: 'INVALID_QUERY_LOCATOR' }] };
      }
      const q = url.searchParams.get('q') ?? '';
      const from = /FROM (\w+)/.exec(q)?.[1] as keyof SfData | undefined;
      if (!from || !data[from]) return { status: 400, json: [{ errorCode: 'MALFORMED_QUERY', message: q }] };
      let rows = [...data[from]];
      const since = /SystemModstamp >= (\S+)/.exec(q)?.[1];
      if (since) rows = rows.filter((r) => Date.parse(String(r.SystemModstamp)) >= Date.parse(since));
      if (/Type = 'Renewal'/.test(q)) rows = rows.filter((r) => r.Type === 'Renewal' && r.IsClosed === false);
      if (/AccountId != null/.test(q)) rows = rows.filter((r) => r.AccountId != null);
      rows.sort((a, b) => Date.parse(String(a.SystemModstamp)) - Date.parse(String(b.SystemModstamp)));
      return page(rows, 0);
    },
  );
  return { ...s, data };
};

// ---------------------------------------------------------------- Zendesk

export interface ZdData {
  organizations: { id: number; name: string; created_at: string; updated_at: string }[];
  tickets: Record<string, unknown>[];
  comments: Record<number, Record<string, unknown>[]>;
}

export const fakeZendesk = async (
  data: ZdData,
  email: string,
  apiToken: string,
  pageSize = 2,
): Promise<FakeServer & { data: ZdData }> => {
  const expected = `Basic ${Buffer.from(`${email}/token:${apiToken}`).toString('base64')}`;
  const s = await start(
    (h) => h === expected,
    (_req, url) => {
      const base = `http://${_req.headers.host}`;
      if (url.pathname === '/api/v2/incremental/organizations.json') {
        const start = Number(url.searchParams.get('start_time'));
        const rows = data.organizations.filter((o) => Date.parse(o.updated_at) / 1000 >= start);
        const end = rows.length
          ? Math.max(...rows.map((o) => Math.floor(Date.parse(o.updated_at) / 1000))) + 1
          : start;
        return {
          json: {
            organizations: rows,
            count: rows.length,
            end_time: end,
            end_of_stream: true,
            next_page: null,
          },
        };
      }
      if (url.pathname === '/api/v2/incremental/tickets/cursor.json') {
        // The cursor encodes the position in the list ordered by updated_at.
        const sorted = [...data.tickets].sort(
          (a, b) => Date.parse(String(a.updated_at)) - Date.parse(String(b.updated_at)),
        );
        let offset: number;
        const cursor = url.searchParams.get('cursor');
        if (cursor) offset = Number(Buffer.from(cursor, 'base64').toString('utf8').split(':')[1]);
        else {
          const start = Number(url.searchParams.get('start_time') ?? 'NaN');
          if (!Number.isFinite(start))
            return { status: 400, json: { error: 'start_time or cursor required' } };
          offset = sorted.findIndex((t) => Date.parse(String(t.updated_at)) / 1000 >= start);
          if (offset < 0) offset = sorted.length;
        }
        const slice = sorted.slice(offset, offset + pageSize);
        const nextOffset = offset + slice.length;
        const after = Buffer.from(`pos:${nextOffset}`).toString('base64');
        return {
          json: {
            tickets: slice,
            after_cursor: after,
            before_cursor: null,
            after_url: `${base}/api/v2/incremental/tickets/cursor.json?cursor=${after}`,
            end_of_stream: nextOffset >= sorted.length,
          },
        };
      }
      const cm = /^\/api\/v2\/tickets\/(\d+)\/comments\.json$/.exec(url.pathname);
      if (cm) {
        const all = data.comments[Number(cm[1])] ?? [];
        const p = Number(url.searchParams.get('page') ?? '1');
        const slice = all.slice((p - 1) * 2, p * 2);
        const more = p * 2 < all.length;
        return {
          json: {
            comments: slice,
            next_page: more ? `${base}${url.pathname}?page=${p + 1}` : null,
            previous_page: null,
            count: all.length,
          },
        };
      }
      return null;
    },
  );
  return { ...s, data };
};

// ---------------------------------------------------------------- HubSpot

export interface HsData {
  companies: { id: string; properties: Record<string, string | null> }[];
  contacts: { id: string; properties: Record<string, string | null> }[];
  tickets: {
    id: string;
    properties: Record<string, string | null>;
    associations?: Record<string, { results: { id: string; type: string }[] }>;
  }[];
}

export const fakeHubspot = async (
  data: HsData,
  token: string,
  pageSize = 2,
): Promise<FakeServer & { data: HsData }> => {
  const s = await start(
    (h) => h === `Bearer ${token}`,
    (req, url, body) => {
      const m = /^\/crm\/v3\/objects\/(companies|contacts|tickets)(\/search)?$/.exec(url.pathname);
      if (!m) return null;
      const type = m[1] as keyof HsData;
      let rows = [...data[type]];
      let after: number;
      let limit: number;
      if (m[2]) {
        if (req.method !== 'POST') return { status: 405, json: {} };
        const b = body as {
          filterGroups: { filters: { propertyName: string; operator: string; value: string }[] }[];
          after?: string;
          limit?: number;
        };
        const f = b.filterGroups?.[0]?.filters?.[0];
        if (f && f.propertyName === 'hs_lastmodifieddate' && f.operator === 'GTE') {
          rows = rows.filter((r) => Date.parse(r.properties.hs_lastmodifieddate ?? '') >= Number(f.value));
        }
        rows.sort(
          (a, b2) =>
            Date.parse(a.properties.hs_lastmodifieddate ?? '') -
            Date.parse(b2.properties.hs_lastmodifieddate ?? ''),
        );
        after = Number(b.after ?? 0);
        limit = b.limit ?? 10;
        rows = rows.map((r) => ({ ...r, associations: undefined }));
      } else {
        after = Number(url.searchParams.get('after') ?? 0);
        limit = Number(url.searchParams.get('limit') ?? 10);
        if (!url.searchParams.get('associations'))
          rows = rows.map((r) => ({ ...r, associations: undefined }));
      }
      const size = Math.min(limit, pageSize);
      const slice = rows.slice(after, after + size);
      const next = after + size < rows.length ? String(after + size) : null;
      return {
        json: {
          results: slice.map((r) => ({
            ...r,
            createdAt: r.properties.createdate,
            updatedAt: r.properties.hs_lastmodifieddate,
            archived: false,
          })),
          ...(next
            ? { paging: { next: { after: next, link: `${url.origin}${url.pathname}?after=${next}` } } }
            : {}),
        },
      };
    },
  );
  return { ...s, data };
};
