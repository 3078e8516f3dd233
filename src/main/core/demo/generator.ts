/**
 * The deterministic demo portfolio: a believable B2B SaaS book of business with 24 months of history.
 *
 * Same seed + asOf + accounts (+ messagesPerAccountScale) => byte-identical rows. All randomness comes from
 * a seeded mulberry32 stream; every date is derived from `asOf` (no wall clock).
 *
 * The story (kept out of the data, documented here and in the issue report):
 * - escalations are preceded by 3-8 weeks of leading signals (usage decline, negative ticket spikes, health
 *   drop, champion departure, NPS detractors, executive-engagement gaps, competitor mentions);
 * - some accounts show the same signals and recover without an escalation (false alarms); some escalations
 *   arrive with weak or no signals (misses); a handful of active accounts are at risk right now;
 * - outcomes depend, noisily, on the root cause, whether a fitting strategy was used, and the owner's skills;
 * - a connector update behind a growing number of integrations escalations over the last five months;
 * - the seed's worked example, TechFlow Industries, exactly as specified.
 */
import type { SqlValue } from '../db/engine';
import type { PortfolioStore, Tx } from '../db/store';
import { Rng } from './rng';
import {
  AREA_LABELS,
  CHAMPION_TITLES,
  CONTACT_TITLES,
  CUSTOMER_TERSE,
  CUSTOMER_THANKS,
  DEVICES,
  ENGAGEMENT_TEXT,
  FIRST_NAMES,
  INDUSTRIES,
  NAME_HEADS,
  NAME_TAILS,
  NPS_COMMENTS,
  REPORTS,
  SPONSOR_TITLES,
  SUPPORT_AGENTS,
  SURNAMES,
  SYSTEMS,
  type TicketKind,
  type Tone,
  WEEKDAYS,
} from './texts';
import { THREADS } from './threads';

export const TECHFLOW_NAME = 'TechFlow Industries';
/** Invented competitor names used in ticket text, NPS comments and notes. */
export const DEMO_COMPETITORS = [
  'Stratalyne',
  'Corvantis',
  'Pivotrail',
  'Quorvex',
  'Lumaretta',
  'Tessaryn',
] as const;
/** The competitor TechFlow Industries says it is trialling. */
export const TECHFLOW_COMPETITOR = DEMO_COMPETITORS[0];
export const ROOT_CAUSES = [
  'product_defect',
  'performance_outage',
  'billing',
  'onboarding_gap',
  'missing_feature',
  'relationship_champion',
  'competitive',
] as const;
export const STRATEGIES = [
  'executive_outreach',
  'technical_review',
  'success_plan_reset',
  'training_workshop',
  'commercial_concession',
  'roadmap_briefing',
  'dedicated_support',
] as const;

export interface DemoOptions {
  seed: number;
  accounts: number;
  /** "Today" of the demo, YYYY-MM-DD. Every date in the data is relative to it. */
  asOf: string;
  /** Multiplies the baseline support-ticket volume (and so the message count). Default 1 (~50 messages/account). */
  messagesPerAccountScale?: number;
}

type RootCause = (typeof ROOT_CAUSES)[number];
type Strategy = (typeof STRATEGIES)[number];
type Segment = 'enterprise' | 'mid_market' | 'smb';
type Outcome = 'saved' | 'expanded' | 'churned' | 'downgraded';
type Signal = 'usage' | 'tickets' | 'health' | 'champion' | 'nps' | 'exec_gap' | 'competitor' | 'quiet';
type EpisodeKind = 'esc' | 'open_esc' | 'false_alarm' | 'current' | 'silent_churn';

const DAY = 86_400_000;
const HOUR = 3_600_000;

const SQL = {
  meta: 'INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  team: 'INSERT INTO team_members (id, source, external_id, name, email, role, skills, capacity, timezone, working_hours, out_of_office, manager_id, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)',
  account:
    'INSERT INTO accounts (id, source, external_id, name, segment, tier, industry, arr, is_strategic, expansion_potential, contract_start, renewal_date, owner_id, account_executive_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  contact:
    'INSERT INTO contacts (id, source, external_id, account_id, name, email, title, role, is_champion, is_exec_sponsor, status, started_at, departed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  usage:
    'INSERT INTO usage_periods (source, account_id, period_start, period_days, active_users, logins, key_feature_use, features_adopted) VALUES (?, ?, ?, 7, ?, ?, ?, ?)',
  health:
    'INSERT INTO health_scores (source, external_id, account_id, scored_at, score) VALUES (?, ?, ?, ?, ?)',
  nps: 'INSERT INTO nps_responses (source, external_id, account_id, contact_id, responded_at, score, comment) VALUES (?, ?, ?, ?, ?, ?, ?)',
  engagement:
    'INSERT INTO engagements (source, external_id, account_id, contact_id, team_member_id, occurred_at, kind, is_executive, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ticket:
    'INSERT INTO tickets (id, source, external_id, account_id, contact_id, subject, product_area, category, priority, status, created_at, updated_at, solved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  message:
    'INSERT INTO ticket_messages (source, external_id, ticket_id, side, author_name, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  escalation:
    'INSERT INTO escalations (id, source, external_id, account_id, status, priority, category, severity, summary, product_area, opened_at, decided_by, decided_at, owner_id, acknowledged_at, resolved_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  event:
    'INSERT INTO escalation_events (escalation_id, occurred_at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)',
  outcome:
    'INSERT INTO outcomes (source, external_id, escalation_id, outcome, arr_before, arr_after, resolved_at, root_cause, strategies, notes, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
} as const;

const SRC = 'demo';

/**
 * Buffers rows of one INSERT and writes them BATCH_ROWS at a time with one multi-row statement (constant SQL
 * text, so the engine's statement cache reuses it); the remainder goes row by row. Row order is kept.
 */
const BATCH_ROWS = 16;
class Batch {
  private readonly rows: SqlValue[][] = [];
  private readonly multi: string;
  constructor(
    private readonly tx: Tx,
    private readonly single: string,
  ) {
    const values = single.slice(single.lastIndexOf('VALUES') + 'VALUES'.length).trim();
    this.multi = `${single.slice(0, single.lastIndexOf('VALUES'))}VALUES ${Array(BATCH_ROWS).fill(values).join(', ')}`;
  }
  push(row: SqlValue[]): void {
    this.rows.push(row);
    if (this.rows.length === BATCH_ROWS) {
      this.tx.run(this.multi, this.rows.flat());
      this.rows.length = 0;
    }
  }
  flush(): void {
    for (const r of this.rows) this.tx.run(this.single, r);
    this.rows.length = 0;
  }
}

// ---------------------------------------------------------------- team

interface Member {
  id: number;
  key: string;
  name: string;
  role: 'csm' | 'technical' | 'cs_leader' | 'account_executive';
  skills: string[];
  capacity: number;
  tz: string;
  hours: { start: string; end: string };
  manager: string | null;
  /** [fromDaysAgo, toDaysAgo] (negative = future). */
  ooo: [number, number][];
}

const TEAM: Omit<Member, 'id'>[] = [
  {
    key: 'vp',
    name: 'Jordan Placeholder',
    role: 'cs_leader',
    skills: [
      'leadership:vp_customer_success',
      'category:competitive',
      'category:relationship_champion',
      'segment:enterprise',
    ],
    capacity: 3,
    tz: 'America/New_York',
    hours: { start: '08:30', end: '17:30' },
    manager: null,
    ooo: [[64, 59]],
  },
  {
    key: 'dir',
    name: 'Morgan Example',
    role: 'cs_leader',
    skills: [
      'leadership:director_customer_success',
      'category:billing',
      'category:onboarding_gap',
      'segment:mid_market',
      'industry:financial_services',
    ],
    capacity: 4,
    tz: 'Europe/London',
    hours: { start: '09:00', end: '17:30' },
    manager: 'vp',
    ooo: [[210, 200]],
  },
  {
    key: 'csm1',
    name: 'Avery Sample',
    role: 'csm',
    skills: [
      'segment:enterprise',
      'industry:manufacturing',
      'industry:logistics',
      'category:relationship_champion',
      'category:competitive',
    ],
    capacity: 6,
    tz: 'America/New_York',
    hours: { start: '09:00', end: '17:00' },
    manager: 'dir',
    ooo: [[150, 141]],
  },
  {
    key: 'csm2',
    name: 'Riley Testwell',
    role: 'csm',
    skills: [
      'segment:enterprise',
      'industry:healthcare',
      'industry:financial_services',
      'category:billing',
      'category:missing_feature',
    ],
    capacity: 6,
    tz: 'America/Chicago',
    hours: { start: '08:00', end: '16:30' },
    manager: 'dir',
    ooo: [[3, -8]],
  },
  {
    key: 'csm3',
    name: 'Casey Demo',
    role: 'csm',
    skills: [
      'segment:mid_market',
      'industry:retail',
      'industry:hospitality',
      'category:onboarding_gap',
      'product:reporting',
    ],
    capacity: 7,
    tz: 'Europe/London',
    hours: { start: '09:00', end: '17:30' },
    manager: 'dir',
    ooo: [[95, 88]],
  },
  {
    key: 'csm4',
    name: 'Quinn Mockley',
    role: 'csm',
    skills: [
      'segment:mid_market',
      'industry:software',
      'industry:media',
      'product:integrations',
      'product:api',
      'category:product_defect',
    ],
    capacity: 7,
    tz: 'America/Los_Angeles',
    hours: { start: '08:00', end: '16:00' },
    manager: 'dir',
    ooo: [[-20, -30]],
  },
  {
    key: 'csm5',
    name: 'Rowan Specimen',
    role: 'csm',
    skills: [
      'segment:smb',
      'industry:education',
      'industry:professional_services',
      'category:onboarding_gap',
      'product:dashboards',
    ],
    capacity: 8,
    tz: 'Europe/Berlin',
    hours: { start: '08:30', end: '17:00' },
    manager: 'vp',
    ooo: [],
  },
  {
    key: 'csm6',
    name: 'Harper Trialson',
    role: 'csm',
    skills: ['segment:smb', 'industry:energy', 'industry:construction', 'category:billing', 'product:mobile'],
    capacity: 8,
    tz: 'Australia/Sydney',
    hours: { start: '08:30', end: '16:30' },
    manager: 'vp',
    ooo: [[330, 316]],
  },
  {
    key: 'tech1',
    name: 'Kendall Prototype',
    role: 'technical',
    skills: [
      'product:integrations',
      'product:api',
      'category:product_defect',
      'category:performance_outage',
      'industry:software',
    ],
    capacity: 4,
    tz: 'America/Denver',
    hours: { start: '09:00', end: '17:00' },
    manager: 'vp',
    ooo: [[-25, -32]],
  },
  {
    key: 'tech2',
    name: 'Ellis Fixture',
    role: 'technical',
    skills: [
      'product:sso',
      'product:dashboards',
      'product:reporting',
      'product:mobile',
      'category:performance_outage',
      'category:product_defect',
    ],
    capacity: 4,
    tz: 'Europe/Dublin',
    hours: { start: '09:00', end: '17:30' },
    manager: 'vp',
    ooo: [[45, 41]],
  },
  {
    key: 'ae1',
    name: 'Parker Samplewood',
    role: 'account_executive',
    skills: ['segment:enterprise', 'category:billing', 'category:competitive', 'commercial:negotiation'],
    capacity: 5,
    tz: 'America/New_York',
    hours: { start: '08:00', end: '18:00' },
    manager: null,
    ooo: [],
  },
  {
    key: 'ae2',
    name: 'Sage Demoray',
    role: 'account_executive',
    skills: ['segment:mid_market', 'segment:smb', 'category:billing', 'commercial:negotiation'],
    capacity: 5,
    tz: 'Europe/London',
    hours: { start: '09:00', end: '17:30' },
    manager: null,
    ooo: [[180, 170]],
  },
];

