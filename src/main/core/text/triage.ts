/**
 * Triage by category and severity. With enough labelled escalation history the suggestion comes from a
 * multinomial naive Bayes text classifier trained on it; before that, from configurable keyword lists and the
 * escalation intents. A person accepts or changes each suggestion; the decision becomes training data.
 */
import type { PortfolioStore } from '../db/store';
import { Prng } from '../ml/prng';
import {
  type ClassMetrics,
  classificationMetrics,
  KeywordClassifier,
  loadTextClassifier,
  MajorityClassifier,
  MultinomialNaiveBayes,
  SoftmaxRegression,
  stratifiedSplit,
  type TextClassifier,
} from './classifier';
import { detectIntents } from './intents';

export interface TriageCategory {
  id: string;
  label: string;
  keywords: string[];
}

export const DEFAULT_CATEGORIES: TriageCategory[] = [
  {
    id: 'product_defect',
    label: 'Product defect',
    keywords: [
      'bug',
      'bugs',
      'crash',
      'crashes',
      'crashing',
      'error',
      'errors',
      'broken',
      'defect',
      'regression',
      'fails',
      'failing',
      'wrong',
    ],
  },
  {
    id: 'performance_outage',
    label: 'Performance / outage',
    keywords: [
      'outage',
      'down',
      'downtime',
      'slow',
      'latency',
      'timeout',
      'timeouts',
      'unavailable',
      'performance',
      'incident',
      'degraded',
    ],
  },
  {
    id: 'billing',
    label: 'Billing',
    keywords: [
      'invoice',
      'billing',
      'billed',
      'charged',
      'charge',
      'refund',
      'payment',
      'price',
      'pricing',
      'credit',
      'overcharged',
    ],
  },
  {
    id: 'onboarding_gap',
    label: 'Onboarding / adoption gap',
    keywords: [
      'onboarding',
      'training',
      'adoption',
      'setup',
      'configure',
      'how do',
      'documentation',
      'rollout',
      'confused',
      'learn',
    ],
  },
  {
    id: 'missing_feature',
    label: 'Missing feature',
    keywords: [
      'feature',
      'roadmap',
      'missing',
      'request',
      'support for',
      'ability to',
      'integration with',
      'wish',
      'lacks',
    ],
  },
  {
    id: 'relationship_champion',
    label: 'Relationship / champion',
    keywords: [
      'champion',
      'left the company',
      'new vp',
      'sponsor',
      'reorg',
      'leadership',
      'executive',
      'stakeholder',
      'replaced',
    ],
  },
  {
    id: 'competitive',
    label: 'Competitive',
    keywords: [
      'competitor',
      'alternative',
      'alternatives',
      'vendors',
      'rfp',
      'switch',
      'switching',
      'evaluating',
      'cheaper',
    ],
  },
];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const TRIAGE_CATEGORY_KIND = 'triage_category';
export const TRIAGE_SEVERITY_KIND = 'triage_severity';
/** Labelled examples needed before a learnt classifier replaces the keyword start. */
export const MIN_TRAINING_EXAMPLES = 30;

export const readCategories = (store: PortfolioStore): TriageCategory[] => {
  const row = store.get<{ value: string }>("SELECT value FROM text_settings WHERE key = 'triageCategories'");
  if (!row) return DEFAULT_CATEGORIES;
  try {
    const v = JSON.parse(row.value) as TriageCategory[];
    return Array.isArray(v) && v.length > 0 ? v : DEFAULT_CATEGORIES;
  } catch {
    return DEFAULT_CATEGORIES;
  }
};

/** A severity from intents alone (the keyword start). */
export const severityFromText = (text: string): { severity: Severity; confidence: number } => {
  const kinds = new Set(detectIntents(text).map((i) => i.kind));
  if (kinds.has('executive_legal') || kinds.has('churn')) return { severity: 'critical', confidence: 0.6 };
  if (kinds.has('outage_defect') && kinds.has('frustration')) return { severity: 'high', confidence: 0.55 };
  if (kinds.has('competitor') || kinds.has('outage_defect') || kinds.has('frustration'))
    return { severity: 'high', confidence: 0.45 };
  return { severity: 'medium', confidence: 0.35 };
};

