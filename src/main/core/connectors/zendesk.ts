/**
 * Zendesk: organizations through the time-based incremental export, tickets through the cursor-based
 * incremental export (`/api/v2/incremental/tickets/cursor.json?start_time=` then `?cursor=after_cursor`
 * until `end_of_stream`), and each ticket's comments (`/api/v2/tickets/{id}/comments.json`, paged by
 * `next_page`). Organizations become accounts, tickets become tickets, comments become ticket messages.
 */
import type { ConnectorContext, ConnectorDef, ConnectorStream, SyncRecord } from './types';

interface ZTicket {
  id: number;
  subject: string | null;
  status: string;
  priority: string | null;
  type: string | null;
  organization_id: number | null;
  requester_id: number | null;
  created_at: string;
  updated_at: string;
  tags?: string[];
}

interface ZComment {
  id: number;
  author_id: number;
  body: string;
  plain_body?: string;
  created_at: string;
  public?: boolean;
}

const STATUS: Record<string, string> = {
  new: 'new',
  open: 'open',
  pending: 'pending',
  hold: 'pending',
  solved: 'solved',
  closed: 'closed',
};
const PRIORITY: Record<string, string> = { low: 'low', normal: 'normal', high: 'high', urgent: 'urgent' };

const authHeaders = (ctx: ConnectorContext): Record<string, string> => {
  const c = ctx.credentials;
  if (c.accessToken) return { authorization: `Bearer ${c.accessToken}` };
  return {
    authorization: `Basic ${Buffer.from(`${c.email ?? ''}/token:${c.apiToken ?? ''}`).toString('base64')}`,
  };
};

const base = (ctx: ConnectorContext): string => ctx.baseUrl.replace(/\/$/, '');

const organizations = (ctx: ConnectorContext): ConnectorStream => ({
  name: 'organizations',
  async fetchPage(cursor) {
    const start = cursor ?? String(ctx.config.startTime ?? 0);
    const res = await ctx.http.json<{
      organizations: { id: number; name: string; created_at: string; updated_at: string }[];
      end_time: number;
      end_of_stream: boolean;
    }>({
      url: `${base(ctx)}/api/v2/incremental/organizations.json?start_time=${encodeURIComponent(start)}`,
      headers: authHeaders(ctx),
    });
    const records: SyncRecord[] = (res.organizations ?? []).map((o) => ({
      entity: 'accounts',
      externalId: String(o.id),
      values: { name: o.name },
      insertOnly: {
        segment: String(ctx.config.defaultSegment ?? 'smb'),
        created_at: new Date(o.created_at).toISOString(),
      },
    }));
    return { records, cursor: String(res.end_time ?? start), done: res.end_of_stream !== false };
  },
});

const fetchComments = async (ctx: ConnectorContext, ticketId: number): Promise<ZComment[]> => {
  const out: ZComment[] = [];
  let url: string | null = `${base(ctx)}/api/v2/tickets/${ticketId}/comments.json`;
  for (let guard = 0; url && guard < 100; guard++) {
    const res: { comments: ZComment[]; next_page: string | null } = await ctx.http.json({
      url,
      headers: authHeaders(ctx),
    });
    out.push(...(res.comments ?? []));
    url = res.next_page ? new URL(res.next_page, ctx.baseUrl).toString() : null;
  }
  return out;
};

const tickets = (ctx: ConnectorContext): ConnectorStream => ({
  name: 'tickets',
  async fetchPage(cursor) {
    const url = cursor
      ? `${base(ctx)}/api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(cursor)}`
      : `${base(ctx)}/api/v2/incremental/tickets/cursor.json?start_time=${encodeURIComponent(String(ctx.config.startTime ?? 0))}`;
    const res = await ctx.http.json<{
      tickets: ZTicket[];
      after_cursor: string | null;
      end_of_stream: boolean;
    }>({ url, headers: authHeaders(ctx) });
    const records: SyncRecord[] = [];
    for (const t of res.tickets ?? []) {
      const status = STATUS[t.status];
      if (!status) continue; // 'deleted' tickets
      records.push({
        entity: 'tickets',
        externalId: String(t.id),
        values: {
          subject: t.subject ?? '(no subject)',
          category: t.type ?? null,
          priority: PRIORITY[t.priority ?? ''] ?? 'normal',
          status,
          created_at: new Date(t.created_at).toISOString(),
          updated_at: new Date(t.updated_at).toISOString(),
          solved_at: status === 'solved' || status === 'closed' ? new Date(t.updated_at).toISOString() : null,
        },
        refs: {
          account_id:
            t.organization_id !== null
              ? {
                  entity: 'accounts',
                  externalId: String(t.organization_id),
                  source: ctx.config.accountSource as string | undefined,
                }
              : null,
        },
      });
      if (ctx.config.comments !== false) {
        for (const c of await fetchComments(ctx, t.id)) {
          records.push({
            entity: 'ticket_messages',
            externalId: String(c.id),
            values: {
              side: c.author_id === t.requester_id ? 'customer' : 'agent',
              body: c.plain_body ?? c.body ?? '',
              created_at: new Date(c.created_at).toISOString(),
            },
            refs: { ticket_id: { entity: 'tickets', externalId: String(t.id) } },
          });
        }
      }
    }
    const next = res.after_cursor ?? cursor;
    return { records, cursor: next, done: res.end_of_stream !== false };
  },
});

export const zendesk: ConnectorDef = {
  kind: 'zendesk',
  credentialFields: [['email', 'apiToken'], ['accessToken']],
  defaultBaseUrl: null,
  streams: (ctx) => [organizations(ctx), tickets(ctx)],
};