// ---------------------------------------------------------------- plan types

interface Episode {
  kind: EpisodeKind;
  /** Days before asOf: signals begin at onset, peak at peak (the escalation's opening), settle at end. */
  onset: number;
  peak: number;
  end: number;
  rootCause: RootCause;
  area: string | null;
  signals: Set<Signal>;
  drop: number;
  healthDrop: number;
  weak: boolean;
  systemic: boolean;
  competitor: string;
  outcome: Outcome | null;
  strategies: Strategy[];
  ownerKey: string;
  /** The champion leaves at this many days before asOf (when the episode carries the champion signal). */
  championLeave: number | null;
  /** A replacement champion starts at this many days before asOf (null: none). */
  championReplace: number | null;
  /** The escalation is opened by the customer / support rather than by the CSM. */
  openedVia: string;
  custom: boolean;
  arrBefore: number;
  arrAfter: number;
}

interface TicketSpec {
  d: number;
  kind: TicketKind;
  tone: Tone;
  area: string | null;
  version?: string;
  competitor?: string;
  custom?: CustomTicket;
}

interface CustomTicket {
  subject: string;
  area: string;
  category: string;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  messages: { side: 'customer' | 'agent'; hours: number; body: string }[];
}

interface Contact {
  id: number;
  name: string;
  first: string;
  title: string;
  role: string;
  champion: boolean;
  sponsor: boolean;
  started: number;
  departed: number | null;
}

interface Account {
  id: number;
  idx: number;
  name: string;
  slug: string;
  segment: Segment;
  industry: string;
  tier: string;
  arrStart: number;
  arr: number;
  strategic: boolean;
  expansion: 'none' | 'low' | 'medium' | 'high';
  /** Days since the contract started (usage starts then). */
  startD: number;
  renewalD: number;
  contractYears: number;
  owner: string;
  ae: string;
  churnD: number | null;
  baseUsers: number;
  lpu: number;
  kfRatio: number;
  featBase: number;
  growth: number;
  baseHealth: number;
  ticketRate: number;
  episodes: Episode[];
  extraTickets: TicketSpec[];
  techflow: boolean;
}

// ---------------------------------------------------------------- helpers

const round2 = (x: number): number => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));
const fill = (tpl: string, slots: Record<string, string>): string =>
  tpl.replace(/\{(\w+)\}/g, (m, k: string) => slots[k] ?? m);

const FIT: Record<RootCause, Strategy[]> = {
  product_defect: ['technical_review', 'dedicated_support'],
  performance_outage: ['technical_review', 'executive_outreach'],
  billing: ['commercial_concession'],
  onboarding_gap: ['training_workshop', 'success_plan_reset'],
  missing_feature: ['roadmap_briefing'],
  relationship_champion: ['executive_outreach', 'success_plan_reset'],
  competitive: ['executive_outreach', 'roadmap_briefing'],
};

const BASE_SAVE: Record<RootCause, number> = {
  product_defect: 0.58,
  performance_outage: 0.55,
  billing: 0.55,
  onboarding_gap: 0.5,
  missing_feature: 0.36,
  relationship_champion: 0.45,
  competitive: 0.3,
};

const SIGNAL_P: Record<RootCause, Partial<Record<Signal, number>>> = {
  product_defect: {
    tickets: 0.95,
    usage: 0.5,
    health: 0.7,
    nps: 0.3,
    competitor: 0.15,
    champion: 0.1,
    exec_gap: 0.3,
    quiet: 0.15,
  },
  performance_outage: {
    tickets: 0.95,
    usage: 0.7,
    health: 0.7,
    nps: 0.35,
    competitor: 0.2,
    exec_gap: 0.3,
    quiet: 0.1,
  },
  billing: { tickets: 0.9, usage: 0.2, health: 0.5, nps: 0.3, competitor: 0.15, exec_gap: 0.35, quiet: 0.2 },
  onboarding_gap: { usage: 0.9, tickets: 0.5, health: 0.8, nps: 0.3, quiet: 0.5, exec_gap: 0.4 },
  missing_feature: { tickets: 0.6, competitor: 0.6, usage: 0.5, health: 0.6, nps: 0.4, exec_gap: 0.3 },
  relationship_champion: {
    champion: 0.95,
    exec_gap: 0.8,
    quiet: 0.7,
    usage: 0.6,
    health: 0.7,
    nps: 0.2,
    tickets: 0.2,
  },
  competitive: {
    competitor: 0.95,
    usage: 0.6,
    nps: 0.5,
    health: 0.6,
    exec_gap: 0.5,
    champion: 0.3,
    tickets: 0.4,
  },
};

const EPISODE_TICKETS: Record<RootCause, TicketKind[]> = {
  product_defect: ['bug', 'bug', 'data_export', 'mobile_crash'],
  performance_outage: ['outage', 'performance', 'performance'],
  billing: ['billing', 'billing', 'on_hold'],
  onboarding_gap: ['onboarding', 'how_to', 'onboarding'],
  missing_feature: ['feature_request', 'feature_request', 'how_to'],
  relationship_champion: ['on_hold', 'how_to', 'billing'],
  competitive: ['feature_request', 'billing', 'performance'],
};

const AREAS_FOR: Record<RootCause, (string | null)[]> = {
  product_defect: ['reporting', 'dashboards', 'workflows', 'data_export', 'mobile', 'notifications', 'api'],
  performance_outage: ['dashboards', 'reporting', 'api'],
  billing: ['billing'],
  onboarding_gap: ['workflows', 'dashboards', 'permissions'],
  missing_feature: ['reporting', 'dashboards', 'workflows', 'api', 'mobile', 'permissions'],
  relationship_champion: [null],
  competitive: [null, 'reporting', 'dashboards'],
};

const BASELINE_KINDS: readonly (readonly [TicketKind, number])[] = [
  ['how_to', 26],
  ['bug', 15],
  ['performance', 6],
  ['billing', 6],
  ['feature_request', 11],
  ['praise', 7],
  ['data_export', 5],
  ['sso_access', 7],
  ['integration_general', 7],
  ['onboarding', 3],
  ['on_hold', 2],
  ['mobile_crash', 3],
  ['outage', 1],
  ['competitor', 0.6],
];

const SUMMARY: Record<RootCause, string[]> = {
  product_defect: [
    'Repeated {area} defects disrupting daily operations; confidence in the platform dropping.',
    'Unresolved {area} bugs for several weeks; customer asking for an engineering commitment.',
  ],
  performance_outage: [
    'Outages and slow {area} during peak periods; customer requesting an incident review.',
    'Performance problems in {area} driving users back to spreadsheets.',
  ],
  billing: [
    'Invoice dispute over seat count; customer has put payments on hold.',
    'Renewal pricing disagreement; procurement threatening to pause the renewal.',
  ],
  onboarding_gap: [
    'Rollout stalled: low adoption after onboarding, admins unsure how to configure {area}.',
    'Only a few teams live months after kickoff; customer questioning the value.',
  ],
  missing_feature: [
    'Customer blocked on a missing {area} capability expected from the roadmap.',
    'Gap in {area} functionality putting an internal rollout at risk.',
  ],
  relationship_champion: [
    'Champion departed; no active sponsor and engagement has gone quiet before renewal.',
    'Key sponsor left; new leadership questioning the contract.',
  ],
  competitive: [
    'Customer evaluating {competitor} ahead of renewal.',
    'Competitive pressure from {competitor}; pricing and roadmap concerns raised by leadership.',
  ],
};

const SYSTEMIC_SUMMARY = [
  'Sync connector creating duplicate records in {system} after the {version} update; operations team blocked.',
  'Nightly sync to {system} failing since the {version} connector update; data trust eroding.',
  'Connector {version} overwrote records in {system}; customer restoring from backup.',
];

const STRATEGY_NOTE: Record<Strategy, string> = {
  executive_outreach: 'Executive outreach: {leader} called the customer sponsor to reset expectations.',
  technical_review: 'Technical review held with engineering; fix plan and dates shared with the customer.',
  success_plan_reset: 'Success plan reset: agreed three measurable goals for the next 90 days.',
  training_workshop: 'Ran an admin and power-user training workshop on site.',
  commercial_concession: 'Commercial concession approved: service credit applied to the next invoice.',
  roadmap_briefing: 'Roadmap briefing with product management; timeline for the requested capability shared.',
  dedicated_support: 'Dedicated support engineer assigned with a daily check-in until stable.',
};

const OUTCOME_NOTE: Record<Outcome, string[]> = {
  saved: [
    'Customer stabilised and renewed on existing terms.',
    'Issue resolved; relationship back on track.',
  ],
  expanded: [
    'Resolved and expanded to additional teams at renewal.',
    'Recovered; customer added seats after the fix.',
  ],
  downgraded: ['Retained with fewer seats; remaining teams still at risk.', 'Renewed on a smaller plan.'],
  churned: ['Customer did not renew.', 'Lost at renewal; customer moved to another vendor.'],
};