// ---------------------------------------------------------------- model selection
export const TRIAGE_CANDIDATES: { name: string; make: () => TextClassifier }[] = [
  { name: 'nb(alpha=0.1)', make: () => new MultinomialNaiveBayes(0.1) },
  { name: 'nb(alpha=0.3)', make: () => new MultinomialNaiveBayes(0.3) },
  { name: 'nb(alpha=1)', make: () => new MultinomialNaiveBayes(1) },
  { name: 'softmax', make: () => new SoftmaxRegression({ seed: 1 }) },
];

/**
 * Picks the candidate with the best mean macro-F1 over a seeded stratified k-fold cross-validation on the
 * training rows only (the test rows are never looked at), then refits it on all training rows.
 */
export const selectTriageModel = (
  texts: readonly string[],
  labels: readonly string[],
  seed = 7,
  folds = 4,
): { model: TextClassifier; choice: string; cv: Record<string, number> } => {
  const cv: Record<string, number> = {};
  // Seeded stratified folds: shuffle each label's rows, then deal them round-robin.
  const rng = new Prng(seed);
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const list = byLabel.get(l) ?? [];
    list.push(i);
    byLabel.set(l, list);
  });
  const fold = new Int32Array(labels.length);
  let dealt = 0;
  for (const key of [...byLabel.keys()].sort()) {
    for (const row of rng.shuffle(byLabel.get(key)!)) fold[row] = dealt++ % folds;
  }
  for (const cand of TRIAGE_CANDIDATES) {
    let sum = 0;
    for (let f = 0; f < folds; f++) {
      const tr: number[] = [];
      const te: number[] = [];
      fold.forEach((v, i) => {
        (v === f ? te : tr).push(i);
      });
      if (te.length === 0 || new Set(tr.map((i) => labels[i])).size < 2) continue;
      const m = cand.make().fit(
        tr.map((i) => texts[i]!),
        tr.map((i) => labels[i]!),
      );
      sum += classificationMetrics(
        te.map((i) => labels[i]!),
        te.map((i) => m.predict(texts[i]!).label),
      ).macroF1;
    }
    cv[cand.name] = Math.round((sum / folds) * 1e4) / 1e4;
  }
  const best = TRIAGE_CANDIDATES.reduce((a, b) => (cv[b.name]! > cv[a.name]! ? b : a));
  return { model: best.make().fit(texts, labels), choice: best.name, cv };
};

// ---------------------------------------------------------------- evaluation (CLI and handlers)
export interface TriageEvaluation {
  train: number;
  test: number;
  labels: string[];
  model: ClassMetrics & { name: string; choice: string; cv: Record<string, number> };
  baselines: { majority: ClassMetrics; keyword: ClassMetrics & { keywords: Record<string, string[]> } };
}

const predictAll = (m: TextClassifier, texts: readonly string[]) => texts.map((t) => m.predict(t).label);

/** Trains on (trainTexts, trainLabels) and reports accuracy and macro-F1 on the test part, against baselines. */
export const evaluateTriage = (
  trainTexts: readonly string[],
  trainLabels: readonly string[],
  testTexts: readonly string[],
  testLabels: readonly string[],
): TriageEvaluation => {
  const sel = selectTriageModel(trainTexts, trainLabels);
  const nb = sel.model;
  const maj = new MajorityClassifier().fit(trainTexts, trainLabels);
  const kw = new KeywordClassifier().fit(trainTexts, trainLabels);
  return {
    train: trainTexts.length,
    test: testTexts.length,
    labels: nb.labels,
    model: {
      name: nb.name,
      choice: sel.choice,
      cv: sel.cv,
      ...classificationMetrics(testLabels, predictAll(nb, testTexts)),
    },
    baselines: {
      majority: classificationMetrics(testLabels, predictAll(maj, testTexts)),
      keyword: { ...classificationMetrics(testLabels, predictAll(kw, testTexts)), keywords: kw.keywords },
    },
  };
};

