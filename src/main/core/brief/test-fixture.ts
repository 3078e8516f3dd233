/**
 * A small hand-built portfolio for the brief's tests (the demo generator builds the full one): the seed's
 * TechFlow Industries story, an account with no history, and a set of past escalations with outcomes in five
 * archetypes so similar cases and strategy success rates have something to learn from.
 */
import type { PortfolioStore, Tx } from '../db/store';
import { addDays, isoDate } from '../time';

export const FIXTURE_AS_OF = new Date('2026-12-01T12:00:00.000Z');

export interface FixtureIds {
  techflow: number;
  quiet: number;
  techflowEscalation: number;
  team: Record<'csm' | 'csm2' | 'tech' | 'tech2' | 'leader' | 'exec' | 'ae', number>;
  champion: number;
  competitorTicket: number;
  competitorMessage: number;
}

const iso = (d: Date) => d.toISOString();

interface Archetype {
  key: string;
  champion: boolean;
  usageDrop: number;
  tickets: number;
  negative: boolean;
  competitor: boolean;
  execGap: boolean;
  strategies: string[];
  outcomes: ('saved' | 'churned' | 'expanded' | 'downgraded')[];
  category: string;
  rootCause: string;
  subjects: string[];
}

const ARCHETYPES: Archetype[] = [
  {
    key: 'champion',
    champion: true,
    usageDrop: 0.5,
    tickets: 1,
    negative: false,
    competitor: false,
    execGap: true,
    strategies: ['executive_outreach', 'success_plan_reset'],
    outcomes: ['saved', 'saved', 'expanded', 'saved', 'churned'],
    category: 'relationship',
    rootCause: 'champion_loss',
    subjects: ['Who is our new admin contact', 'Reporting dashboard access after reorg'],
  },
  {
    key: 'defects',
    champion: false,
    usageDrop: 0.4,
    tickets: 4,
    negative: true,
    competitor: false,
    execGap: false,
    strategies: ['technical_review', 'dedicated_support'],
    outcomes: ['saved', 'saved', 'churned', 'saved'],
    category: 'product_defect',
    rootCause: 'product_defect',
    subjects: ['Export fails with timeout', 'Sync errors on integration', 'Data export still failing'],
  },
  {
    key: 'price',
    champion: false,
    usageDrop: 0,
    tickets: 1,
    negative: true,
    competitor: true,
    execGap: false,
    strategies: ['commercial_concession'],
    outcomes: ['churned', 'churned', 'saved'],
    category: 'competitive',
    rootCause: 'pricing',
    subjects: ['Renewal pricing question'],
  },
  {
    key: 'adoption',
    champion: false,
    usageDrop: 0.45,
    tickets: 0,
    negative: false,
    competitor: false,
    execGap: false,
    strategies: ['training_workshop'],
    outcomes: ['saved', 'saved', 'downgraded'],
    category: 'adoption_gap',
    rootCause: 'onboarding_gap',
    subjects: [],
  },
  {
    key: 'combined',
    champion: true,
    usageDrop: 0.6,
    tickets: 4,
    negative: true,
    competitor: true,
    execGap: true,
    strategies: ['executive_outreach', 'technical_review'],
    outcomes: ['saved', 'saved', 'expanded'],
    category: 'relationship',
    rootCause: 'champion_loss',
    subjects: ['Export fails again', 'Integration sync broken', 'Slow reports'],
  },
];

const insert = (tx: Tx, sql: string, params: (string | number | null)[]): number =>
  tx.run(sql, params).lastInsertRowid;

