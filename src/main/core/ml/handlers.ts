/**
 * The predictive model's handlers: the model card, versions (compare, rollback), training with progress,
 * threshold refinement for the rules, and the bridge that feeds the active model into the risk score.
 *
 * Training runs in the core's process but yields to the event loop between its phases (table, baseline,
 * each learner, save) and reports progress as task 'model.train', so the server keeps answering meanwhile.
 */
import type {
  ModelCardView,
  ModelComparison,
  ModelMetricDelta,
  ModelTrainResult,
  ModelVersionRow,
} from '../../../shared/contracts/ml';
import { CoreError } from '../../../shared/result';
import type { RiskConfig } from '../../../shared/risk-types';
import type { HandlerMap } from '../api/registry';
import type { Core } from '../core';
import { loadConfig } from '../risk/config';
import { rescoreAll, setModelProvider } from '../risk/engine';
import { cardFor, modelCard } from './card';
import { activateModel, activeModel, getModel, listModels, type StoredModel, saveModel } from './model-store';
import { type PortfolioModelKind, type PortfolioTrainResult, trainPortfolioModel } from './portfolio-model';
import { modelProvider, riskSignalFeatures, ruleScoreBaseline } from './risk-features';
import { modelName } from './service';
import { applyThresholds, suggestThresholds } from './thresholds';
import { buildTrainingTable, latestRecordDate, monthlySnapshots } from './training-table';

/** The horizon whose active model feeds the risk score (falls back to any other active horizon). */
export const SCORE_HORIZON_DAYS = 60;
const HORIZONS = [60, 30, 90] as const;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export const versionRow = (m: StoredModel): ModelVersionRow => {
  const x = m.metrics;
  const t = m.training as {
    horizonDays?: number;
    window?: ModelVersionRow['window'];
    size?: ModelVersionRow['size'];
  };
  return {
    id: m.id,
    name: m.name,
    version: m.version,
    kind: m.kind,
    createdAt: m.createdAt,
    active: m.active,
    activatedAt: m.activatedAt,
    horizonDays: t.horizonDays ?? null,
    window: t.window ?? null,
    size: t.size ?? null,
    auc: num(x.auc),
    brier: num(x.brier),
    precisionAtBudget: num(x.precisionAtBudget),
    recallAtBudget: num(x.recallAtBudget),
    liftAtBudget: num(x.liftAtBudget),
    medianLeadTimeDays: num(x.medianLeadTimeDays),
    baselineAuc: num(x.baselineAuc),
    notes: m.notes,
  };
};

/** Metrics compared between versions, and whether higher is better. */
const COMPARED: { metric: keyof ModelVersionRow; higherIsBetter: boolean }[] = [
  { metric: 'auc', higherIsBetter: true },
  { metric: 'brier', higherIsBetter: false },
  { metric: 'precisionAtBudget', higherIsBetter: true },
  { metric: 'recallAtBudget', higherIsBetter: true },
  { metric: 'liftAtBudget', higherIsBetter: true },
  { metric: 'medianLeadTimeDays', higherIsBetter: true },
];

export const compareVersions = (a: ModelVersionRow, b: ModelVersionRow): ModelComparison => {
  const deltas: ModelMetricDelta[] = COMPARED.map(({ metric, higherIsBetter }) => {
    const va = num(a[metric]);
    const vb = num(b[metric]);
    const delta = va !== null && vb !== null ? vb - va : null;
    const better =
      delta === null || Math.abs(delta) < 1e-9
        ? null
        : delta > 0 === higherIsBetter
          ? ('b' as const)
          : ('a' as const);
    return { metric, a: va, b: vb, delta, better };
  });
  const auc = deltas[0]!;
  const summary =
    auc.delta === null
      ? `v${b.version} vs v${a.version}: AUC not measured on both`
      : auc.better === null
        ? `v${b.version} and v${a.version} have the same AUC (${auc.b!.toFixed(3)})`
        : `v${auc.better === 'b' ? b.version : a.version} is better on AUC (${auc.a!.toFixed(3)} → ${auc.b!.toFixed(3)}, ${auc.delta >= 0 ? '+' : ''}${auc.delta.toFixed(3)})`;
  return { a, b, deltas, summary };
};

const cardOf = (core: Core, horizonDays: number): ModelCardView | null =>
  modelCard(core.store, modelName(horizonDays)) ?? null;

// ---------------------------------------------------------------- the model factor of the risk score

/**
 * Feeds the active model's calibrated probability into the risk score's "model" factor. The provider reads
 * `core.store` at each call (the portfolio can be replaced) and costs one indexed query when no model has
 * been trained, so attaching it at startup does not slow anything down.
 */
