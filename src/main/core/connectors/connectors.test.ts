import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PortfolioStore } from '../db/store';
import { memoryStoreWithConnectors } from '../import/test-helpers';
import { type CredentialVault, loadCredentials, PassphraseVault, safeStorageVault } from './credentials';
import {
  type FakeServer,
  fakeHubspot,
  fakeSalesforce,
  fakeZendesk,
  type HsData,
  type SfData,
  type ZdData,
} from './fake-servers';
import { parseRetryAfter } from './http';
import { configureConnector, getConnector, listSyncRuns, syncConnector } from './sync';

const TOKEN = 'sf-secret-token-123456';
const sleeps: number[] = [];
const http = { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5, baseDelayMs: 100 };
let vault: CredentialVault;
let store: PortfolioStore;
let servers: FakeServer[] = [];
const count = (table: string) => store.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)!.n;

beforeEach(async () => {
  store = await memoryStoreWithConnectors();
  vault = new PassphraseVault('correct horse battery staple');
  sleeps.length = 0;
});
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
});

const sfData = (): SfData => ({
  Account: Array.from({ length: 7 }, (_, i) => ({
    Id: `001A${i}`,
    Name: `Account ${i}`,
    Industry: i % 2 ? 'Software' : null,
    NumberOfEmployees: [50, 500, 5000][i % 3],
    CreatedDate: '2024-01-01T00:00:00.000+0000',
    SystemModstamp: `2026-01-0${1 + (i % 5)}T10:00:0${i}.000+0000`,
  })),
  Contact: [
    {
      Id: '003C1',
      AccountId: '001A1',
      Name: 'Ann Sample',
      Email: 'ann@a1.example',
      Title: 'VP Ops',
      SystemModstamp: '2026-01-02T00:00:00.000+0000',
    },
    {
      Id: '003C2',
      AccountId: '001A2',
      Name: 'Bo Example',
      Email: null,
      Title: null,
      SystemModstamp: '2026-01-03T00:00:00.000+0000',
    },
    {
      Id: '003C3',
      AccountId: '001A9',
      Name: 'Orphan',
      Email: null,
      Title: null,
      SystemModstamp: '2026-01-04T00:00:00.000+0000',
    },
  ],
  Opportunity: [
    {
      Id: '006O1',
      AccountId: '001A1',
      Amount: 120000,
      CloseDate: '2026-06-30',
      StageName: 'Negotiation',
      Type: 'Renewal',
      IsClosed: false,
      SystemModstamp: '2026-01-05T00:00:00.000+0000',
    },
    {
      Id: '006O2',
      AccountId: '001A2',
      Amount: 9000,
      CloseDate: '2026-03-31',
      StageName: 'Closed Won',
      Type: 'Renewal',
      IsClosed: true,
      SystemModstamp: '2026-01-05T00:00:00.000+0000',
    },
  ],
});

