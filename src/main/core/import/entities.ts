/**
 * What can be imported: each entity's table, its fields, their types and constraints (mirroring the CHECKs in
 * migrations/001_initial.ts, so a bad value is reported with its line and column instead of failing in SQL),
 * the entity a reference points to, and the column-name synonyms automatic detection uses.
 */

import { IMPORT_ENTITIES } from '../../../shared/contracts/connectors';
import {
  ESCALATION_STATUSES,
  EXPANSION,
  OUTCOMES,
  PRIORITIES,
  SEGMENTS,
  TEAM_ROLES,
} from '../../../shared/domain';

export const ENTITY_NAMES = IMPORT_ENTITIES;
export type EntityName = (typeof ENTITY_NAMES)[number];

export type FieldType = 'text' | 'int' | 'real' | 'bool' | 'date' | 'datetime' | 'enum' | 'ref' | 'list';

export interface FieldDef {
  name: string;
  type: FieldType;
  /** Needed to create a row (upsert/insert). */
  required?: boolean;
  values?: readonly string[];
  min?: number;
  max?: number;
  /** For `ref`: the entity whose row this field points to. */
  ref?: EntityName;
  /** Filled automatically when not mapped: on insert ('created') or on insert and on change ('updated'). */
  auto?: 'created' | 'updated';
  /** The column's default in the schema (NOT NULL DEFAULT ...): what an empty cell becomes. */
  dbDefault?: string | number;
  /** When not mapped or empty, copy this other field's value (e.g. tickets.updated_at from created_at). */
  fallbackTo?: string;
  synonyms: readonly string[];
}

export interface EntityDef {
  name: EntityName;
  table: string;
  label: string;
  fields: readonly FieldDef[];
  /** When no external id is mapped, one is built from these fields (rows with a natural key). */
  naturalKey?: readonly string[];
}

const extId: FieldDef = {
  name: 'external_id',
  type: 'text',
  synonyms: ['id', 'external id', 'record id', 'uuid', 'key'],
};

const accountRef = (required = true): FieldDef => ({
  name: 'account_id',
  type: 'ref',
  ref: 'accounts',
  required,
  synonyms: [
    'account',
    'account id',
    'account external id',
    'company id',
    'customer id',
    'customer',
    'organization id',
    'org id',
    'tenant id',
  ],
});

const contactRef: FieldDef = {
  name: 'contact_id',
  type: 'ref',
  ref: 'contacts',
  synonyms: ['contact', 'contact id', 'requester id', 'person id', 'user id', 'respondent id'],
};

const teamRef = (name: string, synonyms: string[]): FieldDef => ({
  name,
  type: 'ref',
  ref: 'team',
  synonyms,
});