export const attachModel = (core: Core): void => {
  setModelProvider(core, (accountIds, asOf) => {
    const store = core.store;
    const horizon = HORIZONS.find((h) => activeModel(store, modelName(h)) !== undefined);
    if (horizon === undefined) return new Map();
    return modelProvider(store, { horizonDays: horizon, config: loadConfig(store) })(accountIds, asOf);
  });
};

// ---------------------------------------------------------------- training

const training = new WeakSet<Core>();
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

const addMonths = (d: string, n: number): string => {
  const dt = new Date(`${d.slice(0, 7)}-01T00:00:00Z`);
  dt.setUTCMonth(dt.getUTCMonth() + n);
  return dt.toISOString().slice(0, 10);
};

export interface TrainOptions {
  horizonDays?: number;
  kind?: PortfolioModelKind | 'best';
  months?: number;
  activate?: 'always' | 'if-better' | 'never';
  /** Rescore the portfolio when the new model becomes active (default true). */
  rescore?: boolean;
  notes?: string;
}

/**
 * Trains a new version on the portfolio's own history (the same steps as service.trainAndStore, with a
 * yield and a progress event between phases), stores it, activates it when it is at least as good as the
 * active one, and rescores the portfolio when it was activated.
 */
export const trainModel = async (core: Core, opts: TrainOptions = {}): Promise<ModelTrainResult> => {
  if (training.has(core)) throw new CoreError('conflict', 'a model is already being trained');
  training.add(core);
  const t0 = performance.now();
  const horizonDays = opts.horizonDays ?? SCORE_HORIZON_DAYS;
  const kinds: PortfolioModelKind[] =
    opts.kind === undefined || opts.kind === 'best' ? ['logistic', 'gbt'] : [opts.kind];
  const total = 3 + kinds.length;
  let done = 0;
  const progress = async (label: string, finished = false) => {
    core.bus.emit('progress', { task: 'model.train', done, total, label, ...(finished ? { finished } : {}) });
    await tick();
  };
  try {
    await progress('Building the training table');
    const store = core.store;
    const config: RiskConfig = loadConfig(store);
    const observedUntil = latestRecordDate(store);
    const table = buildTrainingTable(store, {
      snapshotDates: monthlySnapshots(addMonths(observedUntil, -(opts.months ?? 24)), observedUntil),
      horizonDays,
      featureFn: riskSignalFeatures(config),
      observedUntil,
    });
    if (table.rows.length === 0)
      throw new CoreError(
        'invalid_arguments',
        'no labelled snapshots: the portfolio history is too short for this horizon',
      );
    done++;
    await progress('Scoring the rule-based baseline');
    const baseline = ruleScoreBaseline(store, config)(table);
    done++;
    const tried: Record<string, number> = {};
    let best: PortfolioTrainResult | undefined;
    for (const kind of kinds) {
      await progress(kind === 'gbt' ? 'Training gradient-boosted trees' : 'Training logistic regression');
      const r = trainPortfolioModel(table, { kind, baseline });
      tried[kind] = r.test.auc;
      if (!best || r.test.auc > best.test.auc) best = r;
      done++;
    }
    await progress('Saving the model');
    const result = best!;
    const name = modelName(horizonDays);
    const previous = activeModel(store, name);
    const prevAuc = num(previous?.metrics.auc);
    const mode = opts.activate ?? 'if-better';
    const activate =
      mode === 'always' ||
      (mode === 'if-better' && (!previous || prevAuc === null || !(result.test.auc < prevAuc - 0.005)));
    const stored = saveModel(store, {
      name,
      kind: result.kind,
      model: result.model,
      metrics: { ...result.test, topFeatures: result.topFeatures, warnings: result.warnings, tried },
      training: {
        window: result.window,
        size: result.size,
        horizonDays,
        featureNames: result.featureNames,
        observedUntil,
        censored: table.censored,
        alreadyEscalated: table.alreadyEscalated,
        params: result.params,
      },
      activate,
      ...(opts.notes ? { notes: opts.notes } : {}),
      now: core.now(),
    });
    if (activate && (opts.rescore ?? true)) {
      try {
        rescoreAll(core);
      } catch {
        // Scores catch up at the next rescore.
      }
    }
    core.bus.emit('data.changed', { entities: ['models'] });
    done++;
    const model = versionRow(stored);
    const prev = previous ? versionRow(previous) : null;
    const result_: ModelTrainResult = {
      model,
      activated: activate,
      previous: prev,
      comparison: prev ? compareVersions(prev, model) : null,
      tried,
      card: cardFor(stored, previous),
      ms: Math.round(performance.now() - t0),
    };
    await progress(
      activate ? `Model v${stored.version} trained and activated` : `Model v${stored.version} trained`,
      true,
    );
    return result_;
  } catch (e) {
    core.bus.emit('progress', {
      task: 'model.train',
      done: total,
      total,
      label: 'Training failed',
      finished: true,
    });
    throw e;
  } finally {
    training.delete(core);
  }
};