describe('Salesforce', () => {
  it('syncs accounts, contacts and renewals through SOQL with nextRecordsUrl paging, honouring 429 and retrying 5xx', async () => {
    const sf = await fakeSalesforce(sfData(), TOKEN);
    servers.push(sf);
    sf.faults.push({ match: /query\/01gFAKE1/, kind: '429', times: 1, retryAfter: '2' });
    sf.faults.push({ match: /FROM%20Contact/, kind: '503', times: 2 });
    configureConnector(
      store,
      { name: 'sf', kind: 'salesforce', baseUrl: sf.url, credentials: { accessToken: TOKEN } },
      vault,
      new Date(),
    );
    const r = await syncConnector(store, 'sf', { vault, http });
    expect(r.status, r.error ?? '').toBe('partial'); // the orphan contact failed
    expect(r.streams.map((s) => [s.stream, s.pages, s.inserted, s.updated, s.failed])).toEqual([
      ['accounts', 3, 7, 0, 0],
      ['contacts', 1, 2, 0, 1],
      ['opportunities', 1, 0, 1, 0],
    ]);
    expect(r.failures[0]).toMatchObject({ entity: 'contacts', externalId: '003C3' });
    expect(r.failures[0]!.reason).toMatch(/no accounts with id 001A9/);
    expect(sleeps[0]).toBe(2000); // Retry-After: 2
    expect(sleeps.slice(1, 3)).toEqual([100, 200]); // exponential backoff on 503
    expect(r.http.rateLimited).toBe(1);
    expect(count('accounts')).toBe(7);
    const a1 = store.get<Record<string, unknown>>(
      "SELECT * FROM accounts WHERE source = 'sf' AND external_id = '001A1'",
    )!;
    expect(a1).toMatchObject({
      name: 'Account 1',
      segment: 'mid_market',
      renewal_date: '2026-06-30',
      industry: 'Software',
    });
    expect(getConnector(store, 'sf')).toMatchObject({ status: 'ok', lastSuccessAt: r.finishedAt });

    // Incremental: only what changed since the stored SystemModstamp comes back.
    sf.data.Account[3]!.Name = 'Account 3 renamed';
    sf.data.Account[3]!.SystemModstamp = '2026-02-01T00:00:00.000+0000';
    sf.requests.length = 0;
    const r2 = await syncConnector(store, 'sf', { vault, http });
    const firstQ = decodeURIComponent(sf.requests.find((q) => q.url.includes('FROM%20Account'))!.url);
    expect(firstQ).toMatch(/SystemModstamp >= 2026-01-05T10:00:04.000Z/);
    expect(r2.changes).toContainEqual({
      entity: 'accounts',
      externalId: '001A3',
      change: 'updated',
      fields: ['name'],
    });
    expect(r2.totals.inserted).toBe(0);
    expect(count('accounts')).toBe(7);
    expect(listSyncRuns(store, 'sf').map((x) => x.status)).toEqual(['partial', 'partial']);
  });

  it('starts the query again when a stored query locator has expired', async () => {
    const sf = await fakeSalesforce(sfData(), TOKEN);
    servers.push(sf);
    configureConnector(
      store,
      { name: 'sf', kind: 'salesforce', baseUrl: sf.url, credentials: { accessToken: TOKEN } },
      vault,
      new Date(),
    );
    store.write((tx) =>
      tx.run(
        "INSERT INTO connector_cursors(connector, stream, cursor, updated_at) VALUES ('sf', 'accounts', ?, '2026-01-01')",
        [JSON.stringify({ since: null, next: '/services/data/v59.0/query/01gEXPIRED-3' })],
      ),
    );
    const r = await syncConnector(store, 'sf', { vault, http });
    expect(r.streams[0]).toMatchObject({ stream: 'accounts', inserted: 7 });
    expect(sf.requests[0]!.url).toContain('01gEXPIRED');
  });

  it('reports refused credentials without ever writing the token anywhere', async () => {
    const sf = await fakeSalesforce(sfData(), 'the-real-token');
    servers.push(sf);
    configureConnector(
      store,
      { name: 'sf', kind: 'salesforce', baseUrl: sf.url, credentials: { accessToken: TOKEN } },
      vault,
      new Date(),
    );
    const r = await syncConnector(store, 'sf', { vault, http });
    expect(r.status).toBe('error');
    expect(r.error).toMatch(/HTTP 401: the credentials were refused/);
    // The fake server echoes the Authorization header in its body; it must be masked everywhere.
    const dump =
      JSON.stringify(store.engine.export().length) +
      JSON.stringify(store.all('SELECT * FROM sync_runs')) +
      JSON.stringify(store.all('SELECT * FROM credentials')) +
      JSON.stringify(r);
    expect(dump).not.toContain(TOKEN);
    expect(Buffer.from(store.engine.export()).includes(Buffer.from(TOKEN))).toBe(false);
    expect(getConnector(store, 'sf').status).toBe('error');
  });
});