export const ENTITIES: Record<EntityName, EntityDef> = {
  accounts: {
    name: 'accounts',
    table: 'accounts',
    label: 'Accounts',
    fields: [
      {
        ...extId,
        synonyms: [...extId.synonyms, 'account id', 'company id', 'customer id', 'organization id', 'org id'],
      },
      {
        name: 'name',
        type: 'text',
        required: true,
        synonyms: [
          'name',
          'account name',
          'company name',
          'company',
          'customer name',
          'organization',
          'organisation',
        ],
      },
      {
        name: 'segment',
        type: 'enum',
        values: SEGMENTS,
        required: true,
        synonyms: ['segment', 'plan', 'tier', 'customer segment', 'size', 'market segment'],
      },
      { name: 'tier', type: 'text', synonyms: ['tier', 'service tier', 'support tier'] },
      { name: 'industry', type: 'text', synonyms: ['industry', 'vertical', 'sector'] },
      {
        name: 'arr',
        type: 'real',
        min: 0,
        dbDefault: 0,
        synonyms: [
          'arr',
          'annual recurring revenue',
          'mrr',
          'monthly recurring revenue',
          'revenue',
          'contract value',
          'acv',
        ],
      },
      {
        name: 'is_strategic',
        type: 'bool',
        dbDefault: 0,
        synonyms: ['strategic', 'is strategic', 'key account', 'strategic account'],
      },
      {
        name: 'expansion_potential',
        type: 'enum',
        values: EXPANSION,
        dbDefault: 'low',
        synonyms: ['expansion', 'expansion potential', 'upsell potential'],
      },
      {
        name: 'contract_start',
        type: 'date',
        synonyms: ['contract start', 'start date', 'customer since', 'signed at', 'subscription start'],
      },
      {
        name: 'renewal_date',
        type: 'date',
        synonyms: ['renewal', 'renewal date', 'renews at', 'contract end', 'end date', 'current period end'],
      },
      teamRef('owner_id', ['owner', 'owner id', 'csm', 'csm id', 'account owner', 'success manager']),
      teamRef('account_executive_id', ['account executive', 'ae', 'ae id', 'sales rep']),
      {
        name: 'status',
        type: 'enum',
        values: ['active', 'churned'],
        dbDefault: 'active',
        synonyms: ['status', 'account status', 'state', 'lifecycle'],
      },
      {
        name: 'created_at',
        type: 'datetime',
        auto: 'created',
        synonyms: ['created', 'created at', 'created date'],
      },
      {
        name: 'updated_at',
        type: 'datetime',
        auto: 'updated',
        synonyms: ['updated', 'updated at', 'last modified', 'modified'],
      },
    ],
  },
  contacts: {
    name: 'contacts',
    table: 'contacts',
    label: 'Contacts',
    fields: [
      { ...extId, synonyms: [...extId.synonyms, 'contact id', 'person id', 'user id'] },
      accountRef(),
      {
        name: 'name',
        type: 'text',
        required: true,
        synonyms: ['name', 'full name', 'contact name', 'person'],
      },
      { name: 'email', type: 'text', synonyms: ['email', 'email address', 'e-mail'] },
      { name: 'title', type: 'text', synonyms: ['title', 'job title', 'position'] },
      { name: 'role', type: 'text', synonyms: ['role', 'persona', 'contact role'] },
      { name: 'is_champion', type: 'bool', dbDefault: 0, synonyms: ['champion', 'is champion'] },
      {
        name: 'is_exec_sponsor',
        type: 'bool',
        dbDefault: 0,
        synonyms: ['exec sponsor', 'executive sponsor', 'is exec sponsor', 'sponsor'],
      },
      {
        name: 'status',
        type: 'enum',
        values: ['active', 'departed'],
        dbDefault: 'active',
        synonyms: ['status', 'contact status'],
      },
      { name: 'started_at', type: 'date', synonyms: ['started', 'start date', 'joined'] },
      { name: 'departed_at', type: 'date', synonyms: ['departed', 'left at', 'departure date', 'end date'] },
    ],
  },
  tickets: {
    name: 'tickets',
    table: 'tickets',
    label: 'Support tickets',
    fields: [
      { ...extId, synonyms: [...extId.synonyms, 'ticket id', 'ticket number', 'case id', 'case number'] },
      accountRef(),
      contactRef,
      {
        name: 'subject',
        type: 'text',
        required: true,
        synonyms: ['subject', 'title', 'summary', 'ticket subject'],
      },
      {
        name: 'product_area',
        type: 'text',
        synonyms: ['product area', 'component', 'module', 'feature area'],
      },
      { name: 'category', type: 'text', synonyms: ['category', 'type', 'ticket type', 'issue type'] },
      {
        name: 'priority',
        type: 'enum',
        values: ['low', 'normal', 'high', 'urgent'],
        dbDefault: 'normal',
        synonyms: ['priority', 'severity', 'urgency'],
      },
      {
        name: 'status',
        type: 'enum',
        values: ['new', 'open', 'pending', 'solved', 'closed'],
        dbDefault: 'open',
        synonyms: ['status', 'state', 'ticket status'],
      },
      {
        name: 'created_at',
        type: 'datetime',
        required: true,
        synonyms: ['created', 'created at', 'opened', 'opened at', 'date created', 'submitted'],
      },
      {
        name: 'updated_at',
        type: 'datetime',
        fallbackTo: 'created_at',
        synonyms: ['updated', 'updated at', 'last updated', 'modified'],
      },
      {
        name: 'solved_at',
        type: 'datetime',
        synonyms: ['solved', 'solved at', 'resolved', 'resolved at', 'closed at'],
      },
    ],
  },
  ticket_messages: {
    name: 'ticket_messages',
    table: 'ticket_messages',
    label: 'Ticket messages',
    fields: [
      { ...extId, synonyms: [...extId.synonyms, 'message id', 'comment id'] },
      {
        name: 'ticket_id',
        type: 'ref',
        ref: 'tickets',
        required: true,
        synonyms: ['ticket', 'ticket id', 'case id', 'case'],
      },
      {
        name: 'side',
        type: 'enum',
        values: ['customer', 'agent'],
        required: true,
        synonyms: ['side', 'author type', 'from', 'direction', 'sender type'],
      },
      { name: 'author_name', type: 'text', synonyms: ['author', 'author name', 'sender', 'from name'] },
      {
        name: 'body',
        type: 'text',
        required: true,
        synonyms: ['body', 'message', 'text', 'comment', 'content'],
      },
      {
        name: 'created_at',
        type: 'datetime',
        required: true,
        synonyms: ['created', 'created at', 'sent at', 'timestamp', 'date'],
      },
    ],
  },
  usage: {
    name: 'usage',
    table: 'usage_periods',
    label: 'Usage (per period)',
    naturalKey: ['account_id', 'period_start', 'period_days'],
    fields: [
      extId,
      accountRef(),
      {
        name: 'period_start',
        type: 'date',
        required: true,
        synonyms: ['period start', 'week', 'week start', 'week of', 'period', 'date', 'day', 'month'],
      },
      {
        name: 'period_days',
        type: 'int',
        min: 1,
        dbDefault: 7,
        synonyms: ['period days', 'days', 'period length'],
      },
      {
        name: 'active_users',
        type: 'int',
        min: 0,
        dbDefault: 0,
        synonyms: ['active users', 'users', 'wau', 'weekly active users', 'dau', 'mau', 'unique users'],
      },
      {
        name: 'logins',
        type: 'int',
        min: 0,
        dbDefault: 0,
        synonyms: ['logins', 'sessions', 'log ins', 'sign ins', 'login count'],
      },
      {
        name: 'key_feature_use',
        type: 'int',
        min: 0,
        dbDefault: 0,
        synonyms: ['key feature use', 'key feature events', 'core actions', 'feature events', 'events'],
      },
      {
        name: 'features_adopted',
        type: 'int',
        min: 0,
        dbDefault: 0,
        synonyms: ['features adopted', 'features used', 'distinct features', 'adopted features'],
      },
    ],
  },
  health: {
    name: 'health',
    table: 'health_scores',
    label: 'Health scores',
    naturalKey: ['account_id', 'scored_at'],
    fields: [
      extId,
      accountRef(),
      {
        name: 'scored_at',
        type: 'datetime',
        required: true,
        synonyms: ['scored at', 'date', 'as of', 'timestamp', 'measured at'],
      },
      {
        name: 'score',
        type: 'real',
        min: 0,
        max: 100,
        required: true,
        synonyms: ['score', 'health', 'health score', 'value'],
      },
    ],
  },
  nps: {
    name: 'nps',
    table: 'nps_responses',
    label: 'NPS responses',
    fields: [
      { ...extId, synonyms: [...extId.synonyms, 'response id', 'survey response id'] },
      accountRef(),
      contactRef,
      {
        name: 'responded_at',
        type: 'datetime',
        required: true,
        synonyms: ['responded at', 'date', 'submitted at', 'response date', 'timestamp'],
      },
      {
        name: 'score',
        type: 'int',
        min: 0,
        max: 10,
        required: true,
        synonyms: ['score', 'nps', 'nps score', 'rating', 'likelihood to recommend'],
      },
      { name: 'comment', type: 'text', synonyms: ['comment', 'feedback', 'verbatim', 'reason'] },
    ],
  },
  engagements: {
    name: 'engagements',
    table: 'engagements',
    label: 'Engagements',
    fields: [
      { ...extId, synonyms: [...extId.synonyms, 'activity id', 'engagement id', 'event id'] },
      accountRef(),
      contactRef,
      teamRef('team_member_id', ['team member', 'team member id', 'owner', 'csm', 'user']),
      {
        name: 'occurred_at',
        type: 'datetime',
        required: true,
        synonyms: ['occurred at', 'date', 'timestamp', 'activity date', 'when'],
      },
      {
        name: 'kind',
        type: 'enum',
        values: ['meeting', 'email', 'call', 'qbr', 'exec_touchpoint', 'csm_note'],
        required: true,
        synonyms: ['kind', 'type', 'activity type', 'channel'],
      },
      { name: 'is_executive', type: 'bool', dbDefault: 0, synonyms: ['executive', 'is executive', 'exec'] },
      { name: 'summary', type: 'text', synonyms: ['summary', 'notes', 'subject', 'description'] },
    ],
  },
  team: {
    name: 'team',
    table: 'team_members',
    label: 'Team members',
    fields: [
      { ...extId, synonyms: [...extId.synonyms, 'user id', 'employee id', 'member id'] },
      { name: 'name', type: 'text', required: true, synonyms: ['name', 'full name', 'member', 'employee'] },
      { name: 'email', type: 'text', synonyms: ['email', 'email address'] },
      {
        name: 'role',
        type: 'enum',
        values: TEAM_ROLES,
        required: true,
        synonyms: ['role', 'job role', 'function', 'position'],
      },
      { name: 'skills', type: 'list', dbDefault: '[]', synonyms: ['skills', 'expertise', 'specialties'] },
      {
        name: 'capacity',
        type: 'int',
        min: 0,
        dbDefault: 5,
        synonyms: ['capacity', 'max accounts', 'max escalations'],
      },
      { name: 'timezone', type: 'text', dbDefault: 'UTC', synonyms: ['timezone', 'time zone', 'tz'] },
      teamRef('manager_id', ['manager', 'manager id', 'reports to']),
      { name: 'active', type: 'bool', dbDefault: 1, synonyms: ['active', 'is active', 'enabled'] },
    ],
  },
  escalations: {
    name: 'escalations',
    table: 'escalations',
    label: 'Escalations (history)',
    fields: [
      { ...extId, synonyms: [...extId.synonyms, 'escalation id', 'case id'] },
      accountRef(),
      {
        name: 'status',
        type: 'enum',
        values: ESCALATION_STATUSES,
        required: true,
        synonyms: ['status', 'state'],
      },
      {
        name: 'priority',
        type: 'enum',
        values: PRIORITIES,
        required: true,
        synonyms: ['priority', 'severity level', 'level'],
      },
      { name: 'category', type: 'text', synonyms: ['category', 'type', 'reason'] },
      { name: 'severity', type: 'text', synonyms: ['severity'] },
      { name: 'summary', type: 'text', synonyms: ['summary', 'description', 'title'] },
      { name: 'product_area', type: 'text', synonyms: ['product area', 'component'] },
      {
        name: 'opened_at',
        type: 'datetime',
        required: true,
        synonyms: ['opened at', 'opened', 'created at', 'date', 'raised at'],
      },
      { name: 'decided_by', type: 'text', synonyms: ['decided by', 'confirmed by', 'approved by'] },
      { name: 'decided_at', type: 'datetime', synonyms: ['decided at', 'confirmed at'] },
      teamRef('owner_id', ['owner', 'owner id', 'assignee', 'assigned to']),
      { name: 'acknowledged_at', type: 'datetime', synonyms: ['acknowledged at', 'acknowledged'] },
      { name: 'resolved_at', type: 'datetime', synonyms: ['resolved at', 'resolved'] },
      { name: 'closed_at', type: 'datetime', synonyms: ['closed at', 'closed'] },
    ],
  },
  outcomes: {
    name: 'outcomes',
    table: 'outcomes',
    label: 'Escalation outcomes',
    fields: [
      { ...extId, synonyms: [...extId.synonyms, 'outcome id'] },
      {
        name: 'escalation_id',
        type: 'ref',
        ref: 'escalations',
        required: true,
        synonyms: ['escalation', 'escalation id', 'case id'],
      },
      {
        name: 'outcome',
        type: 'enum',
        values: OUTCOMES,
        required: true,
        synonyms: ['outcome', 'result', 'resolution'],
      },
      {
        name: 'arr_before',
        type: 'real',
        min: 0,
        required: true,
        synonyms: ['arr before', 'previous arr', 'arr at risk'],
      },
      {
        name: 'arr_after',
        type: 'real',
        min: 0,
        required: true,
        synonyms: ['arr after', 'new arr', 'retained arr'],
      },
      {
        name: 'resolved_at',
        type: 'datetime',
        required: true,
        synonyms: ['resolved at', 'date', 'closed at', 'churn date'],
      },
      { name: 'root_cause', type: 'text', synonyms: ['root cause', 'cause', 'reason', 'churn reason'] },
      { name: 'strategies', type: 'list', dbDefault: '[]', synonyms: ['strategies', 'actions', 'playbook'] },
      { name: 'notes', type: 'text', synonyms: ['notes', 'comment', 'details'] },
      { name: 'recorded_by', type: 'text', synonyms: ['recorded by', 'author'] },
    ],
  },
};

export const fieldOf = (entity: EntityDef, name: string): FieldDef | undefined =>
  entity.fields.find((f) => f.name === name);

export const isEntityName = (s: string): s is EntityName => (ENTITY_NAMES as readonly string[]).includes(s);
