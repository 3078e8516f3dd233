/**
 * Action plans: generated from the brief (root cause, three strategies ranked by success on similar past
 * cases, people from the team, dated tasks, talking points), then edited by people. Every save is a new
 * `action_plans` row (version, author, time); nothing is overwritten. Ticking a task saves a new version and,
 * when the plan belongs to an escalation, records an `escalation_events` row of kind `progress`.
 */
import type {
  Brief,
  BriefItem,
  LineDiff,
  PlanBody,
  PlanDiff,
  PlanPerson,
  PlanStrategy,
  PlanTask,
  PlanVersion,
  PlanVersionInfo,
  RiskFactor,
  SimilarCase,
  StrategyDefinition,
} from '../../../shared/brief-types';
import type { TeamMemberRow, TeamRole } from '../../../shared/domain';
import { CoreError } from '../../../shared/result';
import type { PortfolioStore } from '../db/store';
import { listTeam } from '../portfolio/accounts';
import { addDays, isoDate } from '../time';
import { type BriefDeps, type BriefRequest, buildBrief, resolveSubject } from './brief';
import { day, fact, note, plural, roleLabel } from './format';
import { findCompetitorHits } from './signals';
import { STRATEGY_LIBRARY } from './strategies';

const SUCCESS = new Set(['saved', 'expanded']);