const addAccount = (
  tx: Tx,
  a: {
    name: string;
    segment: string;
    arr: number;
    industry: string | null;
    start: string | null;
    renewal: string | null;
    owner: number | null;
    ae: number | null;
  },
): number =>
  insert(
    tx,
    `INSERT INTO accounts(name, segment, industry, arr, is_strategic, expansion_potential, contract_start, renewal_date, owner_id,
      account_executive_id, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 'medium', ?, ?, ?, ?, ?, ?)`,
    [
      a.name,
      a.segment,
      a.industry,
      a.arr,
      a.start,
      a.renewal,
      a.owner,
      a.ae,
      '2023-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ],
  );

const addContact = (
  tx: Tx,
  accountId: number,
  c: {
    name: string;
    email: string;
    title: string;
    champion?: boolean;
    sponsor?: boolean;
    departed?: string | null;
  },
): number =>
  insert(
    tx,
    `INSERT INTO contacts(account_id, name, email, title, is_champion, is_exec_sponsor, status, departed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      accountId,
      c.name,
      c.email,
      c.title,
      c.champion ? 1 : 0,
      c.sponsor ? 1 : 0,
      c.departed ? 'departed' : 'active',
      c.departed ?? null,
    ],
  );

const addTicket = (
  tx: Tx,
  accountId: number,
  contactId: number | null,
  at: Date,
  subject: string,
  messages: {
    side: 'customer' | 'agent';
    body: string;
    sentiment: 'positive' | 'neutral' | 'negative' | null;
    author: string | null;
  }[],
  priority = 'normal',
  area = 'reporting',
): { ticket: number; messages: number[] } => {
  const ticket = insert(
    tx,
    `INSERT INTO tickets(account_id, contact_id, subject, product_area, category, priority, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'bug', ?, 'open', ?, ?)`,
    [accountId, contactId, subject, area, priority, iso(at), iso(at)],
  );
  const ids = messages.map((m, i) =>
    insert(
      tx,
      `INSERT INTO ticket_messages(ticket_id, side, author_name, body, created_at, sentiment_label, sentiment_score) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        ticket,
        m.side,
        m.author,
        m.body,
        iso(addDays(at, i * 0.1)),
        m.sentiment,
        m.sentiment === 'negative' ? -0.7 : m.sentiment === 'positive' ? 0.6 : 0,
      ],
    ),
  );
  return { ticket, messages: ids };
};

/** Weekly usage for `weeks` weeks before `at`; logins fall by `drop` over the last 45 days. */
const addUsage = (tx: Tx, accountId: number, at: Date, weeks: number, base: number, drop: number): void => {
  for (let w = weeks; w >= 1; w--) {
    const start = addDays(at, -7 * w);
    const inDecline = w * 7 <= 45;
    const f = inDecline ? 1 - drop * Math.min(1, (46 - w * 7) / 21 + 0.55) : 1;
    const wobble = 1 + ((w * 37) % 7) / 100 - 0.03;
    const logins = Math.round(base * f * wobble);
    tx.run(
      `INSERT INTO usage_periods(account_id, period_start, period_days, active_users, logins, key_feature_use, features_adopted) VALUES (?, ?, 7, ?, ?, ?, ?)`,
      [
        accountId,
        isoDate(start),
        Math.round((base / 4) * f),
        logins,
        Math.round((base / 3) * f),
        inDecline && drop > 0.3 ? 5 : 8,
      ],
    );
  }
};

const addHealth = (tx: Tx, accountId: number, at: Date, scores: number[]): void => {
  scores.forEach((s, i) => {
    tx.run('INSERT INTO health_scores(account_id, scored_at, score) VALUES (?, ?, ?)', [
      accountId,
      iso(addDays(at, -15 * (scores.length - 1 - i) - 1)),
      s,
    ]);
  });
};

