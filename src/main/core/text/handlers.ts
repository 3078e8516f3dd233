/** Contract handlers for text intelligence: sentiment, intents, corrections, triage. */
import type { TextStatus } from '../../../shared/contracts/text';
import { CoreError } from '../../../shared/result';
import type { HandlerMap } from '../api/registry';
import type { Core } from '../core';
import {
  disableAdapter,
  listCorrections,
  loadActiveAdapter,
  recordCorrection,
  trainAdapter,
} from './corrections';
import { detectIntents } from './intents';
import {
  accountSentimentTrend,
  HUMAN_MODEL_ID,
  messageIntents,
  readTextSettings,
  scoreMessages,
  scorerId,
  writeTextSetting,
} from './scoring';
import { SentimentService } from './sentiment';
import {
  decideEscalationTriage,
  readCategories,
  suggestEscalationTriage,
  trainTriageFromHistory,
} from './triage';

interface TextState {
  service: SentimentService;
  /** The store the service was configured from (the core may swap stores). */
  store: Core['store'];
  adapterVersion: number | null;
  running: { cancel: boolean } | null;
}

const states = new WeakMap<Core, TextState>();

/** The core's sentiment service, configured from the portfolio's text settings (model folder, competitors, adapter). */
export const textState = (core: Core): TextState => {
  let st = states.get(core);
  if (!st || st.store !== core.store) {
    if (st) void st.service.close();
    const settings = readTextSettings(core.store);
    const service = new SentimentService({ modelDir: settings.modelDir });
    service.intentOptions = { competitors: settings.competitors };
    st = { service, store: core.store, adapterVersion: null, running: null };
    st.adapterVersion = loadActiveAdapter(core.store, service);
    states.set(core, st);
  }
  return st;
};

const today = (core: Core): string => core.now().toISOString().slice(0, 10);

/** Scores every message of a freshly generated demo portfolio (see Core.createDemo), with progress. */
export const scoreDemoMessages = async (core: Core): Promise<void> => {
  const st = textState(core);
  const task = 'sentiment.demo';
  const report = await scoreMessages(
    core.store,
    st.service,
    {
      mode: 'incremental',
      onProgress: (done, total) =>
        core.bus.emit('progress', { task, done, total, label: 'Scoring the demo messages' }),
    },
    st.adapterVersion,
  );
  core.bus.emit('progress', {
    task,
    done: report.scored,
    total: report.total,
    label: 'Done',
    finished: true,
  });
};

/** Accounts owning the messages the next incremental run will score (so the risk engine rescores just those). */
const accountsWithUnscored = (core: Core, modelId: string): number[] =>
  core.store
    .all<{ id: number }>(
      `SELECT DISTINCT t.account_id AS id FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
       WHERE m.sentiment_model IS NULL OR (m.sentiment_model <> ? AND m.sentiment_model <> ?)`,
      [modelId, HUMAN_MODEL_ID],
    )
    .map((r) => r.id);

/**
 * With `autoScoreSentiment`, new or changed ticket messages (an import, a connector sync) are scored right after
 * they are committed, in the background; then the risk engine rescores the accounts they belong to. One run at a
 * time; a change that arrives meanwhile is picked up by a follow-up run. Large batches show progress.
 */
const watchNewMessages = (core: Core): void => {
  if (!core.options.autoScoreSentiment) return;
  let running = false;
  let again = false;
  const task = 'sentiment.auto';
  const runOnce = async (): Promise<void> => {
    const st = textState(core);
    if (st.running) return; // a full rescore is under way and covers the new messages
    await st.service.init();
    const accountIds = accountsWithUnscored(core, scorerId(st.service, st.adapterVersion));
    if (accountIds.length === 0) return;
    const job = { cancel: false };
    st.running = job;
    try {
      const report = await scoreMessages(
        core.store,
        st.service,
        {
          mode: 'incremental',
          isCancelled: () => job.cancel || st.store !== core.store,
          onProgress: (done, total) => {
            if (total >= 500) core.bus.emit('progress', { task, done, total, label: 'Scoring new messages' });
          },
        },
        st.adapterVersion,
      );
      if (report.total >= 500)
        core.bus.emit('progress', {
          task,
          done: report.scored,
          total: report.total,
          label: 'Done',
          finished: true,
        });
      if (report.scored > 0) core.bus.emit('data.changed', { entities: ['sentiment'], accountIds });
    } finally {
      st.running = null;
    }
  };
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await runOnce();
      } while (again);
    } catch {
      // The portfolio may have been closed or replaced meanwhile; "Score new messages" catches up.
    } finally {
      running = false;
    }
  };
  core.bus.subscribe((event, payload) => {
    if (event !== 'data.changed') return;
    const p = payload as { entities: string[] };
    if (p.entities.includes('ticket_messages') || p.entities.includes('tickets'))
      setImmediate(() => void run());
  });
};

export const textHandlers = (core: Core): HandlerMap => {
  watchNewMessages(core);
  return textHandlersFor(core);
};