const lcFirst = (s: string): string => (/^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

/** Causal phrasing per risk factor (renewal timing and health are symptoms or pressure, not causes). */
const CAUSE: Record<string, string> = {
  champion_departure: 'loss of the internal champion or sponsor',
  exec_gap: 'no executive relationship to fall back on',
  usage_decline: 'falling adoption of the product',
  ticket_surge: 'unresolved product issues driving a surge of support tickets',
  negative_sentiment: 'growing frustration in support conversations',
  competitor_mention: 'an active evaluation of a competitor',
  nps_detractor: 'dissatisfaction voiced in NPS',
  health_drop: 'a broad decline in account health',
  feature_adoption: 'narrowing use of key features',
  sentiment_trend: 'souring tone in support conversations',
  communication: 'communication with the customer going quiet',
  health_level: 'low account health',
};

export interface StrategyScore {
  strategy: StrategyDefinition;
  fit: number;
  uses: number;
  successes: number;
  expected: number;
  cases: SimilarCase[];
}

/**
 * Ranks the library for a set of risk factors and similar cases: fit (share of the risk score the strategy
 * addresses) × expected success (Laplace-smoothed success rate on the similar cases that used it). Picks
 * `n` greedily, halving the weight of drivers already covered so the strategies complement each other.
 */
export const rankStrategies = (
  factors: readonly RiskFactor[],
  similar: readonly SimilarCase[],
  n = 3,
): StrategyScore[] => {
  const total = factors.reduce((s, f) => s + f.points, 0);
  const share = new Map(factors.map((f) => [f.id, total > 0 ? f.points / total : 0]));
  const stats = STRATEGY_LIBRARY.map((strategy) => {
    const cases = similar.filter((c) => c.strategies.includes(strategy.id) && c.outcome);
    const successes = cases.filter((c) => SUCCESS.has(c.outcome!)).length;
    return { strategy, cases, uses: cases.length, successes, expected: (successes + 1) / (cases.length + 2) };
  });
  const picked: StrategyScore[] = [];
  const remaining = [...stats];
  while (picked.length < n && remaining.length > 0) {
    const scored = remaining.map((s) => {
      const fit = total > 0 ? s.strategy.addresses.reduce((acc, id) => acc + (share.get(id) ?? 0), 0) : 1;
      return { ...s, fit, score: fit * s.expected };
    });
    scored.sort((a, b) => b.score - a.score || b.uses - a.uses || a.strategy.id.localeCompare(b.strategy.id));
    const best = scored[0]!;
    picked.push({
      strategy: best.strategy,
      fit: best.fit,
      uses: best.uses,
      successes: best.successes,
      expected: best.expected,
      cases: best.cases,
    });
    remaining.splice(
      remaining.findIndex((s) => s.strategy.id === best.strategy.id),
      1,
    );
    for (const id of best.strategy.addresses) if (share.has(id)) share.set(id, share.get(id)! / 2);
  }
  return picked;
};

/** Who stands in when the team has nobody in a role. */
const STAND_IN: Partial<Record<TeamRole, TeamRole>> = {
  executive: 'cs_leader',
  cs_leader: 'executive',
  account_executive: 'cs_leader',
  technical: 'csm',
};

const pickMember = (
  team: TeamMemberRow[],
  role: TeamRole,
  areas: string[],
  preferId: number | null,
): TeamMemberRow | null => {
  const pool = team.filter((t) => t.role === role);
  const preferred = pool.find((t) => t.id === preferId);
  if (preferred) return preferred;
  const load = (t: TeamMemberRow) => t.openEscalations / Math.max(1, t.capacity);
  const skill = (t: TeamMemberRow) => t.skills.filter((s) => areas.includes(s)).length;
  return [...pool].sort((a, b) => skill(b) - skill(a) || load(a) - load(b) || a.id - b.id)[0] ?? null;
};

export const generatePlan = (
  store: PortfolioStore,
  req: BriefRequest,
  asOf: Date,
  deps: BriefDeps = {},
): { plan: PlanBody; brief: Brief } => {
  const brief = buildBrief(store, req, asOf, { ...deps, similarLimit: Math.max(deps.similarLimit ?? 0, 15) });
  const factors = brief.risk.factors;
  const similar = brief.similarCases;
  const startsOn = isoDate(asOf);

  // Root cause.
  const causal = factors.filter((f) => CAUSE[f.id]).slice(0, 3);
  const rcCounts = new Map<string, SimilarCase[]>();
  for (const c of similar.slice(0, 10))
    if (c.rootCause) rcCounts.set(c.rootCause, [...(rcCounts.get(c.rootCause) ?? []), c]);
  const topRc = [...rcCounts.entries()].sort(
    (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]),
  )[0];
  let hypothesis: BriefItem;
  if (causal.length === 0) {
    hypothesis = {
      text: 'No risk signals in the data, so no root cause can be inferred. Review the account with its owner.',
      citations: [],
      kind: 'empty',
    };
  } else {
    const [first, ...rest] = causal;
    hypothesis = fact(
      `Most likely root cause: ${CAUSE[first!.id]}${rest.length ? `, compounded by ${rest.map((f) => CAUSE[f.id]).join(' and ')}` : ''}.${topRc ? ` In ${topRc[1].length} of the ${Math.min(10, similar.length)} most similar past cases the recorded root cause was "${topRc[0].replace(/_/g, ' ')}".` : ''}`,
      [
        ...causal.flatMap((f) => f.citations.slice(0, 4)),
        ...(topRc ? topRc[1].flatMap((c) => c.citations) : []),
      ],
      true,
    );
  }
  const evidence: BriefItem[] = causal.map((f) => fact(`${f.label}: ${f.detail}.`, f.citations));
  const recentTickets = store.all<{ id: number; product_area: string | null }>(
    'SELECT id, product_area FROM tickets WHERE account_id = ? AND created_at >= ? AND created_at <= ? AND product_area IS NOT NULL',
    [brief.accountId, addDays(asOf, -30).toISOString(), asOf.toISOString()],
  );
  const areaCount = new Map<string, number[]>();
  for (const t of recentTickets)
    areaCount.set(t.product_area!, [...(areaCount.get(t.product_area!) ?? []), t.id]);
  const topArea = [...areaCount.entries()].sort(
    (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]),
  )[0];
  if (topArea && topArea[1].length >= 2) {
    evidence.push(
      fact(
        `${topArea[1].length} of the ${plural(recentTickets.length, 'ticket')} of the last 30 days concern the ${topArea[0]} area.`,
        topArea[1].map((id) => `tickets:${id}`),
      ),
    );
  }

  // Strategies.
  // With no risk signals there is nothing to address: no strategies are proposed.
  const ranked = factors.length ? rankStrategies(factors, similar, 3) : [];
  const strategies: PlanStrategy[] = ranked.map((r, i) => {
    const covered = r.strategy.addresses.filter((id) => factors.some((f) => f.id === id));
    const rateText = r.uses
      ? `Chosen by fit with the risk drivers times its success on the ${plural(r.uses, 'similar past case')} that used it.`
      : 'Not used in any similar past case; no success rate to show.';
    return {
      strategyId: r.strategy.id,
      name: r.strategy.name,
      rank: i + 1,
      rationale: fact(
        `${covered.length ? `Addresses ${covered.map((id) => factors.find((f) => f.id === id)!.label.toLowerCase()).join(', ')}. ` : ''}${rateText}`,
        [
          ...r.cases.flatMap((c) => c.citations),
          ...covered.flatMap((id) => factors.find((f) => f.id === id)!.citations.slice(0, 2)),
        ],
      ),
      successRate: r.uses ? r.successes / r.uses : null,
      successes: r.successes,
      uses: r.uses,
      smallSample: r.uses < 5,
    };
  });

  // People.
  const team = listTeam(store);
  const acct = store.get<{ owner_id: number | null; account_executive_id: number | null }>(
    'SELECT owner_id, account_executive_id FROM accounts WHERE id = ?',
    [brief.accountId],
  );
  const areas = [...areaCount.keys()];
  const people: PlanPerson[] = [];
  /** The role of whoever actually fills a needed role (differs when someone stands in). */
  const actualRole = new Map<TeamRole, TeamRole>();
  for (const r of ranked) {
    for (const need of r.strategy.people) {
      const existing = people.find((p) => p.role === need.role);
      if (existing) {
        if (!existing.strategyIds.includes(r.strategy.id)) existing.strategyIds.push(r.strategy.id);
        continue;
      }
      const prefer =
        need.role === 'csm'
          ? (acct?.owner_id ?? null)
          : need.role === 'account_executive'
            ? (acct?.account_executive_id ?? null)
            : null;
      const own = pickMember(team, need.role, areas, prefer);
      const standIn = own ? null : STAND_IN[need.role];
      const m = own ?? (standIn ? pickMember(team, standIn, areas, null) : null);
      if (m) actualRole.set(need.role, m.role);
      people.push({
        teamMemberId: m?.id ?? null,
        name: m?.name ?? null,
        role: need.role,
        why: m
          ? `${need.why}${m.id === prefer ? ' (assigned to this account)' : m.skills.some((s) => areas.includes(s)) ? ` (skills: ${m.skills.filter((s) => areas.includes(s)).join(', ')})` : ''}${own ? '' : ` (no active ${roleLabel(need.role)} on the team; a ${roleLabel(m.role)} stands in)`}; ${m.openEscalations} open escalations, capacity ${m.capacity}.`
          : `${need.why}. No active team member has the role ${need.role.replace('_', ' ')}: assign one.`,
        strategyIds: [r.strategy.id],
        citations: m
          ? [`team_members:${m.id}`, ...(m.id === prefer ? [`accounts:${brief.accountId}`] : [])]
          : [],
      });
    }
  }
  const resources = [...new Set(ranked.flatMap((r) => r.strategy.resources))];

  // Tasks.
  const tasks: PlanTask[] = ranked
    .flatMap((r, rank) =>
      r.strategy.tasks.map((t, i) => {
        const owner = people.find((p) => p.role === t.role);
        return {
          rank,
          task: {
            id: `${r.strategy.id}-${i + 1}`,
            title: t.title,
            strategyId: r.strategy.id,
            due: isoDate(addDays(asOf, t.dayOffset)),
            ownerId: owner?.teamMemberId ?? null,
            ownerName: owner?.name ?? null,
            ownerRole: owner?.teamMemberId ? (actualRole.get(t.role) ?? t.role) : t.role,
            done: false,
            doneAt: null,
            doneBy: null,
          } satisfies PlanTask,
        };
      }),
    )
    .sort((a, b) => a.task.due.localeCompare(b.task.due) || a.rank - b.rank)
    .map((x) => x.task);

  // Talking points (internal drafts; a person holds the conversation).
  const tp: BriefItem[] = [];
  const f = (id: string) => factors.find((x) => x.id === id);
  const champ = f('champion_departure');
  if (champ)
    tp.push(
      fact(
        `Acknowledge the change on their side (${lcFirst(champ.detail)}) and ask who now owns the goals that were set together.`,
        champ.citations,
      ),
    );
  const usage = f('usage_decline');
  if (usage)
    tp.push(
      fact(
        `Share the usage trend openly (${lcFirst(usage.detail)}) and ask what changed for the teams.`,
        usage.citations,
      ),
    );
  const tickets = f('ticket_surge') ?? f('negative_sentiment');
  if (tickets)
    tp.push(
      fact(
        `Walk through the recent support issues one by one (${lcFirst(tickets.detail)}), with a date for each fix.`,
        tickets.citations,
      ),
    );
  const comp = f('competitor_mention');
  if (comp) {
    const hits = findCompetitorHits(store, brief.accountId, addDays(asOf, -90), addDays(asOf, 0.0001), deps);
    const names = [...new Set(hits.map((h) => h.competitor).filter((c): c is string => !!c))];
    tp.push(
      fact(
        `They have mentioned ${names.length ? names.join(' and ') : 'evaluating alternatives'}: ask what matters to them in the alternative; do not disparage the competitor.`,
        hits.length
          ? hits.flatMap((h) => [`ticket_messages:${h.messageId}`, `tickets:${h.ticketId}`])
          : comp.citations,
      ),
    );
  }
  const gap = f('exec_gap');
  if (gap) tp.push(fact(`Propose an executive sponsor conversation: ${lcFirst(gap.detail)}.`, gap.citations));
  const ren = f('renewal_near');
  if (ren)
    tp.push(
      fact(
        `Hold the renewal discussion until the remediation plan is agreed (${lcFirst(ren.detail)}).`,
        ren.citations,
      ),
    );
  for (const r of ranked.slice(0, 2))
    for (const t of r.strategy.talkingPoints.slice(0, 1)) tp.push(note(`${r.strategy.name}: ${t}`));
  if (tp.length === 0)
    tp.push({
      text: 'No risk signals to address; use the regular check-in agenda.',
      citations: [],
      kind: 'empty',
    });

  const plan: PlanBody = {
    accountId: brief.accountId,
    accountName: brief.accountName,
    escalationId: brief.escalationId,
    startsOn,
    rootCause: { hypothesis, evidence },
    strategies,
    people,
    resources,
    tasks,
    talkingPoints: tp,
    notes: '',
  };
  return { plan, brief };
};