// ---------------------------------------------------------------- the generator

export function generateDemo(store: PortfolioStore, opts: DemoOptions): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf) || Number.isNaN(Date.parse(`${opts.asOf}T00:00:00Z`))) {
    throw new Error(`generateDemo: asOf must be a date YYYY-MM-DD, got "${opts.asOf}"`);
  }
  if (!Number.isInteger(opts.accounts) || opts.accounts < 1 || opts.accounts > 50_000) {
    throw new Error(`generateDemo: accounts must be an integer from 1 to 50000, got ${opts.accounts}`);
  }
  const existing = store.get<{ n: number }>('SELECT count(*) AS n FROM accounts')?.n ?? 0;
  if (existing > 0) throw new Error('generateDemo needs an empty portfolio');
  store.bulk((tx) => new Generator(tx, opts).run());
}

class Generator {
  private readonly asOfMs: number;
  private readonly rng: Rng;
  private readonly scale: number;
  private readonly team = new Map<string, Member>();
  private readonly accounts: Account[] = [];
  private nextContact = 1;
  private nextTicket = 1;
  private nextEscalation = 1;
  private readonly n: number;
  private readonly usage: Batch;
  private readonly messages: Batch;
  private readonly engagements: Batch;
  private readonly health: Batch;
  private readonly batches: Batch[];

  constructor(
    private readonly tx: Tx,
    private readonly opts: DemoOptions,
  ) {
    this.asOfMs = Date.parse(`${opts.asOf}T00:00:00Z`);
    this.rng = new Rng(opts.seed);
    this.scale = opts.messagesPerAccountScale ?? 1;
    this.n = opts.accounts;
    this.usage = new Batch(tx, SQL.usage);
    this.messages = new Batch(tx, SQL.message);
    this.engagements = new Batch(tx, SQL.engagement);
    this.health = new Batch(tx, SQL.health);
    this.batches = [this.usage, this.messages, this.engagements, this.health];
  }

  private date(d: number): string {
    return new Date(this.asOfMs - Math.round(d) * DAY).toISOString().slice(0, 10);
  }

  private ts(ms: number): string {
    return new Date(ms).toISOString();
  }

  /** A timestamp `d` days ago (fractional days allowed), at a plausible working time (UTC). */
  private msAt(d: number, rng: Rng): number {
    const day = this.asOfMs - Math.floor(d) * DAY;
    return day + rng.int(12 * 60, 22 * 60) * 60_000;
  }

  run(): void {
    this.writeMeta();
    this.writeTeam();
    this.planAccounts();
    this.planEpisodes();
    this.settleOutcomes();
    for (const a of this.accounts) this.writeAccount(a);
    for (const a of this.accounts) this.writeHistory(a);
    for (const b of this.batches) b.flush();
  }

  // ------------------------------------------------------------ meta & team

  private writeMeta(): void {
    const { tx, opts } = this;
    tx.run(SQL.meta, ['portfolio_kind', 'demo']);
    tx.run(SQL.meta, ['as_of', opts.asOf]);
    tx.run(SQL.meta, ['created_at', `${opts.asOf}T00:00:00.000Z`]);
    tx.run(SQL.meta, ['demo_seed', String(opts.seed)]);
    tx.run(SQL.meta, ['demo_accounts', String(opts.accounts)]);
  }

  private writeTeam(): void {
    let id = 1;
    for (const m of TEAM) this.team.set(m.key, { ...m, id: id++ });
    for (const m of this.team.values()) {
      const email = `${m.name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.org`;
      const ooo = m.ooo.map(([from, to]) => ({ from: this.date(from), to: this.date(to) }));
      this.tx.run(SQL.team, [
        m.id,
        SRC,
        `tm-${m.key}`,
        m.name,
        email,
        m.role,
        JSON.stringify(m.skills),
        m.capacity,
        m.tz,
        JSON.stringify({ start: m.hours.start, end: m.hours.end, days: [1, 2, 3, 4, 5] }),
        JSON.stringify(ooo),
        m.manager ? this.team.get(m.manager)!.id : null,
      ]);
    }
  }

  private member(key: string): Member {
    return this.team.get(key)!;
  }

  // ------------------------------------------------------------ accounts

  private planAccounts(): void {
    const rng = this.rng;
    const names = new Set<string>([TECHFLOW_NAME]);
    const techflowIdx = Math.min(41, this.n - 1);
    for (let idx = 0; idx < this.n; idx++) {
      if (idx === techflowIdx) {
        this.accounts.push(this.techflowPlan(idx));
        continue;
      }
      const segment = rng.weighted<Segment>([
        ['enterprise', 0.2],
        ['mid_market', 0.35],
        ['smb', 0.45],
      ]);
      const ind = rng.pick(INDUSTRIES);
      let name = '';
      for (let tries = 0; tries < 40 && (!name || names.has(name)); tries++) {
        name = `${rng.pick(NAME_HEADS)}${rng.pick(NAME_TAILS)} ${rng.pick(ind.nouns)}`;
      }
      if (names.has(name)) {
        const base = name;
        for (let k = 2; names.has(name); k++)
          name = `${base} ${['North', 'West', 'East', 'South', 'Pacific', 'Atlantic'][k % 6]}${k > 7 ? ` ${k}` : ''}`;
      }
      names.add(name);
      const [lo, hi] =
        segment === 'enterprise'
          ? [250_000, 1_500_000]
          : segment === 'mid_market'
            ? [50_000, 250_000]
            : [10_000, 50_000];
      const u = rng.next();
      const arrStart = Math.round((lo * (hi / lo) ** (u ** 1.5)) / 500) * 500;
      const contractYears = rng.weighted<number>([
        [1, 0.1],
        [2, 0.12],
        [3, 0.3],
        [4, 0.28],
        [5, 0.2],
      ]);
      const renewalD = -rng.int(1, 365);
      const startD = contractYears * 365 + renewalD;
      const owner = this.pickOwner(segment, ind.key, rng);
      const seatPrice =
        segment === 'enterprise'
          ? rng.range(900, 1500)
          : segment === 'mid_market'
            ? rng.range(700, 1100)
            : rng.range(500, 900);
      const seats = Math.max(4, arrStart / seatPrice);
      this.accounts.push({
        id: idx + 1,
        idx,
        name,
        slug: name
          .toLowerCase()
          .replace(/[^a-z]+/g, '-')
          .replace(/^-|-$/g, ''),
        segment,
        industry: ind.key,
        tier:
          segment === 'enterprise'
            ? rng.chance(0.6)
              ? 'platinum'
              : 'gold'
            : segment === 'mid_market'
              ? rng.chance(0.5)
                ? 'gold'
                : 'silver'
              : rng.chance(0.4)
                ? 'silver'
                : 'bronze',
        arrStart,
        arr: arrStart,
        strategic: rng.chance(segment === 'enterprise' ? 0.35 : segment === 'mid_market' ? 0.08 : 0.01),
        expansion: rng.weighted<Account['expansion']>(
          segment === 'smb'
            ? [
                ['none', 3],
                ['low', 4],
                ['medium', 2],
                ['high', 1],
              ]
            : [
                ['none', 1],
                ['low', 3],
                ['medium', 4],
                ['high', 2],
              ],
        ),
        startD,
        renewalD,
        contractYears,
        owner,
        ae: segment === 'enterprise' ? (rng.chance(0.85) ? 'ae1' : 'ae2') : rng.chance(0.85) ? 'ae2' : 'ae1',
        churnD: null,
        baseUsers: Math.max(3, Math.round(seats * rng.range(0.55, 0.85))),
        lpu: rng.range(2.5, 6),
        kfRatio: rng.range(0.2, 0.5),
        featBase: rng.int(4, 11),
        growth: rng.range(-0.1, 0.3),
        baseHealth: clamp(76 + rng.normal() * 7, 58, 92),
        ticketRate:
          (segment === 'enterprise' ? 1.1 : segment === 'mid_market' ? 0.6 : 0.3) *
          rng.range(0.6, 1.4) *
          this.scale,
        episodes: [],
        extraTickets: [],
        techflow: false,
      });
    }
  }

  private pickOwner(segment: Segment, industry: string, rng: Rng): string {
    const pair =
      segment === 'enterprise'
        ? ['csm1', 'csm2']
        : segment === 'mid_market'
          ? ['csm3', 'csm4']
          : ['csm5', 'csm6'];
    const match = pair.find((k) => this.member(k).skills.includes(`industry:${industry}`));
    if (match && rng.chance(0.75)) return match;
    if (rng.chance(0.08)) return rng.pick(['csm1', 'csm2', 'csm3', 'csm4', 'csm5', 'csm6']);
    return rng.pick(pair);
  }

  private techflowPlan(idx: number): Account {
    const renewalD = -67;
    const contractYears = 3;
    const ep: Episode = {
      kind: 'current',
      onset: 50,
      peak: 0,
      end: 0,
      rootCause: 'relationship_champion',
      area: 'dashboards',
      signals: new Set<Signal>(['usage', 'tickets', 'health', 'champion', 'exec_gap', 'competitor']),
      drop: 0.6,
      healthDrop: 35,
      weak: false,
      systemic: false,
      competitor: TECHFLOW_COMPETITOR,
      outcome: null,
      strategies: [],
      ownerKey: 'csm1',
      championLeave: 21,
      championReplace: null,
      openedVia: 'csm',
      custom: true,
      arrBefore: 380_000,
      arrAfter: 380_000,
    };
    return {
      id: idx + 1,
      idx,
      name: TECHFLOW_NAME,
      slug: 'techflow-industries',
      segment: 'enterprise',
      industry: 'manufacturing',
      tier: 'platinum',
      arrStart: 380_000,
      arr: 380_000,
      strategic: true,
      expansion: 'medium',
      startD: contractYears * 365 + renewalD,
      renewalD,
      contractYears,
      owner: 'csm1',
      ae: 'ae1',
      churnD: null,
      baseUsers: 300,
      lpu: 4.05,
      kfRatio: 0.35,
      featBase: 9,
      growth: 0.05,
      baseHealth: 79,
      ticketRate: 1,
      episodes: [ep],
      extraTickets: [],
      techflow: true,
    };
  }

