/** The team model: members, expertise, capacity and load, availability (out of office, working hours, zone). */
import type { TeamRole } from '../../../shared/domain';
import { CoreError } from '../../../shared/result';
import type {
  ChannelKind,
  NotificationPrefs,
  OutOfOffice,
  TeamMemberView,
  WorkingHours,
} from '../../../shared/routing-types';
import type { Tx } from '../db/store';
import {
  type BusinessCalendar,
  DEFAULT_HOURS,
  formatLocal,
  isWorkingTime,
  localParts,
  nextWorkingTime,
  validateCalendar,
} from './business-time';
import type { RoutingCtx } from './ctx';
import { getSettings } from './settings';

type Reader = Pick<Tx, 'get' | 'all'>;

export interface Member {
  id: number;
  name: string;
  email: string | null;
  role: TeamRole;
  skills: string[];
  capacity: number;
  timezone: string;
  workingHours: WorkingHours;
  outOfOffice: OutOfOffice[];
  managerId: number | null;
  active: boolean;
}

interface MemberDbRow {
  id: number;
  name: string;
  email: string | null;
  role: TeamRole;
  skills: string;
  capacity: number;
  timezone: string;
  working_hours: string;
  out_of_office: string;
  manager_id: number | null;
  active: number;
}

const parseJson = <T>(s: string | null | undefined, fallback: T): T => {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

const toMember = (r: MemberDbRow): Member => ({
  id: r.id,
  name: r.name,
  email: r.email,
  role: r.role,
  skills: parseJson<string[]>(r.skills, []),
  capacity: r.capacity,
  timezone: r.timezone,
  workingHours: parseJson<WorkingHours>(r.working_hours, DEFAULT_HOURS),
  outOfOffice: parseJson<OutOfOffice[]>(r.out_of_office, []),
  managerId: r.manager_id,
  active: r.active === 1,
});

const MEMBER_SELECT =
  'SELECT id, name, email, role, skills, capacity, timezone, working_hours, out_of_office, manager_id, active FROM team_members';

export const getMember = (db: Reader, id: number): Member | null => {
  const r = db.get<MemberDbRow>(`${MEMBER_SELECT} WHERE id = ?`, [id]);
  return r ? toMember(r) : null;
};

export const allMembers = (db: Reader, includeInactive = false): Member[] =>
  db
    .all<MemberDbRow>(`${MEMBER_SELECT}${includeInactive ? '' : ' WHERE active = 1'} ORDER BY id`)
    .map(toMember);

/** Open escalations (not resolved or closed) each member owns. */
export const loads = (db: Reader): Map<number, number> =>
  new Map(
    db
      .all<{ owner_id: number; n: number }>(
        "SELECT owner_id, count(*) AS n FROM escalations WHERE owner_id IS NOT NULL AND status NOT IN ('resolved','closed') GROUP BY owner_id",
      )
      .map((r) => [r.owner_id, r.n]),
  );

/** The member's business calendar (their working hours and zone, plus the portfolio's holidays). */
export const memberCalendar = (
  db: Reader,
  m: Pick<Member, 'timezone' | 'workingHours'> | null,
): BusinessCalendar => {
  const holidays = getSettings(db).holidays;
  const cal: BusinessCalendar = {
    mode: 'business',
    timezone: m?.timezone ?? 'UTC',
    hours: m?.workingHours ?? DEFAULT_HOURS,
    holidays,
  };
  try {
    validateCalendar(cal);
    return cal;
  } catch {
    return { mode: 'business', timezone: 'UTC', hours: DEFAULT_HOURS, holidays };
  }
};

const isDateOnly = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s);

/** The out-of-office range covering instant `t` (whole-day ranges are read in the member's zone). */
export const outOfOfficeAt = (m: Member, t: number): OutOfOffice | null => {
  let localDate: string | null = null;
  for (const o of m.outOfOffice) {
    if (isDateOnly(o.from) || isDateOnly(o.to)) {
      if (!localDate) {
        const p = localParts(t, m.timezone);
        localDate = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
      }
      if (o.from.slice(0, 10) <= localDate && localDate <= o.to.slice(0, 10)) return o;
    } else if (Date.parse(o.from) <= t && t < Date.parse(o.to)) return o;
  }
  return null;
};