// -------------------------------------------------------------------------------------------------------
// Persistence and versions

interface PlanRow {
  id: number;
  account_id: number;
  escalation_id: number | null;
  version: number;
  body: string;
  author: string;
  created_at: string;
}

const toVersion = (r: PlanRow): PlanVersion => ({
  id: r.id,
  accountId: r.account_id,
  escalationId: r.escalation_id,
  version: r.version,
  author: r.author,
  createdAt: r.created_at,
  body: JSON.parse(r.body) as PlanBody,
});

export interface PlanKey {
  accountId: number;
  escalationId: number | null;
}

/** The plan a request refers to: the escalation's, or the account's open escalation's, or the account's own. */
export const planKey = (store: PortfolioStore, req: BriefRequest): PlanKey => {
  const { accountId, escalation } = resolveSubject(store, req);
  return { accountId, escalationId: escalation?.id ?? null };
};

export const latestPlan = (store: PortfolioStore, key: PlanKey): PlanVersion | null => {
  const r = store.get<PlanRow>(
    'SELECT * FROM action_plans WHERE account_id = ? AND escalation_id IS ? ORDER BY version DESC LIMIT 1',
    [key.accountId, key.escalationId],
  );
  return r ? toVersion(r) : null;
};

export const getPlanVersion = (store: PortfolioStore, key: PlanKey, version: number): PlanVersion => {
  const r = store.get<PlanRow>(
    'SELECT * FROM action_plans WHERE account_id = ? AND escalation_id IS ? AND version = ?',
    [key.accountId, key.escalationId, version],
  );
  if (!r)
    throw new CoreError('not_found', `plan version ${version} does not exist for this account`, 'version');
  return toVersion(r);
};