/** A seeded stratified 80/20 split, then `evaluateTriage`. */
export const evaluateTriageSplit = (
  texts: readonly string[],
  labels: readonly string[],
  seed = 7,
  testFraction = 0.2,
): TriageEvaluation => {
  const { train, test } = stratifiedSplit(labels, testFraction, seed);
  return evaluateTriage(
    train.map((i) => texts[i]!),
    train.map((i) => labels[i]!),
    test.map((i) => texts[i]!),
    test.map((i) => labels[i]!),
  );
};

// ---------------------------------------------------------------- in the portfolio
/** The text of an escalation: its summary plus the account's customer messages in the 30 days before it opened. */
const escalationTexts = (store: PortfolioStore, where = '', params: (string | number)[] = []) =>
  store.all<{ id: number; text: string; category: string | null; severity: string | null; priority: string }>(
    `SELECT e.id, coalesce(s.final_category, e.category) AS category, coalesce(s.final_severity, e.severity) AS severity, e.priority,
            coalesce(e.summary, '') || ' ' || coalesce((
              SELECT group_concat(x.body, ' ') FROM (
                SELECT m.body FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
                 WHERE t.account_id = e.account_id AND m.side = 'customer'
                   AND m.created_at <= e.opened_at AND m.created_at > datetime(e.opened_at, '-30 days')
                 ORDER BY m.created_at DESC LIMIT 12) x), '') AS text
       FROM escalations e LEFT JOIN triage_suggestions s ON s.target = 'escalation' AND s.target_id = e.id
       ${where}`,
    params,
  );

export interface TriageTrainReport {
  examples: number;
  category: { trained: boolean; evaluation: TriageEvaluation | null; reason: string };
  severity: { trained: boolean; evaluation: TriageEvaluation | null; reason: string };
}

const trainOne = (
  store: PortfolioStore,
  kind: string,
  rows: { text: string; label: string | null }[],
  now: string,
  seed: number,
): TriageTrainReport['category'] => {
  const labelled = rows.filter((r): r is { text: string; label: string } => !!r.label);
  const classes = new Map<string, number>();
  for (const r of labelled) classes.set(r.label, (classes.get(r.label) ?? 0) + 1);
  const usable = [...classes.values()].filter((n) => n >= 3).length;
  if (labelled.length < MIN_TRAINING_EXAMPLES || usable < 2) {
    return {
      trained: false,
      evaluation: null,
      reason: `needs ${MIN_TRAINING_EXAMPLES} labelled escalations in at least 2 classes (has ${labelled.length} in ${usable}); using the keyword start`,
    };
  }
  const texts = labelled.map((r) => r.text);
  const labels = labelled.map((r) => r.label);
  const evaluation = evaluateTriageSplit(texts, labels, seed);
  const model = selectTriageModel(texts, labels, seed).model;
  store.write((tx) => {
    tx.run('UPDATE text_models SET active = 0 WHERE kind = ?', [kind]);
    tx.run(
      'INSERT INTO text_models(kind, created_at, model_json, metrics_json, active) VALUES (?, ?, ?, ?, 1)',
      [
        kind,
        now,
        JSON.stringify(model.toJSON()),
        JSON.stringify({
          accuracy: evaluation.model.accuracy,
          macroF1: evaluation.model.macroF1,
          train: evaluation.train,
          test: evaluation.test,
        }),
      ],
    );
  });
  return { trained: true, evaluation, reason: `trained on ${labelled.length} labelled escalations` };
};

export const trainTriageFromHistory = (store: PortfolioStore, now: string, seed = 7): TriageTrainReport => {
  const rows = escalationTexts(store);
  return {
    examples: rows.length,
    category: trainOne(
      store,
      TRIAGE_CATEGORY_KIND,
      rows.map((r) => ({ text: r.text, label: r.category })),
      now,
      seed,
    ),
    severity: trainOne(
      store,
      TRIAGE_SEVERITY_KIND,
      rows.map((r) => ({ text: r.text, label: r.severity })),
      now,
      seed,
    ),
  };
};