  // ------------------------------------------------------------ episodes

  private free(a: Account, from: number, to: number): boolean {
    // [to, from] in days ago, with a margin either side
    if (a.techflow) return false;
    if (a.startD < from + 90) return false;
    if (a.churnD !== null) return false;
    for (const e of a.episodes) {
      if (!(from + 45 < e.end || to - 45 > e.onset)) return false;
      if (e.outcome === 'churned' && to < e.end) return false;
    }
    return true;
  }

  private findAccount(from: number, to: number, pred?: (a: Account) => boolean): Account | null {
    for (let t = 0; t < 80; t++) {
      const a = this.accounts[this.rng.int(0, this.n - 1)]!;
      if ((!pred || pred(a)) && this.free(a, from, to)) return a;
    }
    return null;
  }

  private makeSignals(rc: RootCause, weak: boolean): Set<Signal> {
    const s = new Set<Signal>();
    for (const [sig, p] of Object.entries(SIGNAL_P[rc]) as [Signal, number][]) {
      if (this.rng.chance(weak ? p * 0.15 : p)) s.add(sig);
    }
    return s;
  }

  private episode(
    kind: EpisodeKind,
    rc: RootCause,
    onset: number,
    peak: number,
    end: number,
    weak: boolean,
  ): Episode {
    const rng = this.rng;
    const signals = this.makeSignals(rc, weak);
    const area = rc === 'product_defect' && rng.chance(0.06) ? 'integrations' : rng.pick(AREAS_FOR[rc]);
    return {
      kind,
      onset,
      peak,
      end,
      rootCause: rc,
      area,
      signals,
      drop: signals.has('usage') ? rng.range(0.3, 0.7) : weak ? rng.range(0, 0.08) : rng.range(0.02, 0.15),
      healthDrop: signals.has('health') ? rng.range(18, 38) : weak ? rng.range(0, 5) : rng.range(3, 10),
      weak,
      systemic: false,
      competitor: rng.pick(DEMO_COMPETITORS),
      outcome: null,
      strategies: [],
      ownerKey: '',
      championLeave: null,
      championReplace: null,
      openedVia: weak
        ? rng.pick(['customer', 'renewal_review', 'support'])
        : rng.pick(['csm', 'csm', 'support', 'customer']),
      custom: false,
      arrBefore: 0,
      arrAfter: 0,
    };
  }

  private pickRootCause(a: Account | null, peak: number): RootCause {
    if (a && a.startD - peak < 270 && this.rng.chance(0.6)) return 'onboarding_gap';
    return this.rng.weighted<RootCause>([
      ['product_defect', 0.2],
      ['performance_outage', 0.13],
      ['billing', 0.1],
      ['onboarding_gap', 0.1],
      ['missing_feature', 0.13],
      ['relationship_champion', 0.17],
      ['competitive', 0.17],
    ]);
  }

  private planEpisodes(): void {
    const rng = this.rng;
    const k = this.n / 320;
    const cnt = (x: number) => Math.max(this.n >= 40 ? 1 : 0, Math.round(x * k));

    // The connector update: integrations escalations across accounts, growing month by month.
    const perMonth = [6, 4, 3, 2, 1]; // month 1 = the last 30 days ... month 5
    const systemicCounts = perMonth.map(cnt);
    for (let m = 5; m >= 1; m--) {
      const c = systemicCounts[m - 1]!;
      for (let i = 0; i < c; i++) {
        const peak = m === 1 ? rng.int(3, 28) : rng.int(30 * (m - 1) + 1, 30 * m);
        const lead = rng.int(21, 45);
        const onset = peak + lead;
        const open = m === 1;
        const dur = rng.int(10, 40);
        const end = open ? 0 : Math.max(2, peak - dur);
        const a = this.findAccount(onset, end, (x) => x.segment !== 'smb' || rng.chance(0.3));
        if (!a) continue;
        const ep = this.episode(open ? 'open_esc' : 'esc', 'product_defect', onset, peak, end, false);
        ep.area = 'integrations';
        ep.systemic = true;
        ep.signals.add('tickets');
        if (rng.chance(0.4)) ep.signals.add('usage');
        ep.drop = ep.signals.has('usage') ? rng.range(0.2, 0.5) : rng.range(0.03, 0.12);
        ep.signals.delete('champion');
        a.episodes.push(ep);
      }
      // Sync complaints from accounts that do not escalate (growing as well).
      const noise = cnt([14, 10, 7, 5, 3][m - 1]!);
      for (let i = 0; i < noise; i++) {
        const a = this.accounts[rng.int(0, this.n - 1)]!;
        if (a.techflow || a.startD < 30 * m + 30) continue;
        a.extraTickets.push({
          d: rng.int(30 * (m - 1) + 1, 30 * m),
          kind: 'integration_sync',
          tone: rng.chance(0.55) ? 'negative' : 'neutral',
          area: 'integrations',
          version: m >= 3 ? 'v4.2' : 'v4.3',
        });
      }
    }

    // Historical escalations (resolved or closed), opened 1-22 months ago.
    const nHist = cnt(62);
    for (let i = 0; i < nHist; i++) {
      const peak = rng.int(35, 660);
      const lead = rng.int(21, 56);
      const onset = peak + lead;
      const end = Math.max(2, peak - rng.int(7, 60));
      const a = this.findAccount(onset, end);
      if (!a) continue;
      const weak = rng.chance(0.17);
      const ep = this.episode('esc', this.pickRootCause(a, peak), onset, peak, end, weak);
      a.episodes.push(ep);
    }

    // Escalations open right now.
    const nOpen = cnt(3);
    for (let i = 0; i < nOpen; i++) {
      const peak = rng.int(4, 30);
      const onset = peak + rng.int(21, 50);
      const a = this.findAccount(onset, 0);
      if (!a) continue;
      a.episodes.push(
        this.episode('open_esc', this.pickRootCause(a, peak), onset, peak, 0, rng.chance(0.15)),
      );
    }

    // At risk now: signals over the last 2-6 weeks, no escalation yet.
    const nCur = cnt(10);
    for (let i = 0; i < nCur; i++) {
      const onset = rng.int(21, 49);
      const a = this.findAccount(onset, 0);
      if (!a) continue;
      const ep = this.episode('current', this.pickRootCause(a, 0), onset, 0, 0, false);
      ep.signals.add('health');
      while (ep.signals.size < 4)
        ep.signals.add(rng.pick<Signal>(['usage', 'tickets', 'champion', 'competitor', 'usage']));
      if (ep.signals.has('usage')) ep.drop = rng.range(0.5, 0.75);
      ep.healthDrop = Math.max(ep.healthDrop, 20);
      a.episodes.push(ep);
    }

    // False alarms: the same kind of signals, then recovery without an escalation.
    const nFa = cnt(30);
    for (let i = 0; i < nFa; i++) {
      const peak = rng.int(40, 690);
      const onset = peak + rng.int(21, 56);
      const a = this.findAccount(onset, peak - 42);
      if (!a) continue;
      const ep = this.episode('false_alarm', this.pickRootCause(a, peak), onset, peak, peak, false);
      ep.drop *= 0.85;
      a.episodes.push(ep);
    }

    // Quiet churn: small accounts that leave at renewal without an escalation.
    const nSilent = cnt(4);
    for (let i = 0; i < nSilent; i++) {
      const churn = rng.int(30, 600);
      const onset = churn + rng.int(30, 70);
      const a = this.findAccount(onset, churn, (x) => x.segment === 'smb');
      if (!a) continue;
      const ep = this.episode(
        'silent_churn',
        rng.pick<RootCause>(['onboarding_gap', 'competitive', 'relationship_champion']),
        onset,
        churn,
        churn,
        true,
      );
      ep.outcome = 'churned';
      a.episodes.push(ep);
      a.churnD = churn;
    }

    for (const a of this.accounts) a.episodes.sort((x, y) => y.onset - x.onset);
  }

  private settleOutcomes(): void {
    const rng = this.rng;
    for (const a of this.accounts) {
      let arr = a.arrStart;
      for (let i = 0; i < a.episodes.length; i++) {
        const ep = a.episodes[i]!;
        const later = i < a.episodes.length - 1;
        // champion departures
        if (ep.signals.has('champion') && ep.championLeave === null) {
          ep.championLeave = Math.max(
            1,
            ep.onset - rng.int(0, Math.min(14, Math.floor((ep.onset - ep.peak) / 2))),
          );
        }
        if (ep.kind === 'silent_churn') {
          a.churnD = ep.end;
          continue;
        }
        if (ep.kind === 'false_alarm') {
          if (ep.championLeave !== null) ep.championReplace = Math.max(1, ep.championLeave - rng.int(14, 35));
          continue;
        }
        if (ep.kind === 'current') continue;
        // owner of the escalation
        const areaTech =
          ep.area && this.member('tech1').skills.includes(`product:${ep.area}`) ? 'tech1' : 'tech2';
        if (
          (ep.rootCause === 'product_defect' || ep.rootCause === 'performance_outage') &&
          rng.chance(ep.systemic ? 0.55 : 0.4)
        ) {
          ep.ownerKey = ep.systemic && rng.chance(0.5) ? 'tech1' : areaTech;
        } else if (
          (ep.rootCause === 'competitive' || ep.rootCause === 'relationship_champion') &&
          a.segment === 'enterprise' &&
          rng.chance(0.3)
        ) {
          ep.ownerKey = 'vp';
        } else if (ep.rootCause === 'billing' && rng.chance(0.3)) {
          ep.ownerKey = a.ae;
        } else if (rng.chance(0.12)) {
          ep.ownerKey = 'dir';
        } else {
          ep.ownerKey = a.owner;
        }
        // strategies
        const nStrat = a.segment === 'enterprise' ? rng.int(2, 3) : rng.int(1, 3);
        const chosen = new Set<Strategy>();
        if (rng.chance(0.62)) chosen.add(rng.pick(FIT[ep.rootCause]));
        while (chosen.size < nStrat) chosen.add(rng.pick(STRATEGIES));
        ep.strategies = [...chosen];
        if (ep.kind === 'open_esc') continue;
        // outcome
        const fit = ep.strategies.some((s) => FIT[ep.rootCause].includes(s));
        const owner = this.member(ep.ownerKey);
        const skill =
          owner.skills.includes(`category:${ep.rootCause}`) ||
          (ep.area !== null && owner.skills.includes(`product:${ep.area}`));
        let p = BASE_SAVE[ep.rootCause] + (fit ? 0.2 : 0) + (skill ? 0.1 : 0);
        if (ep.signals.has('competitor')) p -= 0.12;
        if (ep.weak) p -= 0.12;
        if (ep.systemic) p += 0.1;
        if (a.segment === 'enterprise') p += 0.04;
        let outcome: Outcome;
        if (rng.chance(p)) {
          outcome =
            (a.expansion === 'high' || a.expansion === 'medium') && rng.chance(0.2) ? 'expanded' : 'saved';
        } else {
          outcome = rng.chance(ep.rootCause === 'competitive' ? 0.72 : 0.58) ? 'churned' : 'downgraded';
        }
        if (outcome === 'churned' && later) outcome = 'downgraded';
        ep.outcome = outcome;
        if (
          ep.championLeave !== null &&
          (outcome === 'saved' || outcome === 'expanded' || outcome === 'downgraded')
        ) {
          const start = ep.end - rng.int(5, 40);
          if (start > 1) ep.championReplace = start;
        }
        const before = arr;
        if (outcome === 'expanded') arr = Math.round((arr * rng.range(1.1, 1.4)) / 500) * 500;
        if (outcome === 'downgraded') arr = Math.round((arr * rng.range(0.5, 0.8)) / 500) * 500;
        arr = clamp(arr, 10_000, 1_500_000);
        ep.arrBefore = before;
        ep.arrAfter = outcome === 'churned' ? 0 : arr;
        if (outcome === 'churned') a.churnD = ep.end;
      }
      a.arr = arr;
    }
  }