export interface Availability {
  /** Not out of office (may still be outside working hours). */
  available: boolean;
  workingNow: boolean;
  /** When they are next at work (now if working now); null if out of office. */
  nextAt: number | null;
  text: string;
}

export const availabilityAt = (db: Reader, m: Member, t: number): Availability => {
  const ooo = outOfOfficeAt(m, t);
  if (ooo) {
    return {
      available: false,
      workingNow: false,
      nextAt: null,
      text: `out of office until ${ooo.to}${ooo.note ? ` (${ooo.note})` : ''}`,
    };
  }
  const cal = memberCalendar(db, m);
  if (isWorkingTime(cal, t)) {
    return {
      available: true,
      workingNow: true,
      nextAt: t,
      text: `working now (${formatLocal(t, cal.timezone)})`,
    };
  }
  const next = nextWorkingTime(cal, t);
  return {
    available: true,
    workingNow: false,
    nextAt: next,
    text: `off hours; back ${formatLocal(next, cal.timezone)}`,
  };
};

// ------------------------------------------------------------------------------------------------ prefs

export const DEFAULT_PREFS = (memberId: number): NotificationPrefs => ({
  memberId,
  channels: ['desktop', 'slack', 'email'],
  quietHours: null,
  digestTime: '08:00',
  dailyBudget: 10,
});

export const getPrefs = (db: Reader, memberId: number): NotificationPrefs => {
  const r = db.get<{
    channels: string;
    quiet_hours: string | null;
    digest_time: string;
    daily_budget: number;
  }>('SELECT channels, quiet_hours, digest_time, daily_budget FROM notification_prefs WHERE member_id = ?', [
    memberId,
  ]);
  if (!r) return DEFAULT_PREFS(memberId);
  return {
    memberId,
    channels: parseJson<ChannelKind[]>(r.channels, ['desktop', 'slack', 'email']),
    quietHours: parseJson<NotificationPrefs['quietHours']>(r.quiet_hours, null),
    digestTime: r.digest_time,
    dailyBudget: r.daily_budget,
  };
};

export const savePrefs = (ctx: RoutingCtx, prefs: NotificationPrefs): NotificationPrefs => {
  if (!getMember(ctx.store, prefs.memberId))
    throw new CoreError('not_found', `no team member ${prefs.memberId}`);
  ctx.store.write((tx) =>
    tx.run(
      `INSERT INTO notification_prefs(member_id, channels, quiet_hours, digest_time, daily_budget, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(member_id) DO UPDATE SET channels = excluded.channels, quiet_hours = excluded.quiet_hours,
         digest_time = excluded.digest_time, daily_budget = excluded.daily_budget, updated_at = excluded.updated_at`,
      [
        prefs.memberId,
        JSON.stringify(prefs.channels),
        prefs.quietHours ? JSON.stringify(prefs.quietHours) : null,
        prefs.digestTime,
        prefs.dailyBudget,
        ctx.now().toISOString(),
      ],
    ),
  );
  return prefs;
};

// ------------------------------------------------------------------------------------------------ views, CRUD

export const listMemberViews = (ctx: RoutingCtx, includeInactive = false): TeamMemberView[] => {
  const t = ctx.now().getTime();
  const load = loads(ctx.store);
  return allMembers(ctx.store, includeInactive).map((m) => {
    const a = availabilityAt(ctx.store, m, t);
    return {
      ...m,
      load: load.get(m.id) ?? 0,
      availableNow: a.available && a.workingNow,
      availability: a.text,
      prefs: getPrefs(ctx.store, m.id),
    };
  });
};

export interface MemberInput {
  id?: number;
  name: string;
  email?: string | null;
  role: TeamRole;
  skills?: string[];
  capacity?: number;
  timezone?: string;
  workingHours?: WorkingHours;
  outOfOffice?: OutOfOffice[];
  managerId?: number | null;
  active?: boolean;
}

