import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { PortfolioStore } from '../db/store';
import { importFile } from './importer';
import { type Mapping, parseMapping } from './mapping';
import { detectMapping, listMappings, previewImport, runImport, saveMapping } from './service';
import { hashDatabase, memoryStoreWithConnectors } from './test-helpers';

const FIX = resolve(__dirname, '../../../../tests/fixtures/import');
const saas = (f: string) => join(FIX, 'saas', f);
const bad = (f: string) => join(FIX, 'malformed', f);
const mapping = (name: string): Mapping => parseMapping(readFileSync(saas(`mappings/${name}.json`), 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'bw-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const importSaas = async (store: PortfolioStore) => {
  const steps: [string, string][] = [
    ['csm_roster.csv', 'team'],
    ['customers.csv', 'accounts'],
    ['subscriptions.csv', 'subscriptions'],
    ['feature_usage_weekly.csv', 'usage'],
    ['support_tickets.json', 'tickets'],
    ['churn_events.jsonl', 'churn'],
  ];
  const reports = [];
  for (const [file, m] of steps) {
    const r = await importFile(store, { file: saas(file), mapping: mapping(m) });
    expect(r.errors, `${file}: ${JSON.stringify(r.errors)}`).toEqual([]);
    expect(r.status, `${file}: ${r.reason}`).toBe('imported');
    reports.push(r);
  }
  return reports;
};

describe('third-party SaaS export through mapping files', () => {
  let store: PortfolioStore;
  beforeEach(async () => {
    store = await memoryStoreWithConnectors();
  });

  it('imports team, accounts, subscriptions, weekly usage, tickets and churn events with no code change', async () => {
    const [team, accounts, subs, usage, tickets, churn] = await importSaas(store);
    expect(team!.inserted).toBe(4);
    expect(accounts!.inserted).toBe(6);
    expect(subs!.updated).toBe(6);
    expect(usage!.inserted).toBe(48);
    expect(tickets!.inserted).toBe(13);
    expect(churn!.updated).toBe(2);

    const acme = store.get<Record<string, unknown>>("SELECT * FROM accounts WHERE external_id = 'CUS-0001'")!;
    expect(acme.name).toBe('Acme Logistics, Inc.');
    expect(acme.segment).toBe('enterprise');
    expect(acme.is_strategic).toBe(1);
    expect(acme.arr).toBe(38000); // from subscriptions ("38.000,00", de locale), replacing the MRR-derived value
    expect(acme.renewal_date).toBe('2026-07-31'); // MM/DD/YYYY
    expect(acme.contract_start).toBe('2022-08-01');
    expect(acme.status).toBe('active');
    const owner = store.get<{ name: string }>(
      'SELECT t.name FROM accounts a JOIN team_members t ON t.id = a.owner_id WHERE a.external_id = ?',
      ['CUS-0001'],
    );
    expect(owner?.name).toBe('Dana Sample');
    const cobalt = store.get<Record<string, unknown>>(
      "SELECT * FROM accounts WHERE external_id = 'CUS-0003'",
    )!;
    expect(cobalt.name).toBe('Cobalt "Labs"');
    expect(cobalt.status).toBe('churned');
    const skills = store.get<{ skills: string }>(
      "SELECT skills FROM team_members WHERE external_id = 'E-101'",
    )!;
    expect(JSON.parse(skills.skills)).toEqual(['onboarding', 'fintech']);
    // Times in the ticket export are New York wall-clock times, stored in UTC.
    const t = store.get<Record<string, string>>("SELECT * FROM tickets WHERE external_id = '5001'")!;
    expect(t.created_at).toBe('2026-02-02T14:07:00.000Z');
    expect(t.updated_at).toBe(t.created_at);
  });

  it('MRR in cents becomes ARR in dollars, DD/MM/YYYY dates are read day first', async () => {
    await importFile(store, { file: saas('csm_roster.csv'), mapping: mapping('team') });
    await importFile(store, { file: saas('customers.csv'), mapping: mapping('accounts') });
    const a = store.get<Record<string, unknown>>(
      "SELECT arr, contract_start FROM accounts WHERE external_id = 'CUS-0001'",
    )!;
    expect(a.arr).toBe(380000.04);
    expect(a.contract_start).toBe('2022-02-14');
  });

  it('a second import of the same files is all unchanged; a changed row is an update', async () => {
    await importSaas(store);
    const again = await importFile(store, {
      file: saas('feature_usage_weekly.csv'),
      mapping: mapping('usage'),
    });
    expect(again).toMatchObject({ status: 'imported', inserted: 0, updated: 0, unchanged: 48 });
    const edited = join(tmp, 'usage-edited.csv');
    const text = readFileSync(saas('feature_usage_weekly.csv'), 'utf8').split('\n');
    text[1] = text[1]!.replace(/,(\d+),(\d+),(\d+),(\d+)$/, ',1,2,3,4');
    writeFileSync(edited, text.join('\n'));
    const r = await importFile(store, { file: edited, mapping: mapping('usage') });
    expect(r).toMatchObject({ status: 'imported', inserted: 0, updated: 1, unchanged: 47 });
  });

  it('dry run reports what would happen and changes nothing', async () => {
    await importFile(store, { file: saas('csm_roster.csv'), mapping: mapping('team') });
    const before = hashDatabase(store);
    const r = await importFile(store, {
      file: saas('customers.csv'),
      mapping: mapping('accounts'),
      dryRun: true,
    });
    expect(r).toMatchObject({ status: 'dry_run', inserted: 6, rowsRead: 6 });
    expect(hashDatabase(store)).toBe(before);
  });

  it('emits byte progress and can be cancelled, leaving nothing', async () => {
    const before = hashDatabase(store);
    const ac = new AbortController();
    const seen: number[] = [];
    const r = await importFile(store, {
      file: saas('feature_usage_weekly.csv'),
      mapping: mapping('usage'),
      signal: ac.signal,
      chunkSize: 64,
      onProgress: (p) => {
        seen.push(p.done);
        if (p.done > 200) ac.abort();
      },
    });
    expect(r.status).toBe('cancelled');
    expect(seen.length).toBeGreaterThan(1);
    expect(hashDatabase(store)).toBe(before);
  });

  it('detects a mapping from the header, previews it and saves it per source', async () => {
    const p = await detectMapping(saas('customers.csv'), 'accounts', 'nimbus');
    expect(p.missingRequired).toEqual([]);
    const f = p.mapping.fields;
    expect(f.external_id).toBe('Customer ID');
    expect(f.name).toBe('Company Name');
    expect(f.segment).toMatchObject({ column: 'Plan', map: { Growth: 'mid_market', Starter: 'smb' } });
    expect(f.arr).toMatchObject({ column: 'MRR (USD cents)', multiply: 12, divide: 100 });
    expect(f.contract_start).toMatchObject({ column: 'Signed On', dateFormat: 'D/M/YYYY' });
    const usage = await detectMapping(saas('feature_usage_weekly.csv'), 'usage');
    expect(usage.missingRequired).toEqual([]);
    expect(usage.mapping.fields).toMatchObject({
      account_id: 'Account',
      period_start: 'Week Of',
      active_users: 'Weekly Active Users',
      logins: 'Login Count',
    });

    const preview = await previewImport(store, { file: saas('customers.csv'), mapping: p.mapping, limit: 3 });
    expect(preview.rows).toHaveLength(3);
    expect(preview.rows[0]!.values.name).toBe('Acme Logistics, Inc.');
    // owner refs are not mapped by detection (CSM Email is not matched to a team external id)
    saveMapping(store, mapping('accounts'), new Date('2026-03-01T00:00:00Z'));
    expect(listMappings(store).map((m) => `${m.source}/${m.entity}`)).toEqual(['nimbus/accounts']);
    await importFile(store, { file: saas('csm_roster.csv'), mapping: mapping('team') });
    const r = await runImport(store, { file: saas('customers.csv'), entity: 'accounts', source: 'nimbus' });
    expect(r.mappingOrigin).toBe('saved');
    expect(r.inserted).toBe(6);
  });

  it('validOnly imports the good rows and lists the bad ones', async () => {
    const r = await importFile(store, {
      file: bad('bad_dates.csv'),
      mapping: {
        ...mapping('accounts'),
        fields: { ...mapping('accounts').fields, owner_id: { column: 'CSM Email', default: null } },
      },
      validOnly: true,
    });
    expect(r.status).toBe('imported');
    expect(r.inserted).toBe(1);
    expect(r.skipped).toBe(2);
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'Signed On'],
      [4, 'Signed On'],
    ]);
  });
});

