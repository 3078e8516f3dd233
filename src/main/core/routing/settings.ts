/**
 * SLA policies, escalation paths and routing settings: defaults from the seed, overridable per portfolio.
 *
 * Defaults (the seed: "Critical: immediate, with an executive summary; High: a task with a 24-hour SLA;
 * Medium: weekly review"):
 *   critical  24x7 calendar time: acknowledge within 1 h, progress within 4 h; notified at once (quiet hours and
 *             alert budgets do not hold it back), with an executive summary to the VP of CS.
 *             Path: no acknowledgement in 1 h -> CS leader; no progress in 1 day -> VP of CS + account executive.
 *   high      owner's business hours: acknowledge within 2 business hours, progress within 8 business hours
 *             (one business day — the seed's "24-hour SLA": confirmed Monday 10:00 it is due Tuesday 10:00, but
 *             confirmed Friday evening it is due Monday rather than on Saturday).
 *             Path: no acknowledgement in 2 business hours -> CS leader; no progress in 3 business days
 *             (24 business hours) -> VP of CS + account executive.
 *   medium    business hours: acknowledge within 2 business days, progress within a business week (weekly review).
 *             Path: no progress in a business week -> CS leader. Notifications go into the daily digest.
 *   low       business hours: acknowledge within a business week; monitor only; no path; digest only.
 * Every clock warns at 75% of its target.
 */
import { PRIORITIES, type Priority } from '../../../shared/domain';
import type { PathStep, RoutingSettings, SlaPolicy } from '../../../shared/routing-types';
import type { Tx } from '../db/store';
import type { RoutingCtx } from './ctx';

const H = 60;
const BDAY = 8 * H;

export const DEFAULT_POLICIES: Record<Priority, SlaPolicy> = {
  critical: {
    priority: 'critical',
    clock: 'calendar',
    targets: [
      { kind: 'ack', minutes: 1 * H },
      { kind: 'progress', minutes: 4 * H },
    ],
    warnPct: 75,
    handling: 'immediate',
    description:
      'Immediate: 24x7, acknowledge within 1 hour, progress within 4 hours; executive summary to the VP of CS.',
  },
  high: {
    priority: 'high',
    clock: 'business',
    targets: [
      { kind: 'ack', minutes: 2 * H },
      { kind: 'progress', minutes: BDAY },
    ],
    warnPct: 75,
    handling: 'task',
    description:
      'A task with a 24-hour SLA: acknowledge within 2 business hours, progress within one business day.',
  },
  medium: {
    priority: 'medium',
    clock: 'business',
    targets: [
      { kind: 'ack', minutes: 2 * BDAY },
      { kind: 'progress', minutes: 5 * BDAY },
    ],
    warnPct: 75,
    handling: 'weekly_review',
    description: 'Weekly review: acknowledge within 2 business days, progress within a business week.',
  },
  low: {
    priority: 'low',
    clock: 'business',
    targets: [{ kind: 'ack', minutes: 5 * BDAY }],
    warnPct: 75,
    handling: 'monitor',
    description: 'Monitor: acknowledge within a business week.',
  },
};

export const DEFAULT_PATHS: Record<Priority, PathStep[]> = {
  critical: [
    { level: 1, when: 'no_ack', afterMinutes: 1 * H, clock: 'calendar', notify: ['cs_leader'] },
    {
      level: 2,
      when: 'no_progress',
      afterMinutes: 24 * H,
      clock: 'calendar',
      notify: ['vp_cs', 'account_executive'],
    },
  ],
  high: [
    { level: 1, when: 'no_ack', afterMinutes: 2 * H, clock: 'business', notify: ['cs_leader'] },
    {
      level: 2,
      when: 'no_progress',
      afterMinutes: 3 * BDAY,
      clock: 'business',
      notify: ['vp_cs', 'account_executive'],
    },
  ],
  medium: [
    { level: 1, when: 'no_progress', afterMinutes: 5 * BDAY, clock: 'business', notify: ['cs_leader'] },
  ],
  low: [],
};

export const DEFAULT_SETTINGS: RoutingSettings = { autoAssign: true, holidays: [], appUrl: null };

type Reader = Pick<Tx, 'get' | 'all'>;

export const getPolicy = (db: Reader, priority: Priority): SlaPolicy => {
  const row = db.get<{ config: string }>('SELECT config FROM sla_policies WHERE priority = ?', [priority]);
  return row ? (JSON.parse(row.config) as SlaPolicy) : DEFAULT_POLICIES[priority];
};

export const listPolicies = (db: Reader): SlaPolicy[] => PRIORITIES.map((p) => getPolicy(db, p));

export const savePolicy = (ctx: RoutingCtx, policy: SlaPolicy): SlaPolicy => {
  ctx.store.write((tx) =>
    tx.run(
      `INSERT INTO sla_policies(priority, config, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(priority) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`,
      [policy.priority, JSON.stringify(policy), ctx.now().toISOString()],
    ),
  );
  return policy;
};

export const getPath = (db: Reader, priority: Priority): PathStep[] => {
  const row = db.get<{ steps: string }>('SELECT steps FROM escalation_paths WHERE priority = ?', [priority]);
  return row ? (JSON.parse(row.steps) as PathStep[]) : DEFAULT_PATHS[priority];
};

export const savePath = (ctx: RoutingCtx, priority: Priority, steps: PathStep[]): PathStep[] => {
  const sorted = [...steps].sort((a, b) => a.level - b.level);
  ctx.store.write((tx) =>
    tx.run(
      `INSERT INTO escalation_paths(priority, steps, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(priority) DO UPDATE SET steps = excluded.steps, updated_at = excluded.updated_at`,
      [priority, JSON.stringify(sorted), ctx.now().toISOString()],
    ),
  );
  return sorted;
};

export const getSettings = (db: Reader): RoutingSettings => {
  const row = db.get<{ value: string }>("SELECT value FROM routing_settings WHERE key = 'settings'");
  return row
    ? { ...DEFAULT_SETTINGS, ...(JSON.parse(row.value) as Partial<RoutingSettings>) }
    : DEFAULT_SETTINGS;
};

export const saveSettings = (ctx: RoutingCtx, patch: Partial<RoutingSettings>): RoutingSettings => {
  const next = { ...getSettings(ctx.store), ...patch };
  ctx.store.write((tx) =>
    tx.run(
      `INSERT INTO routing_settings(key, value) VALUES ('settings', ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      [JSON.stringify(next)],
    ),
  );
  return next;
};

/** The link back into the app for an escalation: web-mode URL when configured, else the bellwether:// scheme. */
export const escalationLink = (db: Reader, escalationId: number): string => {
  const base = getSettings(db).appUrl;
  return base
    ? `${base.replace(/\/+$/, '')}/#/escalations/${escalationId}`
    : `bellwether://escalations/${escalationId}`;
};
