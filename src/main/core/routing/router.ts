/**
 * Routing: ranks candidate owners for an escalation and assigns one, saying why.
 *
 * Each candidate gets five factor scores in 0..1, each with a sentence:
 *   expertise     skills matching the escalation's product area ('product:<area>'), category ('category:<c>'),
 *                 the account's industry ('industry:<i>') and segment ('segment:<s>')          weight 0.35
 *                 (inferred from recent tickets / risk factors when the escalation lacks them)
 *   workload      open escalations owned vs capacity                                           weight 0.20
 *   availability  out of office (0), working now (1), back within 4 h (0.7), 16 h (0.5), later  weight 0.20
 *   success       saved/expanded share of their past similar escalations (same category or
 *                 product area) with a recorded outcome, smoothed: (wins + 1) / (n + 2)          weight 0.15
 *   relationship  already the account's CSM of record                                          weight 0.10
 * Nobody is put over capacity or given work while out of office unless nobody else fits, and then the
 * recommendation carries a warning saying so.
 */

import { CoreError } from '../../../shared/result';
import type {
  AssignResult,
  RoutingCandidate,
  RoutingFactor,
  RoutingResult,
} from '../../../shared/routing-types';
import type { Tx } from '../db/store';
import type { RoutingCtx } from './ctx';
import { addEvent, type EscalationRow, getEscalation } from './escalation';
import { notifyAssignment } from './notify';
import { startClocks } from './sla';
import { allMembers, availabilityAt, getMember, loads, type Member } from './team';

type Reader = Pick<Tx, 'get' | 'all'>;

const WEIGHTS = {
  expertise: 0.35,
  workload: 0.2,
  availability: 0.2,
  success: 0.15,
  relationship: 0.1,
} as const;

const norm = (s: string): string =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/** Risk factor keys (from the risk engine) that point at an escalation category. */
const FACTOR_CATEGORY: Record<string, string> = {
  competitor: 'competitive',
  champion_departure: 'relationship_champion',
  exec_gap: 'relationship_champion',
  adoption: 'onboarding_gap',
  feature_adoption: 'onboarding_gap',
};

export interface Areas {
  product: string[];
  category: string[];
  industry: string[];
  segment: string[];
  /** How product and category were found, when not on the escalation itself. */
  notes: string[];
}

const tableExists = (db: Reader, name: string): boolean =>
  !!db.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", [name]);

/**
 * What the escalation is about, for matching expertise: its own product area and category when set; else the
 * product areas of the account's tickets in the 60 days before the decision and the categories the risk
 * factors point at (a flag confirmed by the risk engine has category 'risk_flag').
 */
export const escalationAreas = (db: Reader, e: EscalationRow): Areas => {
  const notes: string[] = [];
  let product = e.product_area ? [e.product_area] : [];
  if (product.length === 0) {
    const until = e.decided_at ?? e.opened_at;
    const since = new Date(Date.parse(until) - 60 * 86_400_000).toISOString();
    product = db
      .all<{ area: string }>(
        `SELECT product_area AS area FROM tickets WHERE account_id = ? AND product_area IS NOT NULL AND created_at >= ? AND created_at <= ?
         GROUP BY product_area ORDER BY count(*) DESC, product_area LIMIT 2`,
        [e.account_id, since, until],
      )
      .map((r) => r.area);
    if (product.length) notes.push(`product area from recent tickets: ${product.join(', ')}`);
  }
  let category = e.category && e.category !== 'risk_flag' ? [e.category] : [];
  if (category.length === 0 && tableExists(db, 'risk_current')) {
    const row = db.get<{ factors: string }>('SELECT factors FROM risk_current WHERE account_id = ?', [
      e.account_id,
    ]);
    try {
      const factors = row ? (JSON.parse(row.factors) as { k?: string; p?: number }[]) : [];
      category = [
        ...new Set(
          factors
            .filter((f) => typeof f.k === 'string' && (f.p ?? 0) > 0)
            .sort((a, b) => (b.p ?? 0) - (a.p ?? 0))
            .slice(0, 4)
            .map((f) => FACTOR_CATEGORY[f.k!])
            .filter((c): c is string => !!c),
        ),
      ];
    } catch {
      category = [];
    }
    if (category.length) notes.push(`category from the risk factors: ${category.join(', ')}`);
  }
  return {
    product,
    category,
    industry: e.account_industry ? [e.account_industry] : [],
    segment: e.account_segment ? [e.account_segment] : [],
    notes,
  };
};

