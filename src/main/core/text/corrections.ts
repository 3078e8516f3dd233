/**
 * Learning from the team: corrections of a message's sentiment or intents are stored (who, when, what the
 * scorer said before), applied to the message at once (a person's judgement is kept: rescoring never
 * overwrites it), and train an adaptive layer over the base scorer: a softmax regression on the base
 * polarity, the intent pressure and hashed word n-grams. Its accuracy on held-back corrections is measured
 * before and after, and it is only switched on when it does not do worse.
 */
import type { PortfolioStore } from '../db/store';
import {
  binaryBalancedAccuracy,
  SoftmaxRegression,
  stratifiedSplit,
  type TextClassifierJson,
} from './classifier';
import { detectIntents, INTENT_KINDS, type IntentKind, intentPressure } from './intents';
import { labelFor } from './lexicon';
import { HUMAN_MODEL_ID } from './scoring';
import type { Adapter, ScoredMessage, SentimentLabel, SentimentService } from './sentiment';

export const ADAPTER_KIND = 'sentiment_adapter';
export const MIN_CORRECTIONS = 8;

export interface CorrectionInput {
  messageId: number;
  label?: SentimentLabel;
  /** The intents a person says the message carries (replaces the detected ones). */
  intents?: IntentKind[];
  by: string;
  at: string;
}

const LABEL_SCORE: Record<SentimentLabel, number> = { positive: 1, neutral: 0, negative: -1 };

export const recordCorrection = (store: PortfolioStore, c: CorrectionInput): { id: number } => {
  const msg = store.get<{
    id: number;
    body: string;
    sentiment_label: string | null;
    sentiment_model: string | null;
  }>('SELECT id, body, sentiment_label, sentiment_model FROM ticket_messages WHERE id = ?', [c.messageId]);
  if (!msg) throw new Error(`no message ${c.messageId}`);
  if (c.label === undefined && c.intents === undefined)
    throw new Error('a correction needs a label or intents');
  return store.write((tx) => {
    const r = tx.run(
      'INSERT INTO text_corrections(message_id, sentiment_label, intents, previous_label, previous_model, corrected_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        c.messageId,
        c.label ?? null,
        c.intents ? JSON.stringify(c.intents) : null,
        msg.sentiment_label,
        msg.sentiment_model,
        c.by,
        c.at,
      ],
    );
    if (c.label) {
      tx.run(
        'UPDATE ticket_messages SET sentiment_label = ?, sentiment_score = ?, sentiment_confidence = 1, sentiment_model = ? WHERE id = ?',
        [c.label, LABEL_SCORE[c.label], HUMAN_MODEL_ID, c.messageId],
      );
    }
    if (c.intents) {
      tx.run('DELETE FROM message_intents WHERE message_id = ?', [c.messageId]);
      for (const k of new Set(c.intents)) {
        tx.run(
          "INSERT INTO message_intents(message_id, kind, span_start, span_end, text, confidence, source) VALUES (?, ?, 0, ?, ?, 1, 'human')",
          [c.messageId, k, msg.body.length, msg.body.slice(0, 200)],
        );
      }
    }
    return { id: r.lastInsertRowid };
  });
};

export interface CorrectionRow {
  id: number;
  messageId: number;
  label: SentimentLabel | null;
  intents: IntentKind[] | null;
  previousLabel: string | null;
  previousModel: string | null;
  by: string;
  at: string;
  body: string;
}

export const listCorrections = (store: PortfolioStore, limit = 500): CorrectionRow[] =>
  store
    .all<{
      id: number;
      message_id: number;
      sentiment_label: SentimentLabel | null;
      intents: string | null;
      previous_label: string | null;
      previous_model: string | null;
      corrected_by: string;
      created_at: string;
      body: string;
    }>(
      `SELECT c.*, m.body FROM text_corrections c JOIN ticket_messages m ON m.id = c.message_id
        ORDER BY c.created_at DESC, c.id DESC LIMIT ?`,
      [limit],
    )
    .map((r) => ({
      id: r.id,
      messageId: r.message_id,
      label: r.sentiment_label,
      intents: r.intents
        ? (JSON.parse(r.intents) as IntentKind[]).filter((k) => INTENT_KINDS.includes(k))
        : null,
      previousLabel: r.previous_label,
      previousModel: r.previous_model,
      by: r.corrected_by,
      at: r.created_at,
      body: r.body,
    }));

/** The latest sentiment correction per message. */
const sentimentExamples = (store: PortfolioStore): { text: string; label: SentimentLabel }[] =>
  store.all<{ text: string; label: SentimentLabel }>(
    `SELECT m.body AS text, c.sentiment_label AS label FROM text_corrections c JOIN ticket_messages m ON m.id = c.message_id
      WHERE c.sentiment_label IS NOT NULL
        AND c.id = (SELECT max(c2.id) FROM text_corrections c2 WHERE c2.message_id = c.message_id AND c2.sentiment_label IS NOT NULL)
      ORDER BY c.id`,
  );

interface AdapterJson {
  classifier: TextClassifierJson;
}

/** Builds the adapter function from a trained regression. */
const makeAdapter = (model: SoftmaxRegression, slot: { x: number[] }): Adapter => {
  return (text: string, scored: ScoredMessage): ScoredMessage => {
    slot.x = adapterExtras(text, scored.baseScore);
    const p = model.predictProba(text);
    const get = (l: string) => {
      const i = model.labels.indexOf(l);
      return i >= 0 ? p[i]! : 0;
    };
    const score = get('positive') - get('negative');
    let best = 0;
    for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
    const label = model.labels[best] as SentimentLabel;
    return { ...scored, score, label: label ?? labelFor(score), confidence: p[best]! };
  };
};