export const listPlanVersions = (store: PortfolioStore, key: PlanKey): PlanVersionInfo[] =>
  store
    .all<PlanRow>('SELECT * FROM action_plans WHERE account_id = ? AND escalation_id IS ? ORDER BY version', [
      key.accountId,
      key.escalationId,
    ])
    .map((r) => {
      const body = JSON.parse(r.body) as PlanBody;
      return {
        id: r.id,
        version: r.version,
        author: r.author,
        createdAt: r.created_at,
        tasksDone: body.tasks.filter((t) => t.done).length,
        tasksTotal: body.tasks.length,
      };
    });

/**
 * Saves `body` as the next version. `baseVersion` is the version the editor started from (null for the first
 * save); a save based on an older version is refused, so two editors cannot silently overwrite each other.
 */
export const savePlanVersion = (
  store: PortfolioStore,
  key: PlanKey,
  body: PlanBody,
  author: string,
  at: Date,
  baseVersion: number | null,
  onSaved?: (tx: Parameters<Parameters<PortfolioStore['write']>[0]>[0], saved: PlanVersion) => void,
): PlanVersion => {
  if (!author.trim()) throw new CoreError('invalid_arguments', 'a plan version needs an author', 'author');
  if (body.accountId !== key.accountId || (body.escalationId ?? null) !== key.escalationId) {
    throw new CoreError(
      'invalid_arguments',
      'the plan body belongs to a different account or escalation',
      'body',
    );
  }
  return store.write((tx) => {
    const latest =
      tx.get<{ v: number | null }>(
        'SELECT max(version) AS v FROM action_plans WHERE account_id = ? AND escalation_id IS ?',
        [key.accountId, key.escalationId],
      )?.v ?? null;
    if ((baseVersion ?? null) !== latest) {
      throw new CoreError(
        'conflict',
        `the plan was changed meanwhile (latest version ${latest ?? 'none'}, edited from ${baseVersion ?? 'none'}); reload and edit again`,
        'baseVersion',
      );
    }
    const version = (latest ?? 0) + 1;
    const createdAt = at.toISOString();
    const id = tx.run(
      'INSERT INTO action_plans(account_id, escalation_id, version, body, author, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [key.accountId, key.escalationId, version, JSON.stringify(body), author, createdAt],
    ).lastInsertRowid;
    const saved: PlanVersion = {
      id,
      accountId: key.accountId,
      escalationId: key.escalationId,
      version,
      author,
      createdAt,
      body,
    };
    onSaved?.(tx, saved);
    return saved;
  });
};