const activeModel = (store: PortfolioStore, kind: string): { id: number; model: TextClassifier } | null => {
  const row = store.get<{ id: number; model_json: string }>(
    'SELECT id, model_json FROM text_models WHERE kind = ? AND active = 1 ORDER BY id DESC LIMIT 1',
    [kind],
  );
  return row ? { id: row.id, model: loadTextClassifier(JSON.parse(row.model_json)) } : null;
};

export interface TriageSuggestion {
  category: string;
  categoryConfidence: number;
  severity: string;
  severityConfidence: number;
  /** e.g. `multinomial-nb#3` or `keywords`. */
  model: string;
}

/** Suggests category and severity for one text (the active learnt models, else keywords + intents). */
export const suggestForText = (store: PortfolioStore, text: string): TriageSuggestion => {
  const cat = activeModel(store, TRIAGE_CATEGORY_KIND);
  const sev = activeModel(store, TRIAGE_SEVERITY_KIND);
  let category: { label: string; confidence: number };
  if (cat) category = cat.model.predict(text);
  else {
    const cats = readCategories(store);
    const kw = KeywordClassifier.fromKeywords(Object.fromEntries(cats.map((c) => [c.id, c.keywords])));
    category = kw.predict(text);
    category = { label: category.label, confidence: Math.min(0.6, category.confidence * 0.6) };
  }
  const severity = sev
    ? sev.model.predict(text)
    : (() => {
        const s = severityFromText(text);
        return { label: s.severity, confidence: s.confidence };
      })();
  const model = [
    cat ? `${cat.model.name}#${cat.id}` : 'keywords',
    sev ? `${sev.model.name}#${sev.id}` : 'intents',
  ].join('+');
  return {
    category: category.label,
    categoryConfidence: category.confidence,
    severity: severity.label,
    severityConfidence: severity.confidence,
    model,
  };
};

/** Suggests triage for escalations (all open ones, or the given ids) and stores the suggestions. */
export const suggestEscalationTriage = (
  store: PortfolioStore,
  now: string,
  ids?: readonly number[],
): { id: number; suggestion: TriageSuggestion }[] => {
  const rows = ids?.length
    ? escalationTexts(store, `WHERE e.id IN (${ids.map(() => '?').join(',')})`, [...ids])
    : escalationTexts(store, "WHERE e.status IN ('open','acknowledged','in_progress')");
  const out = rows.map((r) => ({ id: r.id, suggestion: suggestForText(store, r.text) }));
  store.write((tx) => {
    for (const { id, suggestion: s } of out) {
      tx.run(
        `INSERT INTO triage_suggestions(target, target_id, category, category_confidence, severity, severity_confidence, model, suggested_at)
         VALUES ('escalation', ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(target, target_id) DO UPDATE SET category = excluded.category, category_confidence = excluded.category_confidence,
           severity = excluded.severity, severity_confidence = excluded.severity_confidence, model = excluded.model, suggested_at = excluded.suggested_at`,
        [id, s.category, s.categoryConfidence, s.severity, s.severityConfidence, s.model, now],
      );
    }
  });
  return out;
};

/** A person accepts or changes an escalation's category / severity; it is written to the escalation and trains the next model. */
export const decideEscalationTriage = (
  store: PortfolioStore,
  d: { escalationId: number; category: string; severity: string; by: string; at: string },
): void => {
  if (!store.get('SELECT 1 AS x FROM escalations WHERE id = ?', [d.escalationId]))
    throw new Error(`no escalation ${d.escalationId}`);
  store.write((tx) => {
    tx.run(
      `INSERT INTO triage_suggestions(target, target_id, model, suggested_at, decided_by, decided_at, final_category, final_severity)
       VALUES ('escalation', ?, 'human', ?, ?, ?, ?, ?)
       ON CONFLICT(target, target_id) DO UPDATE SET decided_by = excluded.decided_by, decided_at = excluded.decided_at,
         final_category = excluded.final_category, final_severity = excluded.final_severity`,
      [d.escalationId, d.at, d.by, d.at, d.category, d.severity],
    );
    tx.run('UPDATE escalations SET category = ?, severity = ? WHERE id = ?', [
      d.category,
      d.severity,
      d.escalationId,
    ]);
  });
};