  // ------------------------------------------------------------ account rows

  private writeAccount(a: Account): void {
    const contractStart = this.date(a.startD);
    let renewal = this.date(a.renewalD);
    if (a.churnD !== null) renewal = this.date(a.churnD);
    const createdAt = `${this.date(Math.max(a.startD + 14, 1))}T10:00:00.000Z`;
    const updatedAt = `${this.date(1)}T18:00:00.000Z`;
    this.tx.run(SQL.account, [
      a.id,
      SRC,
      `acct-${String(a.id).padStart(5, '0')}`,
      a.name,
      a.segment,
      a.tier,
      a.industry,
      a.arr,
      a.strategic ? 1 : 0,
      a.expansion,
      contractStart,
      renewal,
      this.member(a.owner).id,
      this.member(a.ae).id,
      a.churnD !== null ? 'churned' : 'active',
      createdAt,
      updatedAt,
    ]);
  }

  /** Signal severity of an episode at `d` days before asOf: 0 normal, 1 at the peak. */
  private sev(ep: Episode, d: number): number {
    if (d >= ep.onset) return 0;
    if (d >= ep.peak) return (ep.onset - d) / Math.max(1, ep.onset - ep.peak);
    if (d >= ep.end) return 1 - (0.3 * (ep.peak - d)) / Math.max(1, ep.peak - ep.end);
    const floor = ep.outcome === 'downgraded' ? 0.45 : 0;
    const start = ep.kind === 'false_alarm' ? 1 : 0.7;
    return floor + (start - floor) * Math.max(0, 1 - (ep.end - d) / 42);
  }

  private usageFactor(a: Account, d: number): number {
    let f = 1;
    for (const ep of a.episodes) {
      f *= 1 - ep.drop * this.sev(ep, d);
      if (ep.outcome === 'expanded' && d < ep.end) f *= 1 + 0.15 * Math.min(1, (ep.end - d) / 60);
    }
    return f;
  }

  private healthAt(a: Account, d: number, rng: Rng): number {
    let h = a.baseHealth + a.growth * 10 * (1 - d / 730) + rng.normal() * 3.5;
    for (const ep of a.episodes) h -= ep.healthDrop * this.sev(ep, d);
    return Math.round(clamp(h, 4, 98));
  }

  private writeHistory(a: Account): void {
    const rng = Rng.derive(this.opts.seed, a.idx + 1);
    const contacts = this.writeContacts(a, rng);
    this.writeUsage(a, rng);
    const healthByMonth = this.writeHealth(a, rng);
    this.writeNps(a, contacts, healthByMonth, rng);
    this.writeEngagements(a, contacts, rng);
    this.writeTickets(a, contacts, rng);
    this.writeEscalations(a, rng);
  }

  private alive(a: Account, d: number): boolean {
    return d <= a.startD && (a.churnD === null || d > a.churnD);
  }

  // ------------------------------------------------------------ contacts

  private personName(rng: Rng): [string, string] {
    const first = rng.pick(FIRST_NAMES);
    return [first, `${first} ${rng.pick(SURNAMES)}`];
  }

  private writeContacts(a: Account, rng: Rng): Contact[] {
    const count =
      a.segment === 'enterprise'
        ? rng.int(8, 12)
        : a.segment === 'mid_market'
          ? rng.int(6, 9)
          : rng.int(5, 7);
    const out: Contact[] = [];
    const used = new Set<string>();
    const mk = (
      title: string,
      role: string,
      champion: boolean,
      sponsor: boolean,
      started: number,
      departed: number | null,
    ): Contact => {
      let first = '';
      let name = '';
      for (let t = 0; t < 20 && (!name || used.has(name)); t++) [first, name] = this.personName(rng);
      used.add(name);
      const c: Contact = {
        id: this.nextContact++,
        name,
        first,
        title,
        role,
        champion,
        sponsor,
        started,
        departed,
      };
      out.push(c);
      return c;
    };
    const start = a.startD + rng.int(0, 60);
    mk(rng.pick(SPONSOR_TITLES), 'executive_sponsor', false, true, start, null);
    let champion = mk(
      a.techflow ? 'VP Operations' : rng.pick(CHAMPION_TITLES),
      'champion',
      true,
      false,
      start,
      null,
    );
    if (a.techflow) out[0]!.title = 'COO';
    for (let i = 2; i < count; i++) {
      const started = rng.chance(0.75) ? start : rng.int(30, Math.max(31, a.startD));
      const departed = !a.techflow && rng.chance(0.12) ? rng.int(1, Math.max(2, started - 20)) : null;
      mk(
        rng.pick(CONTACT_TITLES),
        rng.pick(['admin', 'user', 'user', 'billing', 'technical']),
        false,
        false,
        started,
        departed,
      );
    }
    for (const ep of a.episodes) {
      if (ep.championLeave === null) continue;
      champion.departed = ep.championLeave;
      if (ep.championReplace !== null && ep.championReplace < ep.championLeave) {
        champion = mk(rng.pick(CHAMPION_TITLES), 'champion', true, false, ep.championReplace, null);
      }
    }
    if (a.churnD !== null) {
      // nobody "departs" after the customer left; the relationship simply ended
      for (const c of out) if (c.departed !== null && c.departed < a.churnD) c.departed = null;
    }
    for (const c of out) {
      const email = `${c.name.toLowerCase().replace(/[^a-z]+/g, '.')}@${a.slug}.example.com`;
      this.tx.run(SQL.contact, [
        c.id,
        SRC,
        `ct-${c.id}`,
        a.id,
        c.name,
        email,
        c.title,
        c.role,
        c.champion ? 1 : 0,
        c.sponsor ? 1 : 0,
        c.departed !== null ? 'departed' : 'active',
        this.date(c.started),
        c.departed !== null ? this.date(c.departed) : null,
      ]);
    }
    return out;
  }

  private contactAt(
    contacts: Contact[],
    d: number,
    rng: Rng,
    prefer?: (c: Contact) => boolean,
  ): Contact | null {
    const active = contacts.filter((c) => c.started >= d && (c.departed === null || c.departed < d));
    const pool = prefer ? active.filter(prefer) : active;
    if (pool.length > 0) return rng.pick(pool);
    return active.length > 0 ? rng.pick(active) : null;
  }

  // ------------------------------------------------------------ usage

  private writeUsage(a: Account, rng: Rng): void {
    const tf = a.techflow ? TECHFLOW_USAGE : null;
    for (let k = 104; k >= 1; k--) {
      const d = 7 * k;
      if (!this.alive(a, d)) continue;
      const date = this.date(d);
      const md = date.slice(5);
      const holiday = md >= '12-21' || md <= '01-03' ? 0.62 : md >= '08-05' && md <= '08-20' ? 0.88 : 1;
      const ramp = Math.min(1, 0.3 + (0.7 * (a.startD - d)) / 120);
      const trend = 1 + a.growth * (1 - d / 730);
      let users: number;
      let logins: number;
      if (tf && k <= 12) {
        [users, logins] = tf[12 - k]!;
      } else {
        const f = this.usageFactor(a, d) * ramp * trend * holiday;
        users = Math.max(1, Math.round(a.baseUsers * f * (1 + rng.normal() * 0.04)));
        logins = Math.max(
          0,
          Math.round(users * a.lpu * (1 + rng.normal() * 0.07) * (0.85 + 0.15 * this.usageFactor(a, d))),
        );
        if (tf) {
          users = Math.round(300 * (1 + rng.normal() * 0.015));
          logins = Math.round(1225 * (1 + rng.normal() * 0.02) * holiday);
        }
      }
      const kf = Math.round(logins * a.kfRatio * (0.9 + rng.next() * 0.2));
      let sevSum = 0;
      for (const ep of a.episodes) sevSum += ep.signals.has('usage') ? this.sev(ep, d) : 0;
      const feats = clamp(
        Math.round(
          a.featBase * (0.5 + 0.5 * Math.min(1, (a.startD - d) / 180)) - sevSum * 3 + rng.normal() * 0.4,
        ),
        1,
        14,
      );
      this.usage.push([SRC, a.id, date, users, logins, kf, feats]);
    }
  }

  // ------------------------------------------------------------ health & NPS

  private writeHealth(a: Account, rng: Rng): Map<number, number> {
    const out = new Map<number, number>();
    for (let k = 23; k >= 0; k--) {
      const d = 2 + 30 * k;
      if (!this.alive(a, d)) continue;
      let score = this.healthAt(a, d, rng);
      if (a.techflow) score = k <= 3 ? TECHFLOW_HEALTH[k]! : clamp(Math.round(79 + rng.normal() * 2), 74, 84);
      out.set(d, score);
      this.health.push([SRC, `hs-${a.id}-${k}`, a.id, `${this.date(d)}T06:00:00.000Z`, score]);
    }
    return out;
  }