export const progressNote = (task: PlanTask, done: boolean, version: number): string =>
  `Action plan task ${done ? 'done' : 'reopened'}: ${task.title} (plan v${version})`;

/** Marks a task done or not done: a new plan version, plus a `progress` event on the escalation. */
export const tickTask = (
  store: PortfolioStore,
  key: PlanKey,
  taskId: string,
  done: boolean,
  author: string,
  at: Date,
  /** Write the escalation event here (default); false when the caller records progress its own way. */
  inlineEvent = true,
): { version: PlanVersion; eventId: number | null; task: PlanTask } => {
  const latest = latestPlan(store, key);
  if (!latest)
    throw new CoreError(
      'not_found',
      'there is no saved plan for this account yet; generate one first',
      'accountId',
    );
  const task = latest.body.tasks.find((t) => t.id === taskId);
  if (!task)
    throw new CoreError('not_found', `task "${taskId}" is not in plan version ${latest.version}`, 'taskId');
  const body: PlanBody = {
    ...latest.body,
    tasks: latest.body.tasks.map((t) =>
      t.id === taskId
        ? { ...t, done, doneAt: done ? at.toISOString() : null, doneBy: done ? author : null }
        : t,
    ),
  };
  let eventId: number | null = null;
  const version = savePlanVersion(store, key, body, author, at, latest.version, (tx, saved) => {
    if (key.escalationId === null || !inlineEvent) return;
    eventId = tx.run(
      'INSERT INTO escalation_events(escalation_id, occurred_at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)',
      [
        key.escalationId,
        at.toISOString(),
        done ? 'progress' : 'plan_task_reopened',
        author,
        JSON.stringify({
          note: progressNote(task, done, saved.version),
          source: 'action_plan',
          planVersion: saved.version,
          taskId,
          task: task.title,
          done,
        }),
      ],
    ).lastInsertRowid;
  });
  return { version, eventId, task };
};