const adapterExtras = (text: string, base: number): number[] => {
  const pressure = intentPressure(text, detectIntents(text));
  return [base, base * base, pressure];
};

const newRegression = (slot: { x: number[] }): SoftmaxRegression =>
  new SoftmaxRegression({
    extras: () => slot.x,
    epochs: 25,
    lr: 0.3,
    l2: 1e-3,
    features: { buckets: 1 << 16 },
  });

export interface AdapterReport {
  corrections: number;
  heldBack: number;
  /** Accuracy (3-class) and pos/neg balanced accuracy on the held-back corrections. */
  before: { accuracy: number; balancedAccuracy: number } | null;
  after: { accuracy: number; balancedAccuracy: number } | null;
  active: boolean;
  version: number | null;
  reason: string;
}

const evaluate = (gold: readonly string[], pred: readonly string[]) => ({
  accuracy: gold.length ? gold.filter((g, i) => g === pred[i]).length / gold.length : 0,
  balancedAccuracy: binaryBalancedAccuracy(gold, pred).balancedAccuracy,
});

/**
 * Trains the adaptive layer on the team's corrections. A seeded quarter of them is held back to compare the
 * base scorer with the adapted one; the adapter that is saved is then refitted on all corrections, and it is
 * switched on only when the held-back accuracy did not drop.
 */
export const trainAdapter = async (
  store: PortfolioStore,
  service: SentimentService,
  now: string,
  seed = 7,
): Promise<AdapterReport> => {
  const ex = sentimentExamples(store);
  if (ex.length < MIN_CORRECTIONS) {
    return {
      corrections: ex.length,
      heldBack: 0,
      before: null,
      after: null,
      active: false,
      version: null,
      reason: `needs at least ${MIN_CORRECTIONS} sentiment corrections (has ${ex.length})`,
    };
  }
  const saved = service.adapter;
  service.adapter = null;
  let base: ScoredMessage[];
  try {
    base = await service.score(ex.map((e) => e.text));
  } finally {
    service.adapter = saved;
  }
  const labels = ex.map((e) => e.label);
  const { train, test } = stratifiedSplit(labels, 0.25, seed);
  const fitOn = (idx: number[]) => {
    const slot = { x: [] as number[] };
    const model = newRegression(slot);
    const extrasByText = new Map(
      idx.map((i) => [ex[i]!.text, adapterExtras(ex[i]!.text, base[i]!.baseScore)]),
    );
    model.extras = (t) => extrasByText.get(t) ?? slot.x;
    model.fit(
      idx.map((i) => ex[i]!.text),
      idx.map((i) => labels[i]!),
    );
    model.extras = () => slot.x;
    return { model, adapter: makeAdapter(model, slot) };
  };
  let before: AdapterReport['before'] = null;
  let after: AdapterReport['after'] = null;
  if (test.length >= 2 && new Set(train.map((i) => labels[i])).size >= 2) {
    const { adapter } = fitOn(train);
    const gold = test.map((i) => labels[i]!);
    before = evaluate(
      gold,
      test.map((i) => base[i]!.label),
    );
    after = evaluate(
      gold,
      test.map((i) => adapter(ex[i]!.text, base[i]!).label),
    );
  }
  if (new Set(labels).size < 2) {
    return {
      corrections: ex.length,
      heldBack: test.length,
      before,
      after,
      active: false,
      version: null,
      reason: 'all corrections have the same label',
    };
  }
  const active = !before || !after || after.accuracy >= before.accuracy;
  const { model } = fitOn(train.concat(test));
  const metrics = { corrections: ex.length, heldBack: test.length, before, after };
  const version = store.write((tx) => {
    if (active) tx.run('UPDATE text_models SET active = 0 WHERE kind = ?', [ADAPTER_KIND]);
    const json: AdapterJson = { classifier: model.toJSON() };
    return tx.run(
      'INSERT INTO text_models(kind, created_at, model_json, metrics_json, active) VALUES (?, ?, ?, ?, ?)',
      [ADAPTER_KIND, now, JSON.stringify(json), JSON.stringify(metrics), active ? 1 : 0],
    ).lastInsertRowid;
  });
  if (active) loadActiveAdapter(store, service);
  return {
    ...metrics,
    active,
    version,
    reason: active
      ? 'trained on all corrections and switched on'
      : 'kept off: it did worse than the base scorer on held-back corrections',
  };
};

/** Installs the active adapter (if any) on the service; returns its version or null. */
export const loadActiveAdapter = (store: PortfolioStore, service: SentimentService): number | null => {
  const row = store.get<{ id: number; model_json: string }>(
    'SELECT id, model_json FROM text_models WHERE kind = ? AND active = 1 ORDER BY id DESC LIMIT 1',
    [ADAPTER_KIND],
  );
  if (!row) {
    service.adapter = null;
    return null;
  }
  const json = JSON.parse(row.model_json) as AdapterJson;
  const slot = { x: [] as number[] };
  const model = SoftmaxRegression.load(json.classifier, () => slot.x);
  service.adapter = makeAdapter(model, slot);
  return row.id;
};

export const disableAdapter = (store: PortfolioStore, service: SentimentService): void => {
  store.write((tx) => tx.run('UPDATE text_models SET active = 0 WHERE kind = ?', [ADAPTER_KIND]));
  service.adapter = null;
};