const textHandlersFor = (core: Core): HandlerMap => ({
  'text.status': async () => {
    const st = textState(core);
    await st.service.init();
    const c = core.store.get<{ total: number; scored: number; human: number }>(
      "SELECT count(*) AS total, count(sentiment_model) AS scored, sum(sentiment_model = 'human') AS human FROM ticket_messages",
    )!;
    const corrections = core.store.get<{ n: number }>('SELECT count(*) AS n FROM text_corrections')!.n;
    const last = core.store.get<{ id: number; created_at: string; active: number; metrics_json: string }>(
      "SELECT id, created_at, active, metrics_json FROM text_models WHERE kind = 'sentiment_adapter' ORDER BY id DESC LIMIT 1",
    );
    const status: TextStatus = {
      model: st.service.status,
      adapterVersion: st.adapterVersion,
      lastAdapterTraining: last
        ? {
            version: last.id,
            at: last.created_at,
            active: last.active === 1,
            metrics: JSON.parse(last.metrics_json) as Record<string, unknown>,
          }
        : null,
      settings: readTextSettings(core.store),
      messages: { total: c.total, scored: c.scored, unscored: c.total - c.scored, byHuman: c.human ?? 0 },
      corrections,
      running: st.running !== null,
    };
    return status;
  },
  'text.setModelDir': async ({ dir }) => {
    const st0 = textState(core);
    if (st0.running)
      throw new CoreError('conflict', 'a sentiment rescore is running; cancel it before switching models');
    writeTextSetting(core.store, 'modelDir', dir);
    await st0.service.close();
    states.delete(core);
    const st = textState(core);
    return st.service.init();
  },
  'text.setCompetitors': ({ competitors }) => {
    writeTextSetting(core.store, 'competitors', competitors);
    textState(core).service.intentOptions = { competitors };
    return readTextSettings(core.store);
  },
  'text.detectIntents': ({ text }) => detectIntents(text, textState(core).service.intentOptions),
  'sentiment.scoreTexts': ({ texts }) => textState(core).service.score(texts),
  'sentiment.scoreNew': async () => {
    const st = textState(core);
    if (st.running) throw new CoreError('conflict', 'a sentiment rescore is already running');
    const report = await scoreMessages(core.store, st.service, { mode: 'incremental' }, st.adapterVersion);
    if (report.scored > 0) core.bus.emit('data.changed', { entities: ['ticket_messages'] });
    return report;
  },
  'sentiment.rescoreAll': async () => {
    const st = textState(core);
    if (st.running) throw new CoreError('conflict', 'a sentiment rescore is already running');
    const run = { cancel: false };
    st.running = run;
    const task = 'sentiment.rescore';
    try {
      const report = await scoreMessages(
        core.store,
        st.service,
        {
          mode: 'full',
          isCancelled: () => run.cancel,
          onProgress: (done, total) =>
            core.bus.emit('progress', { task, done, total, label: 'Scoring ticket messages' }),
        },
        st.adapterVersion,
      );
      core.bus.emit('progress', {
        task,
        done: report.scored,
        total: report.total,
        label: report.cancelled ? 'Cancelled' : 'Done',
        finished: true,
      });
      core.bus.emit('data.changed', { entities: ['ticket_messages'] });
      return report;
    } finally {
      st.running = null;
    }
  },
  'sentiment.cancel': () => {
    const st = textState(core);
    if (!st.running) return { cancelled: false };
    st.running.cancel = true;
    return { cancelled: true };
  },
  'sentiment.trend': ({ accountId, asOf, windowDays }) =>
    accountSentimentTrend(core.store, accountId, asOf ?? today(core), windowDays ?? 30),
  'sentiment.messageIntents': ({ messageId }) => messageIntents(core.store, messageId),
  'corrections.add': ({ messageId, label, intents, by }) => {
    try {
      const r = recordCorrection(core.store, {
        messageId,
        ...(label ? { label } : {}),
        ...(intents ? { intents } : {}),
        by,
        at: core.now().toISOString(),
      });
      core.bus.emit('data.changed', { entities: ['ticket_messages'] });
      return r;
    } catch (e) {
      throw new CoreError(
        String((e as Error).message).startsWith('no message') ? 'not_found' : 'invalid_arguments',
        (e as Error).message,
      );
    }
  },
  'corrections.list': ({ limit }) => listCorrections(core.store, limit ?? 500),
  'corrections.trainAdapter': async () => {
    const st = textState(core);
    const report = await trainAdapter(core.store, st.service, core.now().toISOString());
    st.adapterVersion = loadActiveAdapter(core.store, st.service);
    return report;
  },
  'corrections.disableAdapter': () => {
    const st = textState(core);
    disableAdapter(core.store, st.service);
    st.adapterVersion = null;
    return { ok: true as const };
  },
  'triage.categories': () => readCategories(core.store),
  'triage.setCategories': ({ categories }) => {
    writeTextSetting(core.store, 'triageCategories', categories);
    return readCategories(core.store);
  },
  'triage.suggest': ({ escalationIds }) =>
    suggestEscalationTriage(core.store, core.now().toISOString(), escalationIds),
  'triage.decide': ({ escalationId, category, severity, by }) => {
    try {
      decideEscalationTriage(core.store, {
        escalationId,
        category,
        severity,
        by,
        at: core.now().toISOString(),
      });
    } catch (e) {
      throw new CoreError('not_found', (e as Error).message);
    }
    core.bus.emit('data.changed', { entities: ['escalations'] });
    return { ok: true as const };
  },
  'triage.train': () => trainTriageFromHistory(core.store, core.now().toISOString()),
});