export const saveMember = (ctx: RoutingCtx, input: MemberInput): TeamMemberView => {
  const existing = input.id ? getMember(ctx.store, input.id) : null;
  if (input.id && !existing) throw new CoreError('not_found', `no team member ${input.id}`);
  const m: Member = {
    id: input.id ?? 0,
    name: input.name.trim(),
    email: input.email ?? existing?.email ?? null,
    role: input.role,
    skills: input.skills ?? existing?.skills ?? [],
    capacity: input.capacity ?? existing?.capacity ?? 5,
    timezone: input.timezone ?? existing?.timezone ?? 'UTC',
    workingHours: input.workingHours ?? existing?.workingHours ?? DEFAULT_HOURS,
    outOfOffice: input.outOfOffice ?? existing?.outOfOffice ?? [],
    managerId: input.managerId === undefined ? (existing?.managerId ?? null) : input.managerId,
    active: input.active ?? existing?.active ?? true,
  };
  if (!m.name) throw new CoreError('invalid_arguments', 'a team member needs a name', 'name');
  try {
    validateCalendar({ mode: 'business', timezone: m.timezone, hours: m.workingHours });
  } catch (e) {
    throw new CoreError('invalid_arguments', (e as Error).message, 'workingHours');
  }
  for (const o of m.outOfOffice) {
    if (Number.isNaN(Date.parse(o.from)) || Number.isNaN(Date.parse(o.to)) || o.to < o.from) {
      throw new CoreError(
        'invalid_arguments',
        `out-of-office range ${o.from} - ${o.to} is not a valid range`,
        'outOfOffice',
      );
    }
  }
  if (m.managerId !== null) {
    if (m.managerId === m.id)
      throw new CoreError('invalid_arguments', 'a member cannot manage themselves', 'managerId');
    if (!getMember(ctx.store, m.managerId))
      throw new CoreError('not_found', `no team member ${m.managerId}`, 'managerId');
  }
  const values = [
    m.name,
    m.email,
    m.role,
    JSON.stringify(m.skills),
    m.capacity,
    m.timezone,
    JSON.stringify(m.workingHours),
    JSON.stringify(m.outOfOffice),
    m.managerId,
    m.active ? 1 : 0,
  ];
  const id = ctx.store.write((tx) => {
    if (existing) {
      tx.run(
        `UPDATE team_members SET name = ?, email = ?, role = ?, skills = ?, capacity = ?, timezone = ?, working_hours = ?,
           out_of_office = ?, manager_id = ?, active = ? WHERE id = ?`,
        [...values, existing.id],
      );
      return existing.id;
    }
    return tx.run(
      `INSERT INTO team_members(name, email, role, skills, capacity, timezone, working_hours, out_of_office, manager_id, active)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      values,
    ).lastInsertRowid;
  });
  ctx.bus?.emit('data.changed', { entities: ['team'] });
  const view = listMemberViews(ctx, true).find((v) => v.id === id);
  if (!view) throw new CoreError('internal', 'team member vanished after saving');
  return view;
};

// ------------------------------------------------------------------------------------------------ leadership

/** The VP of CS: a CS leader with no manager (the lowest id if several), or any CS leader. */
export const vpOfCs = (db: Reader): Member | null => {
  const leaders = allMembers(db).filter((m) => m.role === 'cs_leader');
  return leaders.find((m) => m.managerId === null) ?? leaders[0] ?? null;
};

/** The CS leader above `owner`: their manager when a CS leader, else a CS leader with a manager, else the VP. */
export const csLeaderFor = (db: Reader, owner: Member | null): Member | null => {
  if (owner?.managerId) {
    const mgr = getMember(db, owner.managerId);
    if (mgr?.active && mgr.role === 'cs_leader') return mgr;
  }
  const leaders = allMembers(db).filter((m) => m.role === 'cs_leader' && m.id !== owner?.id);
  return leaders.find((m) => m.managerId !== null) ?? vpOfCs(db);
};