const zdData = (): ZdData => ({
  organizations: [
    { id: 1, name: 'Org One', created_at: '2025-01-01T00:00:00Z', updated_at: '2025-06-01T00:00:00Z' },
    { id: 2, name: 'Org Two', created_at: '2025-01-01T00:00:00Z', updated_at: '2025-06-02T00:00:00Z' },
  ],
  tickets: Array.from({ length: 7 }, (_, i) => ({
    id: 100 + i,
    subject: `Problem ${i}`,
    status: ['new', 'open', 'pending', 'hold', 'solved', 'closed', 'open'][i],
    priority: ['urgent', null, 'high', 'low', 'normal', 'normal', 'high'][i],
    type: 'problem',
    organization_id: 1 + (i % 2),
    requester_id: 900 + i,
    created_at: `2026-01-0${1 + i}T08:00:00Z`,
    updated_at: `2026-01-0${1 + i}T09:00:00Z`,
  })),
  comments: Object.fromEntries(
    Array.from({ length: 7 }, (_, i) => [
      100 + i,
      Array.from({ length: i === 0 ? 5 : 2 }, (_, k) => ({
        id: 5000 + i * 10 + k,
        author_id: k % 2 === 0 ? 900 + i : 1,
        body: k % 2 === 0 ? 'It is still broken' : 'We are on it',
        created_at: `2026-01-0${1 + i}T08:0${k}:00Z`,
        public: true,
      })),
    ]),
  ),
});

describe('Zendesk', () => {
  const configure = (url: string) =>
    configureConnector(
      store,
      {
        name: 'zd',
        kind: 'zendesk',
        baseUrl: url,
        credentials: { email: 'ops@example.com', apiToken: 'zd-token-abcdef' },
      },
      vault,
      new Date(),
    );

  it('resumes after a crash in the middle of the ticket export without duplicates', async () => {
    const zd = await fakeZendesk(zdData(), 'ops@example.com', 'zd-token-abcdef');
    servers.push(zd);
    configure(zd.url);
    // The network goes away on the third page of tickets (after two pages were committed).
    zd.faults.push({ match: /cursor\.json\?cursor=cG9zOjQ/, kind: 'drop', times: 10 });
    const r1 = await syncConnector(store, 'zd', { vault, http });
    expect(r1.status).toBe('offline');
    expect(r1.lastSuccessAt).toBeNull();
    expect(r1.streams.find((s) => s.stream === 'tickets')).toMatchObject({
      pages: 2,
      inserted: 4 + 5 + 2 + 2 + 2,
    }); // 4 tickets and their comments
    expect(count('tickets')).toBe(4);
    expect(getConnector(store, 'zd').status).toBe('offline');

    zd.faults.length = 0;
    zd.requests.length = 0;
    const r2 = await syncConnector(store, 'zd', { vault, http });
    expect(r2.status).toBe('ok');
    // It continued from the stored cursor rather than starting over.
    const ticketReqs = zd.requests.filter((q) => q.url.includes('incremental/tickets'));
    expect(ticketReqs[0]!.url).toContain(
      `cursor=${encodeURIComponent(Buffer.from('pos:4').toString('base64'))}`,
    );
    expect(ticketReqs.some((q) => q.url.includes('start_time'))).toBe(false);
    expect(count('tickets')).toBe(7);
    expect(count('ticket_messages')).toBe(5 + 6 * 2);
    const dupes = store.get<{ n: number }>(
      'SELECT count(*) AS n FROM (SELECT external_id FROM tickets GROUP BY source, external_id HAVING count(*) > 1)',
    )!;
    expect(dupes.n).toBe(0);
    const t = store.get<Record<string, unknown>>("SELECT * FROM tickets WHERE external_id = '103'")!;
    expect(t).toMatchObject({ status: 'pending', priority: 'low', subject: 'Problem 3' });
    const sides = store.all<{ side: string }>(
      "SELECT m.side FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.external_id = '100' ORDER BY m.created_at",
    );
    expect(sides.map((s) => s.side)).toEqual(['customer', 'agent', 'customer', 'agent', 'customer']);
    expect(getConnector(store, 'zd')).toMatchObject({ status: 'ok', lastSuccessAt: r2.finishedAt });
  });

  it('a cancelled sync (abort after page 2) resumes without duplicates, and a later sync picks up only new tickets', async () => {
    const zd = await fakeZendesk(zdData(), 'ops@example.com', 'zd-token-abcdef');
    servers.push(zd);
    configure(zd.url);
    const ac = new AbortController();
    const r1 = await syncConnector(store, 'zd', {
      vault,
      http,
      signal: ac.signal,
      onPage: ({ stream, page }) => {
        if (stream === 'tickets' && page === 2) ac.abort();
      },
    });
    expect(r1.status).toBe('cancelled');
    expect(count('tickets')).toBe(4);
    const r2 = await syncConnector(store, 'zd', { vault, http });
    expect(r2.status).toBe('ok');
    expect(r2.streams.find((s) => s.stream === 'tickets')!.inserted).toBe(3 + 6);
    expect(count('tickets')).toBe(7);
    zd.data.tickets.push({
      ...zd.data.tickets[0]!,
      id: 200,
      subject: 'New one',
      updated_at: '2026-01-20T00:00:00Z',
    });
    const r3 = await syncConnector(store, 'zd', { vault, http });
    expect(r3.changes).toContainEqual({ entity: 'tickets', externalId: '200', change: 'inserted' });
    expect(count('tickets')).toBe(8);
  });

  it('is offline-aware: no network keeps the last successful sync', async () => {
    const zd = await fakeZendesk(zdData(), 'ops@example.com', 'zd-token-abcdef');
    servers.push(zd);
    configure(zd.url);
    const ok = await syncConnector(store, 'zd', { vault, http });
    expect(ok.status).toBe('ok');
    const closedUrl = zd.url;
    await zd.close();
    servers = [];
    const r = await syncConnector(store, 'zd', { vault, http, baseUrl: closedUrl });
    expect(r.status).toBe('offline');
    expect(r.error).toMatch(/cannot reach 127\.0\.0\.1/);
    expect(r.lastSuccessAt).toBe(ok.finishedAt);
    expect(getConnector(store, 'zd')).toMatchObject({ status: 'offline', lastSuccessAt: ok.finishedAt });
  });

  it('gives up after repeated 5xx with an error status and leaves committed pages in place', async () => {
    const zd = await fakeZendesk(zdData(), 'ops@example.com', 'zd-token-abcdef');
    servers.push(zd);
    configure(zd.url);
    zd.faults.push({ match: /incremental\/tickets/, kind: '500', times: 100 });
    const r = await syncConnector(store, 'zd', { vault, http });
    expect(r.status).toBe('error');
    expect(r.error).toMatch(/HTTP 500: the server kept failing/);
    expect(sleeps.length).toBe(5);
    expect(count('accounts')).toBe(2); // the organizations stream had already committed
  });
});

