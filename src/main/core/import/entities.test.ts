import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTITIES, ENTITY_NAMES } from './entities';
import { importFile } from './importer';
import type { Mapping } from './mapping';
import { memoryStoreWithConnectors } from './test-helpers';

const tmp = mkdtempSync(join(tmpdir(), 'bw-entities-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** One small file per entity, in dependency order, each through an identity-style mapping. */
const FILES: Record<string, string> = {
  team: 'id,name,email,role,skills,capacity,timezone,active\nT1,Dana,dana@x.example,csm,"api;billing",6,Europe/Paris,yes\nT2,Grace,grace@x.example,cs_leader,,3,UTC,1\n',
  accounts:
    'id,name,segment,arr,renewal_date,owner_id,expansion_potential,is_strategic\nA1,Acme,enterprise,380000,2026-06-01,T1,high,true\n',
  contacts:
    'id,account_id,name,email,title,is_champion,status,departed_at\nC1,A1,Sam Park,sam@acme.example,VP Eng,Y,departed,2026-01-10\n',
  tickets:
    'id,account_id,contact_id,subject,priority,status,created_at\nK1,A1,C1,Login broken,urgent,open,2026-01-12T10:00:00Z\n',
  ticket_messages:
    'id,ticket_id,side,author_name,body,created_at\nM1,K1,customer,Sam,We are evaluating CompetitorX,2026-01-12T10:05:00Z\n',
  usage:
    'account_id,period_start,period_days,active_users,logins,key_feature_use,features_adopted\nA1,2026-01-05,7,40,300,120,8\n',
  health: 'account_id,scored_at,score\nA1,2026-01-01,78\nA1,2026-02-01,43.5\n',
  nps: 'id,account_id,contact_id,responded_at,score,comment\nN1,A1,C1,2026-01-15,3,Too slow\n',
  engagements:
    'id,account_id,team_member_id,occurred_at,kind,is_executive,summary\nE1,A1,T1,2025-10-01T15:00:00Z,qbr,1,Quarterly review\n',
  escalations:
    'id,account_id,status,priority,opened_at,owner_id,summary\nX1,A1,resolved,critical,2025-06-01T00:00:00Z,T2,Outage\n',
  outcomes:
    'id,escalation_id,outcome,arr_before,arr_after,resolved_at,strategies\nO1,X1,saved,380000,380000,2025-07-01T00:00:00Z,"[""exec sponsor call"",""roadmap review""]"\n',
};

describe('every entity imports through a mapping', () => {
  it('team, accounts, contacts, tickets, messages, usage, health, NPS, engagements, escalations, outcomes', async () => {
    const store = await memoryStoreWithConnectors();
    const order = [
      'team',
      'accounts',
      'contacts',
      'tickets',
      'ticket_messages',
      'usage',
      'health',
      'nps',
      'engagements',
      'escalations',
      'outcomes',
    ] as const;
    expect([...order].sort()).toEqual([...ENTITY_NAMES].sort());
    for (const name of order) {
      const file = join(tmp, `${name}.csv`);
      writeFileSync(file, FILES[name]!);
      const header = FILES[name]!.split('\n')[0]!.split(',');
      const fields: Mapping['fields'] = {};
      for (const h of header) fields[h === 'id' ? 'external_id' : h] = h;
      const r = await importFile(store, { file, mapping: { entity: name, source: 'crm', fields } });
      expect(r.errors, name).toEqual([]);
      expect(r.status, `${name}: ${r.reason}`).toBe('imported');
      expect(r.inserted, name).toBe(FILES[name]!.trim().split('\n').length - 1);
      const n = store.get<{ n: number }>(
        `SELECT count(*) AS n FROM ${ENTITIES[name].table} WHERE source = 'crm'`,
      )!.n;
      expect(n, name).toBe(r.inserted);
    }
    expect(store.get("SELECT skills, active FROM team_members WHERE external_id = 'T1'")).toEqual({
      skills: '["api","billing"]',
      active: 1,
    });
    expect(store.get('SELECT strategies FROM outcomes')).toEqual({
      strategies: '["exec sponsor call","roadmap review"]',
    });
    expect(store.get('SELECT external_id, score FROM health_scores ORDER BY scored_at DESC LIMIT 1')).toEqual(
      { external_id: 'A1|2026-02-01T00:00:00.000Z', score: 43.5 },
    );
    expect(store.get('SELECT t.name FROM accounts a JOIN team_members t ON t.id = a.owner_id')).toEqual({
      name: 'Dana',
    });
  });
});