export const buildFixture = (store: PortfolioStore): FixtureIds =>
  store.bulk((tx) => {
    const tm = (name: string, email: string, role: string, skills: string[]) =>
      insert(tx, 'INSERT INTO team_members(name, email, role, skills, capacity) VALUES (?, ?, ?, ?, 6)', [
        name,
        email,
        role,
        JSON.stringify(skills),
      ]);
    const team = {
      csm: tm('Dana Sample', 'dana.sample@bellwether.example', 'csm', ['enterprise', 'manufacturing']),
      csm2: tm('Omar Example', 'omar.haddad@bellwether.example', 'csm', ['mid_market']),
      tech: tm('Raj Example', 'raj.example@bellwether.example', 'technical', ['reporting', 'integrations']),
      tech2: tm('Lena Placeholder', 'lena.fischer@bellwether.example', 'technical', ['mobile']),
      leader: tm('Morgan Placeholder', 'morgan.placeholder@bellwether.example', 'cs_leader', ['enterprise']),
      exec: tm('Alex Rivera', 'alex.rivera@bellwether.example', 'executive', []),
      ae: tm('Chris Testwell', 'chris.testwell@bellwether.example', 'account_executive', ['enterprise']),
    };
    const at = FIXTURE_AS_OF;

    // --- TechFlow Industries: the seed's worked example -------------------------------------------------
    const techflow = addAccount(tx, {
      name: 'TechFlow Industries',
      segment: 'enterprise',
      arr: 380_000,
      industry: 'Manufacturing',
      start: '2024-02-06',
      renewal: isoDate(addDays(at, 67)),
      owner: team.csm,
      ae: team.ae,
    });
    const champion = addContact(tx, techflow, {
      name: 'Sarah Sampleton',
      email: 'sarah.okafor@techflow.example',
      title: 'VP Operations',
      champion: true,
      departed: iso(addDays(at, -21)),
    });
    const itDir = addContact(tx, techflow, {
      name: 'Tom Fixture',
      email: 'tom.fixture@techflow.example',
      title: 'IT Director',
    });
    addContact(tx, techflow, {
      name: 'Priya Placeholder',
      email: 'priya.nair@techflow.example',
      title: 'CFO',
      sponsor: true,
    });
    const opsMgr = addContact(tx, techflow, {
      name: 'Lee Testwell',
      email: 'lee.park@techflow.example',
      title: 'Operations Manager',
    });
    addUsage(tx, techflow, at, 26, 420, 0.62);
    addHealth(tx, techflow, at, [78, 78, 77, 74, 66, 55, 43]);
    // Baseline: about one ticket a month for six months.
    for (let i = 0; i < 5; i++) {
      addTicket(tx, techflow, itDir, addDays(at, -45 - 30 * i), `How do I schedule report ${i + 1}`, [
        {
          side: 'customer',
          body: 'Hi, how can I schedule this report to go out weekly? Thanks, Tom (555-201-3344)',
          sentiment: 'neutral',
          author: 'Tom Fixture',
        },
        {
          side: 'agent',
          body: 'Hi Tom, you can do that from the schedule menu.',
          sentiment: null,
          author: 'Support',
        },
      ]);
    }
    addTicket(
      tx,
      techflow,
      opsMgr,
      addDays(at, -13),
      'Export to ERP times out',
      [
        {
          side: 'customer',
          body: 'The nightly export to our ERP times out again. This blocks our planners.',
          sentiment: 'negative',
          author: 'Lee Testwell',
        },
      ],
      'high',
      'integrations',
    );
    addTicket(
      tx,
      techflow,
      itDir,
      addDays(at, -10),
      'Dashboard very slow since update',
      [
        {
          side: 'customer',
          body: 'Dashboards take a minute to load since the last update.',
          sentiment: 'negative',
          author: 'Tom Fixture',
        },
      ],
      'normal',
    );
    addTicket(
      tx,
      techflow,
      opsMgr,
      addDays(at, -6),
      'Export failing again',
      [
        {
          side: 'customer',
          body: 'Same export failure as last week. Please escalate.',
          sentiment: 'negative',
          author: 'Lee Testwell',
        },
      ],
      'high',
      'integrations',
    );
    const comp = addTicket(
      tx,
      techflow,
      itDir,
      addDays(at, -2),
      'Still no fix for exports - considering options',
      [
        {
          side: 'customer',
          body: 'Frankly we are frustrated. The issues with exports have gone on for weeks and we are now evaluating alternatives, including a trial of DataPilot. Call me at 555-201-3344 or write to tom.fixture@techflow.example.',
          sentiment: 'negative',
          author: 'Tom Fixture',
        },
      ],
      'urgent',
      'integrations',
    );
    const eng = (
      acct: number,
      when: Date,
      kind: string,
      exec: number,
      summary: string,
      member: number | null,
    ) =>
      insert(
        tx,
        'INSERT INTO engagements(account_id, team_member_id, occurred_at, kind, is_executive, summary) VALUES (?, ?, ?, ?, ?, ?)',
        [acct, member, iso(when), kind, exec, summary],
      );
    eng(
      techflow,
      addDays(at, -120),
      'exec_touchpoint',
      1,
      'Executive sponsor call with the CFO; relationship in good shape.',
      team.exec,
    );
    eng(
      techflow,
      addDays(at, -40),
      'meeting',
      0,
      'Monthly check-in: usage stable, discussed reporting roadmap.',
      team.csm,
    );
    eng(
      techflow,
      addDays(at, -18),
      'csm_note',
      0,
      'Champion Sarah Sampleton has left the company; no replacement contact identified yet.',
      team.csm,
    );
    eng(
      techflow,
      addDays(at, -5),
      'csm_note',
      0,
      'Support tickets piling up around exports; customer tone getting sharper.',
      team.csm,
    );
    tx.run(
      'INSERT INTO nps_responses(account_id, contact_id, responded_at, score, comment) VALUES (?, ?, ?, ?, ?)',
      [techflow, itDir, iso(addDays(at, -30)), 5, 'Too many bugs lately and slow responses from support.'],
    );
    const techflowEscalation = insert(
      tx,
      `INSERT INTO escalations(account_id, status, priority, category, summary, opened_at, owner_id, decided_by, decided_at)
       VALUES (?, 'acknowledged', 'critical', 'relationship', 'Champion left, usage falling, competitor trial', ?, ?, 'Morgan Placeholder', ?)`,
      [techflow, iso(addDays(at, -1)), team.csm, iso(addDays(at, -1))],
    );
    tx.run(
      "INSERT INTO escalation_events(escalation_id, occurred_at, kind, actor, detail) VALUES (?, ?, 'confirmed', 'Morgan Placeholder', '{}')",
      [techflowEscalation, iso(addDays(at, -1))],
    );

    // --- An account with no history ---------------------------------------------------------------------
    const quiet = addAccount(tx, {
      name: 'Quiet Harbor LLC',
      segment: 'smb',
      arr: 12_000,
      industry: null,
      start: null,
      renewal: null,
      owner: null,
      ae: null,
    });

    // --- Past escalations with outcomes -----------------------------------------------------------------
    let n = 0;
    for (const arch of ARCHETYPES) {
      arch.outcomes.forEach((outcome, k) => {
        n++;
        const opened = addDays(at, -120 - n * 23);
        const arr = 90_000 + ((n * 53_000) % 400_000);
        const acct = addAccount(tx, {
          name: `Past ${arch.key} ${k + 1} Corp`,
          segment: n % 3 === 0 ? 'mid_market' : 'enterprise',
          arr,
          industry: 'Software',
          start: '2023-03-01',
          renewal: isoDate(addDays(opened, 70 + (n % 4) * 40)),
          owner: n % 2 ? team.csm : team.csm2,
          ae: team.ae,
        });
        const main = addContact(tx, acct, {
          name: `Pat Example${n}`,
          email: `pat${n}@past.example`,
          title: 'Director of Operations',
          champion: true,
          departed: arch.champion ? iso(addDays(opened, -20)) : null,
        });
        addUsage(tx, acct, opened, 20, 300, arch.usageDrop);
        addHealth(tx, acct, opened, arch.usageDrop > 0 ? [80, 78, 70, 60, 50] : [75, 74, 73, 72, 70]);
        for (let i = 0; i < 3; i++)
          addTicket(tx, acct, main, addDays(opened, -60 - 40 * i), 'How to add users', [
            { side: 'customer', body: 'How do I add users?', sentiment: 'neutral', author: null },
          ]);
        for (let i = 0; i < arch.tickets; i++) {
          const subj = arch.subjects[i % Math.max(1, arch.subjects.length)] ?? 'Question';
          addTicket(tx, acct, main, addDays(opened, -2 - 3 * i), subj, [
            {
              side: 'customer',
              body: `${subj}. ${arch.negative ? 'This is frustrating and keeps happening.' : 'Can you help?'}`,
              sentiment: arch.negative ? 'negative' : 'neutral',
              author: null,
            },
          ]);
        }
        if (arch.competitor) {
          addTicket(tx, acct, main, addDays(opened, -1), 'Renewal and alternatives', [
            {
              side: 'customer',
              body: 'We have been offered a much better price by DataPilot and we are seriously considering it.',
              sentiment: 'negative',
              author: null,
            },
          ]);
        }
        eng(
          acct,
          addDays(opened, arch.execGap ? -150 : -20),
          'exec_touchpoint',
          1,
          'Executive sponsor call.',
          team.exec,
        );
        eng(acct, addDays(opened, -10), 'meeting', 0, 'Check-in.', team.csm);
        const escId = insert(
          tx,
          `INSERT INTO escalations(account_id, status, priority, category, summary, opened_at, owner_id, resolved_at, closed_at)
           VALUES (?, 'closed', 'high', ?, ?, ?, ?, ?, ?)`,
          [
            acct,
            arch.category,
            `${arch.category.replace('_', ' ')} escalation`,
            iso(opened),
            team.csm,
            iso(addDays(opened, 40)),
            iso(addDays(opened, 45)),
          ],
        );
        const after =
          outcome === 'churned'
            ? 0
            : outcome === 'downgraded'
              ? arr * 0.6
              : outcome === 'expanded'
                ? arr * 1.2
                : arr;
        tx.run(
          `INSERT INTO outcomes(escalation_id, outcome, arr_before, arr_after, resolved_at, root_cause, strategies, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'Morgan Placeholder')`,
          [
            escId,
            outcome,
            arr,
            after,
            iso(addDays(opened, 40)),
            arch.rootCause,
            JSON.stringify(arch.strategies),
          ],
        );
      });
    }
    return {
      techflow,
      quiet,
      techflowEscalation,
      team,
      champion,
      competitorTicket: comp.ticket,
      competitorMessage: comp.messages[0]!,
    };
  });