const expertiseFactor = (m: Member, areas: Areas): RoutingFactor => {
  const skills = new Set(m.skills.map(norm));
  const dims: [string, string[], number][] = [
    ['product', areas.product, 0.35],
    ['category', areas.category, 0.35],
    ['industry', areas.industry, 0.15],
    ['segment', areas.segment, 0.15],
  ];
  let have = 0;
  let total = 0;
  const matched: string[] = [];
  const missing: string[] = [];
  for (const [dim, values, w] of dims) {
    if (values.length === 0) continue;
    total += w;
    const hit = values.find((v) => skills.has(norm(`${dim}:${v}`)));
    if (hit) {
      have += w;
      matched.push(`${dim}:${hit}`);
    } else missing.push(`${dim}:${values.join('/')}`);
  }
  if (total === 0)
    return {
      name: 'expertise',
      score: 0.5,
      weight: WEIGHTS.expertise,
      reason: 'no product area, category or industry to match',
    };
  const score = have / total;
  const reason = matched.length
    ? `expertise in ${matched.join(', ')}${missing.length ? ` (not ${missing.join(', ')})` : ''}`
    : `no matching expertise (${missing.join(', ')})`;
  return { name: 'expertise', score, weight: WEIGHTS.expertise, reason };
};

const workloadFactor = (m: Member, load: number): RoutingFactor => {
  const score = m.capacity > 0 ? Math.max(0, 1 - load / m.capacity) : 0;
  const over = load + 1 > m.capacity;
  return {
    name: 'workload',
    score,
    weight: WEIGHTS.workload,
    reason: `${load} of ${m.capacity} open escalations${over ? ' — at capacity' : ''}`,
  };
};

const availabilityFactor = (db: Reader, m: Member, now: number): { f: RoutingFactor; available: boolean } => {
  const a = availabilityAt(db, m, now);
  let score = 0;
  if (a.available && a.workingNow) score = 1;
  else if (a.available && a.nextAt !== null) {
    const hours = (a.nextAt - now) / 3_600_000;
    score = hours <= 4 ? 0.7 : hours <= 16 ? 0.5 : 0.3;
  }
  return {
    f: { name: 'availability', score, weight: WEIGHTS.availability, reason: a.text },
    available: a.available,
  };
};