const hsData = (): HsData => ({
  companies: Array.from({ length: 5 }, (_, i) => ({
    id: `${10 + i}`,
    properties: {
      name: `Co ${i}`,
      industry: 'SaaS',
      numberofemployees: String(i * 400),
      createdate: '2025-01-01T00:00:00Z',
      hs_lastmodifieddate: `2026-01-0${1 + i}T00:00:00Z`,
    },
  })),
  contacts: [
    {
      id: '501',
      properties: {
        firstname: 'Ada',
        lastname: 'Placeholder',
        email: 'ada@co0.example',
        jobtitle: 'CTO',
        associatedcompanyid: '10',
        hs_lastmodifieddate: '2026-01-02T00:00:00Z',
      },
    },
    {
      id: '502',
      properties: {
        firstname: null,
        lastname: null,
        email: 'x@co1.example',
        jobtitle: null,
        associatedcompanyid: '11',
        hs_lastmodifieddate: '2026-01-03T00:00:00Z',
      },
    },
  ],
  tickets: [
    {
      id: '9001',
      properties: {
        subject: 'Broken sync',
        hs_pipeline_stage: '1',
        hs_ticket_priority: 'HIGH',
        hs_ticket_category: 'PRODUCT_ISSUE',
        createdate: '2026-01-05T00:00:00Z',
        hs_lastmodifieddate: '2026-01-05T00:00:00Z',
        closed_date: null,
      },
      associations: { companies: { results: [{ id: '12', type: 'ticket_to_company' }] } },
    },
  ],
});