  private writeNps(a: Account, contacts: Contact[], health: Map<number, number>, rng: Rng): void {
    const pResp = a.segment === 'enterprise' ? 0.8 : a.segment === 'mid_market' ? 0.6 : 0.4;
    const rows: [number, number, number, string][] = [];
    for (let q = 7; q >= 0; q--) {
      const d = 20 + 91 * q + (a.idx % 5);
      if (!this.alive(a, d) || !rng.chance(pResp)) continue;
      const respondents = a.segment === 'smb' ? 1 : rng.int(1, 2);
      for (let r = 0; r < respondents; r++) {
        const c = this.contactAt(contacts, d, rng);
        if (!c) continue;
        let h = health.get(2 + 30 * Math.round((d - 2) / 30)) ?? this.healthAt(a, d, rng);
        if (a.techflow) h = 72;
        let score = clamp(Math.round(h / 9.3 + rng.normal() * 1.6), 0, 10);
        if (a.techflow) score = clamp(score, 7, 9);
        rows.push([d, c.id, score, this.npsComment(score, rng, rng.pick(DEMO_COMPETITORS))]);
      }
    }
    for (const ep of a.episodes) {
      if (!ep.signals.has('nps') || ep.custom) continue;
      const d = Math.max(1, rng.int(ep.peak, Math.max(ep.peak, ep.onset - 7)));
      if (!this.alive(a, d)) continue;
      const c = this.contactAt(contacts, d, rng);
      if (!c) continue;
      const score = rng.int(0, 5);
      const comment =
        ep.signals.has('competitor') && rng.chance(0.5)
          ? `We are looking at ${ep.competitor} because of the recurring problems.`
          : this.npsComment(score, rng, ep.competitor);
      rows.push([d, c.id, score, comment]);
    }
    rows.sort((x, y) => y[0] - x[0]);
    let i = 0;
    for (const [d, cid, score, comment] of rows) {
      const at = this.ts(this.msAt(d, rng));
      this.tx.run(SQL.nps, [SRC, `nps-${a.id}-${i++}`, a.id, cid, at, score, comment || null]);
    }
  }

  private npsComment(score: number, rng: Rng, competitor: string): string {
    const band =
      score >= 9 ? NPS_COMMENTS.promoter : score >= 7 ? NPS_COMMENTS.passive : NPS_COMMENTS.detractor;
    return fill(rng.pick(band), { competitor });
  }

  // ------------------------------------------------------------ engagements

  private writeEngagements(a: Account, contacts: Contact[], rng: Rng): void {
    type Row = [number, number | null, number, string, number, string];
    const rows: Row[] = [];
    const seg = a.segment;
    const perMonth: Record<string, number> = {
      email: seg === 'enterprise' ? 1.4 : seg === 'mid_market' ? 0.8 : 0.4,
      call: seg === 'enterprise' ? 0.8 : seg === 'mid_market' ? 0.35 : 0.15,
      meeting: seg === 'enterprise' ? 0.5 : seg === 'mid_market' ? 0.2 : 0.04,
      csm_note: seg === 'enterprise' ? 0.3 : seg === 'mid_market' ? 0.15 : 0.05,
    };
    const owner = this.member(a.owner);
    const execGap = (d: number) =>
      a.episodes.some((ep) => ep.signals.has('exec_gap') && d >= ep.peak && d <= ep.peak + 100);
    const quiet = (d: number) =>
      a.episodes.some((ep) => ep.signals.has('quiet') && d <= ep.onset && d >= ep.peak);
    const slots = (d: number): Record<string, string> => ({
      area: AREA_LABELS[rng.pick(['reporting', 'dashboards', 'workflows', 'integrations', 'api'])]!,
      contact: this.contactAt(contacts, d, rng, (x) => !x.sponsor)?.name ?? 'the customer',
      n: String(rng.int(2, 6)),
    });
    const first = Math.min(a.startD, 728);
    const lastD = a.churnD ?? 0;
    for (const [kind, rate] of Object.entries(perMonth)) {
      if (rate <= 0) continue;
      let d = first - rng.range(0, 30 / rate);
      while (d > lastD + 1 && d >= 1) {
        const skip = quiet(d) && rng.chance(0.7);
        if (!skip) {
          const s = slots(d);
          const text =
            kind === 'email'
              ? ENGAGEMENT_TEXT.email
              : kind === 'call'
                ? ENGAGEMENT_TEXT.call
                : kind === 'meeting'
                  ? ENGAGEMENT_TEXT.meeting
                  : ENGAGEMENT_TEXT.note;
          const c = kind === 'csm_note' ? null : this.contactAt(contacts, d, rng, (x) => !x.sponsor);
          rows.push([d, c?.id ?? null, owner.id, kind, 0, fill(rng.pick(text), s)]);
        }
        d -= rng.range(0.4, 1.6) * (30 / rate);
      }
    }
    // QBRs and executive touchpoints
    const qbrEvery = seg === 'enterprise' ? 91 : seg === 'mid_market' ? 182 : 0;
    if (qbrEvery) {
      for (let d = first - rng.int(20, qbrEvery); d > lastD + 1 && d >= 1; d -= qbrEvery + rng.int(-12, 12)) {
        const c = this.contactAt(contacts, d, rng, (x) => x.champion) ?? this.contactAt(contacts, d, rng);
        const exec = !execGap(d) && !(a.techflow && d < 118) && rng.chance(0.3) ? 1 : 0;
        rows.push([
          d,
          c?.id ?? null,
          owner.id,
          'qbr',
          exec,
          fill(rng.pick(ENGAGEMENT_TEXT.qbr), { contact: c?.name ?? 'the customer' }),
        ]);
      }
    }
    const execEvery = seg === 'enterprise' ? 60 : seg === 'mid_market' ? 140 : 320;
    const execP = seg === 'smb' ? 0.35 : 1;
    let d = first - rng.int(10, execEvery);
    if (a.techflow) d = 120 + 60 * Math.floor((first - 120) / 60);
    while (d > lastD + 1 && d >= 1) {
      if (a.techflow ? d >= 120 : !execGap(d) && rng.chance(execP)) {
        const sponsor = this.contactAt(contacts, d, rng, (x) => x.sponsor);
        const who = this.member(
          a.segment === 'enterprise' && rng.chance(0.6) ? 'vp' : rng.chance(0.5) ? a.ae : 'dir',
        );
        const text = fill(rng.pick(ENGAGEMENT_TEXT.exec), {
          member: who.name,
          sponsorTitle: sponsor?.title ?? 'executive sponsor',
          n: String(rng.int(2, 5)),
        });
        rows.push([d, sponsor?.id ?? null, who.id, 'exec_touchpoint', 1, text]);
      }
      d -= a.techflow ? 60 : execEvery + rng.int(-15, 15);
    }
    // notes of concern during episodes, and the work done during escalations
    for (const ep of a.episodes) {
      if (ep.custom) continue;
      if (!ep.weak && ep.kind !== 'silent_churn' && rng.chance(0.7)) {
        const dn = rng.int(ep.peak + 1, Math.max(ep.peak + 1, ep.onset - 5));
        if (dn >= 1 && this.alive(a, dn)) {
          const concerns: string[] = [ENGAGEMENT_TEXT.noteConcern[0]!, ENGAGEMENT_TEXT.noteConcern[1]!];
          if (ep.signals.has('competitor'))
            concerns.push(ENGAGEMENT_TEXT.noteConcern[2]!, ENGAGEMENT_TEXT.noteConcern[2]!);
          if (ep.signals.has('quiet')) concerns.push(ENGAGEMENT_TEXT.noteConcern[4]!);
          const departed = contacts.find((c) => c.champion && c.departed === ep.championLeave);
          let tpl = rng.pick(concerns);
          if (departed && ep.championLeave !== null && ep.championLeave >= dn)
            tpl = ENGAGEMENT_TEXT.noteConcern[3]!;
          const text = fill(tpl, {
            contact: this.contactAt(contacts, dn, rng)?.name ?? 'the customer',
            area: AREA_LABELS[ep.area ?? 'dashboards']!,
            competitor: ep.competitor,
            champion: departed?.name ?? 'our champion',
          });
          rows.push([dn, null, owner.id, 'csm_note', 0, text]);
        }
      }
      if (ep.kind === 'esc' || ep.kind === 'open_esc') {
        const lo = Math.max(1, ep.end);
        for (const s of ep.strategies) {
          const ds = rng.int(lo, Math.max(lo, ep.peak - 1));
          if (ds < 1) continue;
          const isExec = s === 'executive_outreach';
          const who = isExec
            ? this.member(a.segment === 'enterprise' ? 'vp' : 'dir')
            : this.member(ep.ownerKey);
          const sponsor = this.contactAt(contacts, ds, rng, (x) => (isExec ? x.sponsor : !x.sponsor));
          rows.push([
            ds,
            sponsor?.id ?? null,
            who.id,
            isExec ? 'exec_touchpoint' : s === 'commercial_concession' ? 'email' : 'meeting',
            isExec ? 1 : 0,
            fill(STRATEGY_NOTE[s], { leader: who.name }),
          ]);
        }
      }
    }
    if (a.techflow) {
      const c = contacts.find((x) => x.champion)!;
      rows.push([
        19,
        null,
        owner.id,
        'csm_note',
        0,
        `Champion ${c.name} (VP Operations) has left the company; no replacement contact identified yet.`,
      ]);
      rows.push([
        9,
        null,
        owner.id,
        'csm_note',
        0,
        'Support tickets piling up around dashboards and reporting; customer tone getting sharper.',
      ]);
    }
    rows.sort((x, y) => y[0] - x[0]);
    let i = 0;
    for (const [dd, cid, mid, kind, exec, summary] of rows) {
      const at = this.ts(this.msAt(dd, rng));
      this.engagements.push([SRC, `eng-${a.id}-${i++}`, a.id, cid, mid, at, kind, exec, summary]);
    }
  }

  // ------------------------------------------------------------ tickets

