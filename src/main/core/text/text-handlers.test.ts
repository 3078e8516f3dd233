import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../shared/contract';
import { Core } from '../core';
import { accountSentimentTrend } from './scoring';

let core: Core;
const NOW = new Date('2026-06-30T12:00:00Z');

const seed = (c: Core) => {
  c.store.write((tx) => {
    tx.run(
      "INSERT INTO accounts (id, name, segment, arr, created_at, updated_at) VALUES (1, 'TechFlow', 'enterprise', 380000, '2025-01-01', '2025-01-01')",
    );
    tx.run(
      "INSERT INTO tickets (id, account_id, subject, created_at, updated_at) VALUES (1, 1, 'Export', '2026-05-01', '2026-05-01')",
    );
    const msgs: [string, string, string][] = [
      // prior window (May 1 - May 31)
      ['customer', 'Thanks, the export works great now!', '2026-05-10T10:00:00Z'],
      ['customer', 'Really happy with the new dashboard.', '2026-05-20T10:00:00Z'],
      // current window (Jun 1 - Jun 30)
      ['customer', 'On hold for 45 minutes and nobody answered.', '2026-06-10T10:00:00Z'],
      ['agent', 'Sorry about that, we are looking into it.', '2026-06-10T11:00:00Z'],
      [
        'customer',
        'Please cancel, the app keeps crashing. We are evaluating alternatives.',
        '2026-06-20T10:00:00Z',
      ],
      ['customer', 'Our lawyers will be in touch if this is not fixed.', '2026-06-25T10:00:00Z'],
    ];
    for (const [side, body, at] of msgs) {
      tx.run('INSERT INTO ticket_messages (ticket_id, side, body, created_at) VALUES (1, ?, ?, ?)', [
        side,
        body,
        at,
      ]);
    }
  });
};

beforeEach(async () => {
  core = await Core.open({ dbPath: null, now: () => NOW });
  seed(core);
});
afterEach(() => core.close());

describe('sentiment in the portfolio', () => {
  it('scores new messages incrementally, stores label/score/confidence/model and intents', async () => {
    const r = await core.call('sentiment.scoreNew', {});
    expect(r).toMatchObject({ total: 6, scored: 6, cancelled: false, modelId: 'bellwether-sentiment-small' });
    const rows = core.store.all<{
      sentiment_label: string;
      sentiment_score: number;
      sentiment_confidence: number;
      sentiment_model: string;
    }>(
      'SELECT sentiment_label, sentiment_score, sentiment_confidence, sentiment_model FROM ticket_messages ORDER BY id',
    );
    expect(rows.map((x) => x.sentiment_label)).toEqual([
      'positive',
      'positive',
      'negative',
      expect.any(String),
      'negative',
      'negative',
    ]);
    expect(rows.every((x) => x.sentiment_model === 'bellwether-sentiment-small')).toBe(true);
    expect((await core.call('sentiment.scoreNew', {})).total).toBe(0); // nothing new
    const intents = await core.call('sentiment.messageIntents', { messageId: 5 });
    expect(intents.map((i) => i.kind)).toEqual(
      expect.arrayContaining(['churn', 'outage_defect', 'competitor']),
    );

    // an edited body is rescored, and only it
    core.store.write((tx) =>
      tx.run("UPDATE ticket_messages SET body = 'All sorted, thank you!' WHERE id = 3"),
    );
    const again = await core.call('sentiment.scoreNew', {});
    expect(again.total).toBe(1);
    expect(
      core.store.get<{ l: string }>('SELECT sentiment_label AS l FROM ticket_messages WHERE id = 3')!.l,
    ).toBe('positive');
  });

  it('gives the risk engine a per-account trend with evidence', async () => {
    await core.call('sentiment.scoreNew', {});
    const t = accountSentimentTrend(core.store, 1, '2026-06-30', 30);
    expect(t.current.messages).toBe(3); // customer messages only
    expect(t.current.negative).toBe(3);
    expect(t.prior.positive).toBe(2);
    expect(t.delta!).toBeLessThan(-1);
    expect(t.evidence.map((e) => e.messageId).sort()).toEqual([3, 5, 6]);
    expect(t.intents.executive_legal!.messageIds).toEqual([6]);
    expect(await core.call('sentiment.trend', { accountId: 1, windowDays: 30 })).toEqual(t);
  });

  it('rescoring everything emits progress and can be cancelled', async () => {
    const events: ProgressEvent[] = [];
    core.bus.subscribe((name, payload) => {
      if (name === 'progress') events.push(payload as ProgressEvent);
    });
    const r = await core.call('sentiment.rescoreAll', {});
    expect(r.scored).toBe(6);
    expect(events.at(-1)).toMatchObject({ task: 'sentiment.rescore', done: 6, total: 6, finished: true });

    // cancel before the first chunk: nothing is scored, the run says so
    const p = core.call('sentiment.rescoreAll', {});
    expect(await core.call('sentiment.cancel', {})).toEqual({ cancelled: true });
    const c = await p;
    expect(c.cancelled).toBe(true);
    expect(c.scored).toBe(0);
    expect(await core.call('sentiment.cancel', {})).toEqual({ cancelled: false });
  });

  it('reports the model in use; a missing user folder falls back and says why', async () => {
    const st = await core.call('text.status', {});
    expect(st.model.kind).toBe('model');
    const fb = await core.call('text.setModelDir', { dir: '/nonexistent/model' });
    expect(fb.kind).toBe('fallback');
    expect(fb.error).toContain('/nonexistent/model');
    const r = await core.call('sentiment.scoreNew', {});
    expect(r.modelId).toBe('builtin:lexicon+intents');
    expect((await core.call('text.setModelDir', { dir: null })).kind).toBe('model');
  });

  it('uses the configured competitor list', async () => {
    await core.call('text.setCompetitors', { competitors: ['Gainsight'] });
    const found = await core.call('text.detectIntents', { text: 'We had a demo with Gainsight yesterday.' });
    expect(found).toEqual([expect.objectContaining({ kind: 'competitor', text: 'Gainsight' })]);
  });
});