// -------------------------------------------------------------------------------------------------------
// Diff

const proseLines = (b: PlanBody): string[] => [
  `Root cause: ${b.rootCause.hypothesis.text}`,
  ...b.rootCause.evidence.map((e) => `Evidence: ${e.text}`),
  ...b.strategies.map((s) => `Strategy ${s.rank}: ${s.name}`),
  ...b.talkingPoints.map((t) => `Talking point: ${t.text}`),
  ...b.notes
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `Notes: ${l}`),
];

/** A line diff by longest common subsequence. */
export const diffLines = (a: readonly string[], b: readonly string[]): LineDiff[] => {
  const n = a.length;
  const m = b.length;
  const L = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      L[i]![j] = a[i] === b[j] ? L[i + 1]![j + 1]! + 1 : Math.max(L[i + 1]![j]!, L[i]![j + 1]!);
  const out: LineDiff[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i]! });
      i++;
      j++;
    } else if (L[i + 1]![j]! >= L[i]![j + 1]!) out.push({ op: 'remove', text: a[i++]! });
    else out.push({ op: 'add', text: b[j++]! });
  }
  while (i < n) out.push({ op: 'remove', text: a[i++]! });
  while (j < m) out.push({ op: 'add', text: b[j++]! });
  return out;
};

const TASK_FIELDS = ['title', 'due', 'ownerId', 'ownerName', 'done', 'strategyId'] as const;

export const diffPlans = (from: PlanVersion, to: PlanVersion): PlanDiff => {
  const a = new Map(from.body.tasks.map((t) => [t.id, t]));
  const b = new Map(to.body.tasks.map((t) => [t.id, t]));
  const tasksChanged: PlanDiff['tasksChanged'] = [];
  for (const [id, t] of b) {
    const o = a.get(id);
    if (!o) continue;
    const changes = TASK_FIELDS.filter((k) => o[k] !== t[k]).map((k) => ({
      field: k,
      from: o[k] as unknown,
      to: t[k] as unknown,
    }));
    if (changes.length) tasksChanged.push({ id, changes });
  }
  return {
    from: from.version,
    to: to.version,
    prose: diffLines(proseLines(from.body), proseLines(to.body)),
    tasksAdded: [...b.values()].filter((t) => !a.has(t.id)),
    tasksRemoved: [...a.values()].filter((t) => !b.has(t.id)),
    tasksChanged,
    strategiesFrom: from.body.strategies.map((s) => s.strategyId),
    strategiesTo: to.body.strategies.map((s) => s.strategyId),
  };
};

export const describeTask = (t: PlanTask): string =>
  `${t.done ? '[x]' : '[ ]'} ${day(t.due)} ${t.title}${t.ownerName ? ` (${t.ownerName}, ${roleLabel(t.ownerRole)})` : t.ownerRole ? ` (${roleLabel(t.ownerRole)}: unassigned)` : ''}`;

/** Every record a plan cites, in order of first use. */
export const planCitations = (b: PlanBody): string[] => {
  const all = [
    ...b.rootCause.hypothesis.citations,
    ...b.rootCause.evidence.flatMap((e) => e.citations),
    ...b.strategies.flatMap((s) => s.rationale.citations),
    ...b.people.flatMap((p) => p.citations),
    ...b.talkingPoints.flatMap((t) => t.citations),
  ];
  return [...new Set(all)];
};