/** Makes model `id` the active one (rollback) and rescores the portfolio with it. */
export const activateVersion = (core: Core, id: number): ModelVersionRow => {
  if (!getModel(core.store, id)) throw new CoreError('not_found', `no model ${id}`, 'id');
  const m = activateModel(core.store, id, core.now());
  try {
    rescoreAll(core);
  } catch {
    // Scores catch up at the next rescore.
  }
  core.bus.emit('data.changed', { entities: ['models'] });
  return versionRow(m);
};

// ---------------------------------------------------------------- retraining after new outcomes

export interface RetrainCheck {
  /** Outcomes recorded since the active model was trained (all outcomes when none is trained yet). */
  newOutcomes: number;
  trained: boolean;
  result?: ModelTrainResult;
  reason: string;
}

/**
 * Retrains when at least `afterOutcomes` outcomes were resolved since the active model's training (for the
 * outcome capture to call after recording one). Never throws: a failed training is reported in `reason`.
 */
export const maybeRetrain = async (
  core: Core,
  opts: { afterOutcomes?: number; horizonDays?: number; kind?: PortfolioModelKind | 'best' } = {},
): Promise<RetrainCheck> => {
  const n = opts.afterOutcomes ?? 10;
  const horizonDays = opts.horizonDays ?? SCORE_HORIZON_DAYS;
  const store = core.store;
  const active = activeModel(store, modelName(horizonDays)) ?? listModels(store, modelName(horizonDays))[0];
  const since = active?.createdAt ?? '';
  const newOutcomes =
    store.get<{ n: number }>('SELECT count(*) AS n FROM outcomes WHERE resolved_at > ?', [since])?.n ?? 0;
  if (newOutcomes < n)
    return { newOutcomes, trained: false, reason: `${newOutcomes} new outcomes (retraining after ${n})` };
  if (training.has(core)) return { newOutcomes, trained: false, reason: 'a training is already running' };
  try {
    const result = await trainModel(core, {
      horizonDays,
      ...(opts.kind ? { kind: opts.kind } : {}),
      notes: `retrained after ${newOutcomes} new outcomes`,
    });
    return {
      newOutcomes,
      trained: true,
      result,
      reason: `retrained after ${newOutcomes} new outcomes${result.activated ? '' : ' (kept the previous model: the new one was worse)'}`,
    };
  } catch (e) {
    return { newOutcomes, trained: false, reason: `retraining failed: ${(e as Error).message}` };
  }
};

// ---------------------------------------------------------------- handlers

export const mlHandlers = (core: Core): HandlerMap => {
  attachModel(core);
  return {
    'model.card': ({ horizonDays }) => cardOf(core, horizonDays ?? SCORE_HORIZON_DAYS),
    'model.versions': ({ horizonDays }) =>
      listModels(core.store, modelName(horizonDays ?? SCORE_HORIZON_DAYS)).map(versionRow),
    'model.activate': ({ id }) => activateVersion(core, id),
    'model.compare': ({ a, b }) => {
      const ma = getModel(core.store, a);
      const mb = getModel(core.store, b);
      if (!ma) throw new CoreError('not_found', `no model ${a}`, 'a');
      if (!mb) throw new CoreError('not_found', `no model ${b}`, 'b');
      return compareVersions(versionRow(ma), versionRow(mb));
    },
    'model.train': ({ horizonDays, kind }) =>
      trainModel(core, { ...(horizonDays ? { horizonDays } : {}), ...(kind ? { kind } : {}) }),
    'model.thresholds': (args) =>
      suggestThresholds(core, {
        ...(args.ruleId !== undefined ? { ruleId: args.ruleId } : {}),
        ...(args.budgetPerCsmPerWeek !== undefined ? { budgetPerCsmPerWeek: args.budgetPerCsmPerWeek } : {}),
        ...(args.horizonDays !== undefined ? { horizonDays: args.horizonDays } : {}),
      }),
    'model.applyThresholds': ({ choices, updatedBy }) => applyThresholds(core, choices, updatedBy ?? null),
  };
};