describe('learning from corrections', () => {
  it('stores corrections, keeps them over rescoring, and adapts to the team language', async () => {
    // The team's own jargon: "p1" and "red flag" mean trouble, "green across the board" means fine.
    const bad = [
      'p1 on the reporting module',
      'another p1 for the sync job',
      'red flag on the renewal call',
      'p1 raised by their ops lead',
      'red flag from the champion',
      'p1 again on exports',
      'red flag in the QBR',
      'p1 for the billing run',
      'p1 opened by finance',
      'red flag on usage',
    ];
    const good = [
      'green across the board this week',
      'all metrics green across the board',
      'green across the board after the rollout',
      'usage green across the board',
      'health green across the board',
      'green across the board at the QBR',
      'green across the board for Q3',
      'adoption green across the board',
      'green across the board per finance',
      'green across the board on every team',
    ];
    core.store.write((tx) => {
      for (const [i, body] of [...bad, ...good].entries()) {
        tx.run(
          "INSERT INTO ticket_messages (ticket_id, side, body, created_at) VALUES (1, 'customer', ?, ?)",
          [body, `2026-06-0${(i % 9) + 1}T08:00:00Z`],
        );
      }
    });
    await core.call('sentiment.scoreNew', {});
    const ids = core.store.all<{ id: number; body: string }>(
      'SELECT id, body FROM ticket_messages WHERE id > 6 ORDER BY id',
    );
    for (const m of ids) {
      await core.call('corrections.add', {
        messageId: m.id,
        label: bad.includes(m.body) ? 'negative' : 'positive',
        by: 'vp@example.com',
      });
    }
    expect((await core.call('corrections.list', {})).length).toBe(20);
    expect(
      core.store.get<{ m: string }>('SELECT sentiment_model AS m FROM ticket_messages WHERE id = 7')!.m,
    ).toBe('human');

    const rep = await core.call('corrections.trainAdapter', {});
    expect(rep.corrections).toBe(20);
    expect(rep.heldBack).toBeGreaterThanOrEqual(4);
    expect(rep.after!.accuracy).toBeGreaterThanOrEqual(rep.before!.accuracy);
    expect(rep.after!.accuracy).toBe(1);
    expect(rep.active).toBe(true);

    const [x, y] = await core.call('sentiment.scoreTexts', {
      texts: ['p1 on the dashboards', 'green across the board in EMEA'],
    });
    expect(x!.label).toBe('negative');
    expect(y!.label).toBe('positive');

    // a rescore keeps the people's labels
    await core.call('sentiment.rescoreAll', {});
    expect(
      core.store.get<{ m: string }>('SELECT sentiment_model AS m FROM ticket_messages WHERE id = 7')!.m,
    ).toBe('human');
    expect((await core.call('text.status', {})).adapterVersion).toBe(rep.version);
  });

  it('refuses to train on too few corrections and reports unknown messages', async () => {
    await core.call('corrections.add', { messageId: 1, label: 'negative', by: 'me' });
    expect((await core.call('corrections.trainAdapter', {})).reason).toMatch(/at least 8/);
    const r = await core.dispatch('corrections.add', { messageId: 999, label: 'negative', by: 'me' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('triage', () => {
  const addEscalations = (c: Core, n: number, withOpen = true) => {
    const kinds: [string, string, string][] = [
      ['billing', 'medium', 'Invoice charged twice, customer wants a refund of the duplicate payment'],
      ['performance_outage', 'high', 'Dashboard down and slow for all users, timeouts during the outage'],
      ['competitive', 'critical', 'Customer evaluating alternatives, competitor RFP in progress'],
    ];
    c.store.write((tx) => {
      for (let i = 0; i < n; i++) {
        const [cat, sev, summary] = kinds[i % 3]!;
        tx.run(
          "INSERT INTO escalations (account_id, status, priority, category, severity, summary, opened_at) VALUES (1, 'resolved', 'high', ?, ?, ?, '2026-01-01T00:00:00Z')",
          [cat, sev, `${summary} (case ${i})`],
        );
      }
      if (!withOpen) return;
      tx.run(
        "INSERT INTO escalations (id, account_id, status, priority, summary, opened_at) VALUES (1000, 1, 'open', 'high', 'We were charged twice on the invoice again', '2026-04-01T00:00:00Z')",
      );
    });
  };

  it('starts from keywords, learns from history, and records the decision', async () => {
    addEscalations(core, 6);
    const first = await core.call('triage.suggest', { escalationIds: [1000] });
    expect(first[0]!.suggestion).toMatchObject({ category: 'billing', model: 'keywords+intents' });
    expect((await core.call('triage.train', {})).category.trained).toBe(false);

    addEscalations(core, 36, false);
    const rep = await core.call('triage.train', {});
    expect(rep.category.trained).toBe(true);
    expect(rep.category.evaluation!.model.macroF1).toBeGreaterThan(0.9);
    const s = await core.call('triage.suggest', { escalationIds: [1000] });
    expect(s[0]!.suggestion.category).toBe('billing');
    expect(s[0]!.suggestion.model).toMatch(/^(multinomial-nb|softmax-regression)#/);

    await core.call('triage.decide', { escalationId: 1000, category: 'billing', severity: 'high', by: 'vp' });
    expect(
      core.store.get<{ c: string; s: string }>(
        'SELECT category AS c, severity AS s FROM escalations WHERE id = 1000',
      ),
    ).toEqual({
      c: 'billing',
      s: 'high',
    });
  });
});

describe('automatic scoring of new messages', () => {
  it('scores messages an import commits, then tells the risk engine which accounts changed', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const auto = await Core.open({ dbPath: null, now: () => NOW, autoScoreSentiment: true });
    try {
      seed(auto);
      auto.store.write((tx) =>
        tx.run("UPDATE tickets SET external_id = 'T-1', source = 'import' WHERE id = 1"),
      );
      const changed: { entities: string[]; accountIds?: number[] }[] = [];
      auto.bus.subscribe((event, payload) => {
        if (event === 'data.changed') changed.push(payload as (typeof changed)[number]);
      });
      const dir = mkdtempSync(join(tmpdir(), 'bw-auto-'));
      const file = join(dir, 'messages.csv');
      writeFileSync(
        file,
        'external_id,ticket_id,side,body,created_at\nM-9,T-1,customer,"Still waiting after two weeks, please cancel our plan",2026-06-28T10:00:00Z\n',
      );
      const r = await auto.call('import.run', { file, entity: 'ticket_messages' });
      expect(r).toMatchObject({ status: 'imported', inserted: 1 });
      // the background run scores every unscored message (the six seeded ones and the imported one)
      for (let i = 0; i < 200 && !changed.some((c) => c.entities.includes('sentiment')); i++)
        await new Promise((res) => setTimeout(res, 25));
      expect(changed.find((c) => c.entities.includes('sentiment'))?.accountIds).toEqual([1]);
      const rows = auto.store.all<{
        body: string;
        sentiment_label: string | null;
        sentiment_model: string | null;
      }>('SELECT body, sentiment_label, sentiment_model FROM ticket_messages ORDER BY id');
      expect(rows.every((x) => x.sentiment_model === 'bellwether-sentiment-small')).toBe(true);
      expect(rows.at(-1)).toMatchObject({ sentiment_label: 'negative' });
      // nothing left for the manual "score new messages" action
      expect((await auto.call('sentiment.scoreNew', {})).total).toBe(0);
    } finally {
      auto.close();
    }
  });

  it('stays off unless the core asks for it', async () => {
    core.bus.emit('data.changed', { entities: ['ticket_messages'] });
    await new Promise((res) => setTimeout(res, 100));
    expect(core.store.get<{ n: number }>('SELECT count(sentiment_model) AS n FROM ticket_messages')!.n).toBe(
      0,
    );
  });
});