describe('malformed files are refused with line and column, and the database is unchanged', () => {
  let store: PortfolioStore;
  let before: string;
  beforeEach(async () => {
    store = await memoryStoreWithConnectors();
    await importFile(store, { file: saas('csm_roster.csv'), mapping: mapping('team') });
    before = hashDatabase(store);
  });

  const refuse = async (file: string, m: Mapping = mapping('accounts')) => {
    const r = await importFile(store, { file, mapping: m });
    expect(r.status).toBe('refused');
    expect(r.reason).toBeTruthy();
    expect(r.inserted + r.updated).toBe(0);
    expect(hashDatabase(store)).toBe(before);
    return r;
  };

  it('wrong delimiter', async () => {
    const r = await refuse(bad('wrong_delimiter.csv'));
    expect(r.errors[0]).toMatchObject({ line: 1, column: 'Customer ID', code: 'missing_required_column' });
    expect(r.errors[0]!.message).toMatch(/delimiter/);
  });

  it('bad dates', async () => {
    const r = await refuse(bad('bad_dates.csv'));
    expect(r.errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [3, 'Signed On', 'invalid_value'],
      [4, 'Signed On', 'invalid_value'],
    ]);
    expect(r.errors[0]!.message).toMatch(/day 31 does not exist in 2024-02/);
    expect(r.errors[1]!.message).toMatch(/DD\/MM\/YYYY/);
  });

  it('a missing required column', async () => {
    const r = await refuse(bad('missing_column.csv'));
    expect(r.errors[0]).toMatchObject({
      line: 1,
      column: 'Company Name',
      field: 'name',
      code: 'missing_required_column',
    });
  });

  it('duplicate ids, with both line numbers', async () => {
    const r = await refuse(bad('duplicate_ids.csv'));
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 4, column: 'external_id', code: 'duplicate_id' });
    expect(r.errors[0]!.message).toMatch(/lines 2 and 4/);
  });

  it('duplicate ids beyond the in-memory check are still caught by the write pass', async () => {
    const r = await importFile(store, {
      file: bad('duplicate_ids.csv'),
      mapping: mapping('accounts'),
      dedupMemoryLimit: 0,
    });
    expect(r.status).toBe('refused');
    expect(r.errors[0]).toMatchObject({ line: 4, code: 'duplicate_id' });
    expect(r.errors[0]!.message).toMatch(/lines 2 and 4/);
    expect(hashDatabase(store)).toBe(before);
  });

  it('an unclosed quote', async () => {
    const r = await refuse(bad('unclosed_quote.csv'));
    expect(r.errors[0]).toMatchObject({ line: 3, char: 7, code: 'unclosed_quote' });
  });

  it('a 10 MB field', async () => {
    const file = join(tmp, 'huge-field.csv');
    writeFileSync(
      file,
      `Customer ID,Company Name,Plan,MRR (USD cents),Industry,Signed On,Strategic?,CSM Email\nCUS-1,Alpha,Enterprise,1,Software,01/01/2024,N,\nCUS-2,${'x'.repeat(10 * 1024 * 1024)},Growth,1,Retail,01/01/2024,N,\n`,
    );
    const r = await refuse(file);
    expect(r.errors[0]).toMatchObject({ line: 3, char: 7, code: 'field_too_large' });
  });

  it('non-UTF-8 bytes', async () => {
    const r = await refuse(bad('non_utf8.csv'));
    expect(r.errors[0]).toMatchObject({ line: 3, char: 10, code: 'invalid_utf8' });
    expect(r.errors[0]!.message).toMatch(/0xe9/);
  });

  it('ragged rows', async () => {
    const r = await refuse(bad('ragged.csv'));
    expect(r.errors[0]).toMatchObject({ line: 3, code: 'ragged_row' });
  });

  it('bad enum, number, boolean and reference values, each with its column', async () => {
    const r = await refuse(bad('bad_values.csv'));
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'Plan'],
      [3, 'MRR (USD cents)'],
      [3, 'Strategic?'],
      [3, 'CSM Email'],
    ]);
  });

  it('a JSON file that is not an array of objects, or is cut short', async () => {
    const f1 = join(tmp, 'cut.json');
    writeFileSync(f1, '[{"ticket_number": 1, "title": "a"},\n {"ticket_number": 2, "title": "b"');
    const r1 = await refuse(f1, mapping('tickets'));
    expect(r1.errors.find((e) => e.code === 'unclosed')).toMatchObject({ line: 2, char: 2 });
    const f2 = join(tmp, 'scalar.json');
    writeFileSync(f2, '[1, 2]');
    const r2 = await refuse(f2, mapping('tickets'));
    expect(r2.errors[0]!.code).toBe('invalid_json');
  });
});