describe('HubSpot', () => {
  it('lists companies, contacts and tickets with after paging, then syncs incrementally through search', async () => {
    const hs = await fakeHubspot(hsData(), 'hs-token-zzzz');
    servers.push(hs);
    configureConnector(
      store,
      { name: 'hs', kind: 'hubspot', baseUrl: hs.url, credentials: { accessToken: 'hs-token-zzzz' } },
      vault,
      new Date(),
    );
    const r = await syncConnector(store, 'hs', { vault, http });
    expect(r.status, r.error ?? '').toBe('ok');
    expect(r.streams.map((s) => [s.stream, s.pages, s.inserted])).toEqual([
      ['companies', 3, 5],
      ['contacts', 1, 2],
      ['tickets', 1, 1],
    ]);
    expect(store.get("SELECT segment FROM accounts WHERE external_id = '13'")).toEqual({
      segment: 'enterprise',
    });
    expect(
      store.get(
        "SELECT c.name, a.name AS account FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE c.external_id = '501'",
      ),
    ).toEqual({ name: 'Ada Placeholder', account: 'Co 0' });
    expect(
      store.get(
        'SELECT t.priority, t.status, a.external_id AS acct FROM tickets t JOIN accounts a ON a.id = t.account_id',
      ),
    ).toEqual({ priority: 'high', status: 'new', acct: '12' });

    hs.data.companies[1]!.properties = {
      ...hs.data.companies[1]!.properties,
      name: 'Co 1 (renamed)',
      hs_lastmodifieddate: '2026-02-01T00:00:00Z',
    };
    hs.requests.length = 0;
    const r2 = await syncConnector(store, 'hs', { vault, http });
    expect(hs.requests.filter((q) => q.method === 'POST').map((q) => q.url)).toEqual([
      '/crm/v3/objects/companies/search',
      '/crm/v3/objects/contacts/search',
      '/crm/v3/objects/tickets/search',
    ]);
    expect(r2.changes).toEqual([
      { entity: 'accounts', externalId: '11', change: 'updated', fields: ['name'] },
    ]);
    expect(count('accounts')).toBe(5);
  });
});

describe('credentials', () => {
  it('are encrypted at rest with AES-256-GCM under a scrypt key; a wrong key is refused', async () => {
    configureConnector(
      store,
      { name: 'hs', kind: 'hubspot', credentials: { accessToken: 'hs-very-secret' } },
      vault,
      new Date(),
    );
    const row = store.get<{ scheme: string; blob: string }>('SELECT scheme, blob FROM credentials')!;
    expect(row.scheme).toBe('scrypt-aes-256-gcm');
    expect(row.blob).not.toContain('hs-very-secret');
    expect(loadCredentials(store, 'connector:hs', vault)).toEqual({ accessToken: 'hs-very-secret' });
    expect(() => loadCredentials(store, 'connector:hs', new PassphraseVault('not the right key'))).toThrow(
      /wrong credentials key/,
    );
    expect(() => loadCredentials(store, 'connector:hs', null)).toThrow(/locked/);
    const tampered = JSON.parse(row.blob);
    tampered.ct = Buffer.from('x').toString('base64');
    expect(() => vault.decrypt(JSON.stringify(tampered))).toThrow();
  });

  it('plug in a keychain (Electron safeStorage) through the same interface', () => {
    const fake = {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(s.split('').reverse().join(''), 'utf8'),
      decryptString: (b: Buffer) => b.toString('utf8').split('').reverse().join(''),
    };
    const v = safeStorageVault(fake);
    configureConnector(
      store,
      { name: 'hs', kind: 'hubspot', credentials: { accessToken: 'tok-123456' } },
      v,
      new Date(),
    );
    expect(loadCredentials(store, 'connector:hs', v)).toEqual({ accessToken: 'tok-123456' });
    expect(() => loadCredentials(store, 'connector:hs', vault)).toThrow(/stored with electron-safestorage/);
  });

  it('refuses plain HTTP to anything but loopback', () => {
    expect(() =>
      configureConnector(
        store,
        { name: 'x', kind: 'zendesk', baseUrl: 'http://acme.zendesk.com' },
        vault,
        new Date(),
      ),
    ).toThrow(/HTTPS only/);
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeNull();
  });
});