  private writeTickets(a: Account, contacts: Contact[], rng: Rng): void {
    const specs: TicketSpec[] = [...a.extraTickets];
    const first = Math.min(a.startD, 728);
    const lastD = a.churnD ?? 0;
    if (a.techflow) {
      // About one a month before the last two weeks.
      for (let d = 40; d < first; d += rng.int(26, 34)) {
        specs.push({
          d,
          kind: rng.weighted(BASELINE_KINDS.filter(([k]) => k !== 'competitor')),
          tone: 'neutral',
          area: null,
        });
      }
      specs.push(...techflowTickets());
    } else {
      for (let m = 0; m * 30 < first; m++) {
        const hi = Math.min(first, (m + 1) * 30);
        const lo = m * 30;
        if (hi <= lastD) continue;
        let rate = a.ticketRate;
        if (a.startD - lo < 120) rate *= 1.6; // onboarding months are busier
        const c = rng.poisson(rate * ((hi - lo) / 30));
        for (let i = 0; i < c; i++) {
          const d = rng.range(Math.max(lo, lastD + 1), hi);
          let kind = rng.weighted(BASELINE_KINDS);
          if (a.startD - d < 120 && rng.chance(0.3)) kind = 'onboarding';
          const tone: Tone =
            kind === 'praise' || kind === 'competitor'
              ? 'neutral'
              : rng.chance(0.13)
                ? 'negative'
                : 'neutral';
          specs.push({ d, kind, tone, area: null });
        }
      }
      for (const ep of a.episodes) this.episodeTickets(a, ep, specs, rng);
    }
    specs.sort((x, y) => y.d - x.d);
    for (const s of specs) {
      if (s.d < 0.05 || !this.alive(a, Math.ceil(s.d))) continue;
      this.writeTicket(a, contacts, s, rng);
    }
  }

  private episodeTickets(a: Account, ep: Episode, specs: TicketSpec[], rng: Rng): void {
    if (ep.custom) return;
    const win = Math.max(1, ep.onset - ep.peak);
    const at = () => Math.max(0.2, ep.peak + win * (1 - Math.sqrt(rng.next()))); // skewed toward the peak
    const version = ep.peak > 75 ? 'v4.2' : 'v4.3';
    if (ep.signals.has('tickets')) {
      const n = (a.segment === 'enterprise' ? rng.int(3, 6) : rng.int(2, 4)) + (ep.systemic ? 1 : 0);
      for (let i = 0; i < n; i++) {
        const kind: TicketKind = ep.systemic
          ? rng.chance(0.85)
            ? 'integration_sync'
            : 'integration_general'
          : episodeKind(ep, rng);
        specs.push({
          d: at(),
          kind,
          tone: rng.chance(0.88) ? 'negative' : 'neutral',
          area: ep.area,
          version,
        });
      }
    } else if (!ep.weak || rng.chance(0.4)) {
      specs.push({
        d: at(),
        kind: episodeKind(ep, rng),
        tone: rng.chance(0.5) ? 'negative' : 'neutral',
        area: ep.area,
        version,
      });
    }
    if (ep.signals.has('competitor')) {
      specs.push({
        d: Math.max(0.2, ep.peak + rng.range(0, Math.min(14, win))),
        kind: 'competitor',
        tone: 'negative',
        area: ep.area,
        competitor: ep.competitor,
      });
    }
    if (ep.kind === 'esc' || ep.kind === 'open_esc') {
      // follow-ups while the escalation is handled
      const c = rng.int(0, 2);
      for (let i = 0; i < c; i++) {
        const d = rng.range(Math.max(0.2, ep.end), ep.peak);
        specs.push({
          d,
          kind: ep.systemic ? 'integration_sync' : episodeKind(ep, rng),
          tone: rng.chance(0.5) ? 'negative' : 'neutral',
          area: ep.area,
          version,
        });
      }
    }
    if (ep.outcome === 'churned' && rng.chance(0.6)) {
      specs.push({ d: ep.end + rng.range(1, 10), kind: 'cancellation', tone: 'negative', area: 'billing' });
    }
  }

  private writeTicket(a: Account, contacts: Contact[], s: TicketSpec, rng: Rng): void {
    const id = this.nextTicket++;
    const ext = `ZD-${100000 + id}`;
    const cust = this.contactAt(contacts, Math.ceil(s.d), rng, (c) => !c.sponsor);
    const agent = rng.pick(SUPPORT_AGENTS);
    const t0 = s.custom
      ? this.asOfMs - s.d * DAY + (13 * 60 + rng.int(0, 240)) * 60_000
      : this.asOfMs -
        Math.max(1, Math.ceil(s.d)) * DAY +
        rng.int(rng.chance(0.1) ? 0 : 12 * 60, 23 * 60) * 60_000;
    const created = Math.min(t0, this.asOfMs - 2 * HOUR);
    const endMs = this.asOfMs - 60_000;
    const msgs: [string, string, number][] = [];
    let subject: string;
    let area: string;
    let category: string;
    let priority: string;
    let closedThread = false;
    if (s.custom) {
      subject = s.custom.subject;
      area = s.custom.area;
      category = s.custom.category;
      priority = s.custom.priority;
      for (const m of s.custom.messages) {
        const t = created + m.hours * HOUR;
        if (t < endMs) msgs.push([m.side, m.body, t]);
      }
    } else {
      const spec = THREADS[s.kind];
      const fits = s.area ? spec.topics.filter((tp) => tp.areas.includes(s.area!)) : [];
      const topic = fits.length > 0 ? rng.pick(fits) : rng.pick(spec.topics);
      const areas = topic.areas.length > 0 ? topic.areas : spec.areas;
      area = s.area && areas.includes(s.area) ? s.area : rng.pick(areas);
      category = spec.category;
      const slots: Record<string, string> = {
        first: cust?.first ?? 'there',
        cname: cust?.name ?? '',
        title: cust?.title ?? '',
        agent: agent.split(' ')[0]!,
        agentFull: agent,
        area: AREA_LABELS[area] ?? area,
        report: rng.pick(REPORTS),
        n: String(rng.int(3, 40)),
        minutes: String(rng.pick([25, 30, 40, 45, 50, 55, 60, 75, 90])),
        hours: String(rng.int(2, 9)),
        days: String(rng.int(3, 12)),
        pct: String(rng.int(4, 35)),
        competitor: s.competitor ?? rng.pick(DEMO_COMPETITORS),
        system: rng.pick(SYSTEMS),
        version: s.version ?? 'v4.2',
        invoice: `INV-${rng.int(20000, 89999)}`,
        amount: `$${rng.int(4, 90) * 100}`,
        seats: String(rng.int(10, 120)),
        device: rng.pick(DEVICES),
        weekday: rng.pick(WEEKDAYS),
        hour: String(rng.int(6, 20)).padStart(2, '0'),
        count: String(rng.int(40, 4000)),
      };
      subject = fill(rng.pick(topic.subjects), slots);
      subject = subject.charAt(0).toUpperCase() + subject.slice(1);
      priority = rng.weighted(spec.priority[s.tone]);
      let t = created;
      const sign = cust ? rng.pick(CUSTOMER_SIGN) : '';
      const agentSign = rng.pick(AGENT_SIGN);
      const cap = (x: string) => x.charAt(0).toUpperCase() + x.slice(1);
      const dress = (side: string, body: string, opener = false): string => {
        if (side === 'agent') return fill(`${body}${agentSign}`, slots);
        if (body.length < 60 && rng.chance(0.6)) return cap(body); // terse complaints stay terse
        const greet = opener && !/^(hi|hello|thanks|just)\b/i.test(body) ? rng.pick(CUSTOMER_GREET) : '';
        return fill(`${greet}${cap(body)}${sign}`, slots);
      };
      msgs.push(['customer', dress('customer', fill(rng.pick(topic.open[s.tone]), slots), true), t]);
      const push = (side: string, body: string, lo: number, hi: number): boolean => {
        t += rng.range(lo, hi) * HOUR;
        if (t >= endMs) return false;
        msgs.push([side, dress(side, body), t]);
        return true;
      };
      let ok = push('agent', fill(rng.pick(topic.agent), slots), 0.3, s.tone === 'negative' ? 30 : 14);
      if (ok && rng.chance(s.tone === 'negative' ? 0.8 : 0.5)) {
        ok = push('customer', fill(rng.pick(spec.follow[s.tone]), slots), 1, 40);
        if (ok && s.tone === 'negative' && rng.chance(0.3)) {
          ok =
            push('agent', fill(rng.pick(AGENT_CHASE), slots), 1, 20) &&
            push('customer', fill(rng.pick(spec.follow.negative), slots), 4, 48);
        }
      }
      if (ok)
        ok = push(
          'agent',
          fill(rng.pick(topic.close ?? spec.close), slots),
          2,
          s.kind === 'outage' ? 24 : 96,
        );
      if (ok && rng.chance(0.35)) {
        const final = s.tone === 'negative' && rng.chance(0.6) ? CUSTOMER_TERSE : CUSTOMER_THANKS;
        push('customer', fill(rng.pick(final), slots), 1, 24);
      }
      closedThread = ok;
    }
    const last = msgs[msgs.length - 1]!;
    let status: string;
    let solvedAt: string | null = null;
    if (closedThread) {
      status = this.asOfMs - last[2] > 7 * DAY ? 'closed' : 'solved';
      solvedAt = this.ts(last[2]);
    } else if (msgs.length === 1) {
      status = this.asOfMs - created < 1 * DAY ? 'new' : 'open';
    } else {
      status = last[0] === 'agent' ? 'pending' : 'open';
    }
    this.tx.run(SQL.ticket, [
      id,
      SRC,
      ext,
      a.id,
      cust?.id ?? null,
      subject,
      area,
      category,
      priority,
      status,
      this.ts(created),
      this.ts(last[2]),
      solvedAt,
    ]);
    let i = 0;
    for (const [side, body, t] of msgs) {
      this.messages.push([
        SRC,
        `${ext}-${++i}`,
        id,
        side,
        side === 'customer' ? (cust?.name ?? 'Customer') : agent,
        body,
        this.ts(t),
      ]);
    }
  }

  // ------------------------------------------------------------ escalations