const successFactor = (db: Reader, m: Member, e: EscalationRow, areas: Areas): RoutingFactor => {
  const conds: string[] = [];
  const params: (string | number)[] = [m.id, e.id];
  if (areas.category.length) {
    conds.push(
      'e.category IN (SELECT value FROM json_each(?))',
      'o.root_cause IN (SELECT value FROM json_each(?))',
    );
    params.push(JSON.stringify(areas.category), JSON.stringify(areas.category));
  }
  if (areas.product.length) {
    conds.push('e.product_area IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(areas.product));
  }
  const row = db.get<{ n: number; wins: number }>(
    `SELECT count(*) AS n, coalesce(sum(CASE WHEN o.outcome IN ('saved','expanded') THEN 1 ELSE 0 END), 0) AS wins
     FROM outcomes o JOIN escalations e ON e.id = o.escalation_id
     WHERE e.owner_id = ? AND e.id <> ?${conds.length ? ` AND (${conds.join(' OR ')})` : ''}`,
    params,
  ) ?? { n: 0, wins: 0 };
  const score = (row.wins + 1) / (row.n + 2);
  const what = conds.length ? 'similar escalations' : 'past escalations';
  const reason =
    row.n === 0
      ? `no ${what} with a recorded outcome yet`
      : `${row.wins} of ${row.n} ${what} saved or expanded`;
  return { name: 'success', score, weight: WEIGHTS.success, reason };
};

const relationshipFactor = (m: Member, e: EscalationRow): RoutingFactor => ({
  name: 'relationship',
  score: e.account_owner_id === m.id ? 1 : 0,
  weight: WEIGHTS.relationship,
  reason: e.account_owner_id === m.id ? `already the CSM of ${e.account_name}` : 'not on the account yet',
});

const OWNER_ROLES = new Set(['csm', 'technical']);

export const rankCandidates = (ctx: RoutingCtx, escalationId: number): RoutingResult => {
  const db = ctx.store;
  const e = getEscalation(db, escalationId);
  const now = ctx.now().getTime();
  const load = loads(db);
  const members = allMembers(db);
  let pool = members.filter((m) => OWNER_ROLES.has(m.role));
  if (pool.length === 0) pool = members.filter((m) => m.role === 'cs_leader');
  const areas = escalationAreas(db, e);
  const candidates = pool.map((m): RoutingCandidate => {
    // The current owner's own escalation does not count against them when re-routing.
    const l =
      (load.get(m.id) ?? 0) - (e.owner_id === m.id && !['resolved', 'closed'].includes(e.status) ? 1 : 0);
    const av = availabilityFactor(db, m, now);
    const factors = [
      expertiseFactor(m, areas),
      workloadFactor(m, l),
      av.f,
      successFactor(db, m, e, areas),
      relationshipFactor(m, e),
    ];
    const score = Math.round(factors.reduce((s, f) => s + f.score * f.weight, 0) * 1000) / 10;
    const overCapacity = l + 1 > m.capacity;
    return {
      memberId: m.id,
      name: m.name,
      role: m.role,
      score,
      rank: 0,
      fits: av.available && !overCapacity,
      overCapacity,
      available: av.available,
      load: l,
      capacity: m.capacity,
      factors,
      reason: '',
    };
  });
  const tier = (c: RoutingCandidate): number => (c.fits ? 0 : c.available ? 1 : 2);
  candidates.sort((a, b) => tier(a) - tier(b) || b.score - a.score || a.memberId - b.memberId);
  candidates.forEach((c, i) => {
    c.rank = i + 1;
    const top = [...c.factors].sort((x, y) => y.score * y.weight - x.score * x.weight);
    c.reason = `${c.name} (score ${c.score}): ${top.map((f) => f.reason).join('; ')}`;
  });
  const best = candidates[0] ?? null;
  let warning: string | null = null;
  if (!best)
    warning = 'nobody on the team can own escalations (add a CSM or technical resource on the Team page)';
  else if (!best.fits && best.available) {
    warning = `nobody who fits has room: ${best.name} is recommended anyway and goes to ${best.load + 1} of ${best.capacity} open escalations (over capacity)`;
  } else if (!best.fits)
    warning = `everyone is out of office: ${best.name} is recommended anyway (${best.factors[2]!.reason})`;
  return { escalationId, candidates, recommended: best, warning };
};

/**
 * Assigns (or reassigns) the escalation, recording an `assigned` / `reassigned` event with the reason; starts
 * the SLA clocks on the first assignment and notifies the new owner.
 */
export const assignOwner = (
  ctx: RoutingCtx,
  escalationId: number,
  memberId: number,
  opts: { by: string; auto?: boolean; reason?: string; note?: string },
): AssignResult => {
  const routing = rankCandidates(ctx, escalationId);
  const candidate = routing.candidates.find((c) => c.memberId === memberId);
  const member = getMember(ctx.store, memberId);
  if (!member?.active) throw new CoreError('not_found', `no active team member ${memberId}`);
  let warning: string | null = null;
  if (candidate && !candidate.fits) {
    const better = routing.candidates.find((c) => c.fits);
    warning = candidate.available
      ? `${member.name} goes over capacity (${candidate.load + 1} of ${candidate.capacity})${better ? `; ${better.name} has room` : '; nobody else who fits has room'}`
      : `${member.name} is unavailable (${candidate.factors[2]!.reason})`;
  }
  const reason = opts.reason ?? candidate?.reason ?? `${member.name} chosen by ${opts.by}`;
  const at = ctx.now().toISOString();
  const previous = ctx.store.write((tx) => {
    const e = getEscalation(tx, escalationId);
    if (e.owner_id === memberId) return { same: true, prev: e.owner_id };
    tx.run('UPDATE escalations SET owner_id = ? WHERE id = ?', [memberId, escalationId]);
    const prev = e.owner_id ? getMember(tx, e.owner_id) : null;
    const eventId = addEvent(tx, escalationId, at, e.owner_id ? 'reassigned' : 'assigned', opts.by, {
      from: e.owner_id,
      fromName: prev?.name ?? null,
      to: memberId,
      toName: member.name,
      reason,
      score: candidate?.score ?? null,
      auto: opts.auto ?? false,
      warning,
      ...(opts.note ? { note: opts.note } : {}),
    });
    startClocks(tx, { ...e, owner_id: memberId }, member);
    notifyAssignment(tx, ctx, getEscalation(tx, escalationId), member, eventId, at, reason);
    return { same: false, prev: e.owner_id };
  });
  if (!previous.same) ctx.bus?.emit('data.changed', { entities: ['escalations', 'team'] });
  return {
    escalationId,
    ownerId: memberId,
    ownerName: member.name,
    previousOwnerId: previous.prev,
    reason,
    warning,
  };
};

/** Routes by policy: assigns the recommended candidate. */
export const autoAssign = (
  ctx: RoutingCtx,
  escalationId: number,
  by = 'routing policy',
): AssignResult | null => {
  const r = rankCandidates(ctx, escalationId);
  if (!r.recommended) return null;
  const res = assignOwner(ctx, escalationId, r.recommended.memberId, {
    by,
    auto: true,
    reason: r.recommended.reason,
  });
  return { ...res, warning: r.warning ?? res.warning };
};