  private writeEscalations(a: Account, rng: Rng): void {
    for (const ep of a.episodes) {
      if (ep.kind !== 'esc' && ep.kind !== 'open_esc') continue;
      const id = this.nextEscalation++;
      const owner = this.member(ep.ownerKey);
      const leader = this.member(rng.chance(a.segment === 'enterprise' ? 0.6 : 0.3) ? 'vp' : 'dir');
      const openedMs = this.msAt(ep.peak, rng);
      const decidedMs = openedMs + rng.range(1, ep.weak ? 8 : 30) * HOUR;
      const ackMs = decidedMs + rng.range(0.5, 20) * HOUR;
      const historical = ep.kind === 'esc';
      const resolvedMs = historical ? Math.max(ackMs + 2 * DAY, this.msAt(ep.end, rng)) : null;
      const closedMs = resolvedMs !== null && rng.chance(0.7) ? resolvedMs + rng.int(2, 14) * DAY : null;
      const closed = closedMs !== null && closedMs < this.asOfMs - HOUR;
      const version = ep.peak > 75 ? 'v4.2' : 'v4.3';
      const summary = fill(rng.pick(ep.systemic ? SYSTEMIC_SUMMARY : SUMMARY[ep.rootCause]), {
        area: AREA_LABELS[ep.area ?? 'dashboards']!,
        competitor: ep.competitor,
        system: rng.pick(SYSTEMS),
        version,
      });
      const priority =
        a.segment === 'enterprise' || a.strategic
          ? rng.chance(0.55)
            ? 'critical'
            : 'high'
          : a.segment === 'mid_market'
            ? rng.chance(0.6)
              ? 'high'
              : 'medium'
            : rng.chance(0.6)
              ? 'medium'
              : 'low';
      const severity = rng.weighted<string>([
        ['major', ep.weak ? 1 : 3],
        ['moderate', 3],
        ['minor', ep.weak ? 3 : 1],
      ]);
      let status: string;
      let ackAt: string | null = this.ts(ackMs);
      if (historical) status = closed ? 'closed' : 'resolved';
      else if (ackMs >= this.asOfMs - HOUR) {
        status = 'open';
        ackAt = null;
      } else status = ep.peak > 7 ? 'in_progress' : 'acknowledged';
      const decidedAt = decidedMs < this.asOfMs - HOUR ? this.ts(decidedMs) : null;
      this.tx.run(SQL.escalation, [
        id,
        SRC,
        `ESC-${1000 + id}`,
        a.id,
        status,
        priority,
        ep.rootCause,
        severity,
        summary,
        ep.area,
        this.ts(openedMs),
        decidedAt ? leader.name : null,
        decidedAt,
        owner.id,
        ackAt,
        resolvedMs !== null ? this.ts(resolvedMs) : null,
        closed ? this.ts(closedMs!) : null,
      ]);
      const ev = (ms: number, kind: string, actor: string, detail: Record<string, unknown>) => {
        if (ms < this.asOfMs - 60_000)
          this.tx.run(SQL.event, [id, this.ts(ms), kind, actor, JSON.stringify(detail)]);
      };
      const opener =
        ep.openedVia === 'csm'
          ? this.member(a.owner).name
          : ep.openedVia === 'support'
            ? rng.pick(SUPPORT_AGENTS)
            : 'customer';
      ev(openedMs, 'opened', opener, { via: ep.openedVia, summary });
      if (decidedAt) ev(decidedMs, 'confirmed', leader.name, { priority, owner: owner.name });
      if (ackAt) ev(ackMs, 'acknowledged', owner.name, {});
      const lastMs = resolvedMs ?? this.asOfMs - HOUR;
      ep.strategies.forEach((s, i) => {
        const t = ackMs + ((lastMs - ackMs) * (i + 1)) / (ep.strategies.length + 1);
        ev(t, 'note', owner.name, { text: fill(STRATEGY_NOTE[s], { leader: leader.name }), strategy: s });
      });
      if (!historical) continue;
      const outcome = ep.outcome!;
      const notes = rng.pick(OUTCOME_NOTE[outcome]);
      ev(resolvedMs!, 'resolved', owner.name, { outcome, note: notes });
      if (closed) ev(closedMs!, 'closed', leader.name, {});
      this.tx.run(SQL.outcome, [
        SRC,
        `out-${id}`,
        id,
        outcome,
        round2(ep.arrBefore),
        round2(ep.arrAfter),
        this.ts(resolvedMs!),
        ep.rootCause,
        JSON.stringify(ep.strategies),
        notes,
        owner.name,
      ]);
    }
  }
}

const CUSTOMER_GREET = [
  '',
  'Hi,\n\n',
  'Hi team,\n\n',
  'Hello,\n\n',
  'Hi {agent},\n\n',
  'Good morning,\n\n',
  'Hi support,\n\n',
  'Hello team,\n\n',
];
const CUSTOMER_SIGN = [
  '',
  '\n\nThanks,\n{first}',
  '\n\n{cname}\n{title}',
  '\n\nRegards,\n{cname}',
  '\n\n- {first}',
  '\n\nBest,\n{first}',
  '\n\nSent from my phone',
];
const AGENT_SIGN = [
  '\n\nBest regards,\n{agentFull}\nCustomer Support',
  '\n\n{agentFull}, Support Team',
  '\n\nKind regards,\n{agent}',
  '\n\nThanks,\n{agent} | Support',
  '',
];

/** A ticket kind for an episode, matching its product area where the area says more than the root cause. */
const episodeKind = (ep: Episode, rng: Rng): TicketKind => {
  if (ep.rootCause === 'product_defect') {
    if (ep.area === 'data_export') return 'data_export';
    if (ep.area === 'mobile') return 'mobile_crash';
    if (ep.area === 'api' || ep.area === 'integrations') return 'integration_general';
    return rng.chance(0.85) ? 'bug' : rng.pick(EPISODE_TICKETS.product_defect);
  }
  return rng.pick(EPISODE_TICKETS[ep.rootCause]);
};

const AGENT_CHASE = [
  'Hi {first}, understood, and I am sorry this is dragging on. I have escalated to the engineering lead and asked for a date today.',
  'Hi {first}, I hear you. I have brought in a senior engineer and we will update you by end of day.',
];

// ---------------------------------------------------------------- TechFlow Industries, exactly

/**
 * Weekly [active users, logins] for the 12 periods before asOf, oldest first (periods starting 84..7 days
 * before asOf). Logins in periods starting in the last 45 days (7..42) sum to 2,751; in the 45 days before
 * (49..84) to 7,240: down 62.0%.
 */
const TECHFLOW_USAGE: [number, number][] = [
  [301, 1240],
  [298, 1215],
  [299, 1230],
  [296, 1198],
  [294, 1185],
  [292, 1172],
  [226, 690],
  [198, 560],
  [176, 480],
  [158, 410],
  [139, 340],
  [121, 271],
];

/** Monthly health scores by months ago (0 = 2 days ago, 1 = 32, 2 = 62, 3 = 92). */
const TECHFLOW_HEALTH: Record<number, number> = { 0: 43, 1: 61, 2: 78, 3: 77 };

const techflowTickets = (): TicketSpec[] => [
  {
    d: 13,
    kind: 'performance',
    tone: 'negative',
    area: 'dashboards',
    custom: {
      subject: 'Operations dashboards timing out',
      area: 'dashboards',
      category: 'performance',
      priority: 'high',
      messages: [
        {
          side: 'customer',
          hours: 0,
          body: 'Our plant operations dashboards have been timing out every morning since last week. Shift leads cannot see overnight output and are falling back to spreadsheets.',
        },
        {
          side: 'agent',
          hours: 5,
          body: 'Hi, thanks for the report. We see slow queries on your workspace and have passed this to engineering. We will update you as soon as we have more.',
        },
        { side: 'customer', hours: 30, body: 'Any update? It is still timing out today.' },
      ],
    },
  },
  {
    d: 10,
    kind: 'bug',
    tone: 'negative',
    area: 'reporting',
    custom: {
      subject: 'Scheduled production reports not delivered',
      area: 'reporting',
      category: 'defect',
      priority: 'high',
      messages: [
        {
          side: 'customer',
          hours: 0,
          body: 'The weekly production report did not go out on Monday or Tuesday. Our plant managers did not get their numbers. This has never happened before.',
        },
        {
          side: 'agent',
          hours: 7,
          body: 'Hi, apologies for this. We found a failed delivery job for your schedules and are re-sending the reports now. Investigating the cause.',
        },
        {
          side: 'customer',
          hours: 26,
          body: 'Received the re-sent reports, but the totals do not match last week. Please check.',
        },
        {
          side: 'agent',
          hours: 50,
          body: 'We are looking into the totals with the reporting team and will come back to you.',
        },
      ],
    },
  },
  {
    d: 6,
    kind: 'sso_access',
    tone: 'negative',
    area: 'sso',
    custom: {
      subject: 'Users locked out after SSO certificate rotation',
      area: 'sso',
      category: 'access',
      priority: 'urgent',
      messages: [
        {
          side: 'customer',
          hours: 0,
          body: 'About 40 of our users are stuck in a login loop since our IT team rotated the SSO certificate. I was on hold for 45 minutes and nobody answered.',
        },
        {
          side: 'agent',
          hours: 3,
          body: 'Hi, sorry for the wait. The SAML responses are failing signature validation; please upload the new certificate under Settings > SSO and we will verify.',
        },
        { side: 'customer', hours: 6, body: 'Uploaded. Most users are back in, a few still loop.' },
        {
          side: 'agent',
          hours: 28,
          body: 'Those remaining users had cached sessions; clearing them now. Marking as pending your confirmation.',
        },
      ],
    },
  },
  {
    d: 2,
    kind: 'competitor',
    tone: 'negative',
    area: 'dashboards',
    custom: {
      subject: 'Fourth ticket in two weeks - still no fix',
      area: 'dashboards',
      category: 'account_management',
      priority: 'urgent',
      messages: [
        {
          side: 'customer',
          hours: 0,
          body:
            'This is the fourth ticket we have opened in two weeks and the dashboards still time out every morning. Frankly, we are frustrated: since our VP Operations left, nobody on your side seems to own our account. ' +
            `We are now evaluating alternatives, including a trial of competitor platform ${TECHFLOW_COMPETITOR}, and I need to know by Friday whether this will be fixed.`,
        },
        {
          side: 'agent',
          hours: 4,
          body: 'Thank you for telling us directly, and I am sorry for the experience. I have escalated the open dashboard and reporting issues and asked your account team to contact you today.',
        },
      ],
    },
  },
];
