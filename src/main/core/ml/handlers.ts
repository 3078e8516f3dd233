/**
 * The predictive model's handlers: the model card, versions (compare, rollback), training with progress,
 * threshold refinement for the rules, and the bridge that feeds the active model into the risk score.
 *
 * Training and the threshold sweep run in a worker thread on a copy of the portfolio (`worker-client.ts`),
 * report progress as tasks 'model.train' / 'model.thresholds' and can be cancelled ('model.cancel'); the main
 * thread only exports the portfolio, saves the result and rescores, so the app keeps answering meanwhile.
 */
import type {
  ModelCardView,
  ModelComparison,
  ModelMetricDelta,
  ModelTrainResult,
  ModelVersionRow,
  ThresholdSuggestions,
} from '../../../shared/contracts/ml';
import { CoreError } from '../../../shared/result';
import type { HandlerMap } from '../api/registry';
import type { Core } from '../core';
import { loadConfig } from '../risk/config';
import { rescoreAll, setModelProvider } from '../risk/engine';
import { ensureDefaultRules } from '../risk/rules';
import { cardFor, modelCard } from './card';
import { activateModel, activeModel, getModel, listModels, type StoredModel, saveModel } from './model-store';
import type { PortfolioModelKind } from './portfolio-model';
import { modelProvider } from './risk-features';
import { modelName } from './service';
import { applyThresholds, type ThresholdOptions } from './thresholds';
import type { TrainJobResult } from './train-job';
import type { WorkerRequest } from './train-worker';
import { JobCancelled, runInWorker } from './worker-client';

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
  // The day's probabilities, per account, for one model version and risk configuration. The model reads
  // features as of the day (midnight), so they hold all day unless the account's records change: a rescore of
  // a few accounts (after a new ticket, an import, a sync) always recomputes theirs; a portfolio-wide rescore
  // computes only the accounts it has not seen today.
  let cache: { store: unknown; key: string; probs: Map<number, number> } | null = null;
  setModelProvider(core, (accountIds, asOf, signals) => {
    const store = core.store;
    let model: ReturnType<typeof activeModel>;
    const horizon = HORIZONS.find((h) => {
      model = activeModel(store, modelName(h));
      return model !== undefined;
    });
    if (horizon === undefined || !model) return new Map();
    const config = loadConfig(store);
    const key = `${model.id}|${asOf.toISOString().slice(0, 10)}|${JSON.stringify(config)}`;
    if (!cache || cache.store !== store || cache.key !== key) cache = { store, key, probs: new Map() };
    const probs = cache.probs;
    const todo = accountIds.length <= FRESH_LIMIT ? accountIds : accountIds.filter((id) => !probs.has(id));
    if (todo.length) {
      const got = modelProvider(store, { horizonDays: horizon, config })(todo, asOf, signals);
      for (const id of todo) probs.set(id, got.get(id) ?? Number.NaN);
    }
    const out = new Map<number, number>();
    for (const id of accountIds) {
      const p = probs.get(id);
      if (p !== undefined && !Number.isNaN(p)) out.set(id, p);
    }
    return out;
  });
};
/** Up to this many accounts, the model's probabilities are always computed afresh (incremental rescores). */
const FRESH_LIMIT = 500;

// ---------------------------------------------------------------- jobs in a worker thread

export type ModelTask = 'model.train' | 'model.thresholds';

/** The jobs running per core (at most one of each kind), for refusing a second one and for cancelling. */
const running = new WeakMap<Core, Map<ModelTask, { cancel(): void }>>();
const jobsOf = (core: Core): Map<ModelTask, { cancel(): void }> => {
  let m = running.get(core);
  if (!m) {
    m = new Map();
    running.set(core, m);
  }
  return m;
};

export const isRunning = (core: Core, task: ModelTask): boolean => jobsOf(core).has(task);

/** Cancels the running model jobs (or the one named); returns the tasks that were cancelled. */
export const cancelJobs = (core: Core, task?: ModelTask): ModelTask[] => {
  const jobs = jobsOf(core);
  const out: ModelTask[] = [];
  for (const [t, j] of [...jobs]) {
    if (task && t !== task) continue;
    j.cancel();
    out.push(t);
  }
  return out;
};

/**
 * Runs one job on a copy of the open portfolio in a worker thread, emitting `progress` events for `task`
 * (the last one with `finished`). Rejects with a CoreError 'conflict' when cancelled or when the portfolio
 * was replaced meanwhile (the result would belong to another portfolio).
 */
const inWorker = async <T>(
  core: Core,
  task: ModelTask,
  start: string,
  request: (bytes: Uint8Array) => WorkerRequest,
): Promise<T> => {
  const jobs = jobsOf(core);
  if (jobs.has(task))
    throw new CoreError(
      'conflict',
      task === 'model.train' ? 'a model is already being trained' : 'a threshold sweep is already running',
    );
  const store = core.store;
  let last = { done: 0, total: 1 };
  const emit = (done: number, total: number, label: string, finished?: boolean) => {
    last = { done, total };
    core.bus.emit('progress', { task, done, total, label, ...(finished ? { finished } : {}) });
  };
  emit(0, 1, start);
  let job: ReturnType<typeof runInWorker<T>>;
  try {
    job = runInWorker<T>(request(store.engine.export()), (d, n, label) => emit(d, n, label));
  } catch (e) {
    emit(1, 1, 'Failed', true);
    throw e;
  }
  jobs.set(task, job);
  try {
    const result = await job.result;
    if (core.store !== store)
      throw new CoreError('conflict', 'the portfolio was replaced while the job ran; nothing was saved');
    return result;
  } catch (e) {
    emit(last.done, last.total, e instanceof JobCancelled ? 'Cancelled' : 'Failed', true);
    if (e instanceof JobCancelled) throw new CoreError('conflict', `${task}: cancelled`);
    if (e instanceof CoreError) throw e;
    throw new CoreError('internal', (e as Error).message);
  } finally {
    jobs.delete(task);
  }
};

// ---------------------------------------------------------------- training

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
 * Trains a new version on the portfolio's own history in a worker thread (progress as task 'model.train',
 * cancellable with `cancelJobs`), stores it, activates it when it is at least as good as the active one, and
 * rescores the portfolio when it was activated.
 */
export const trainModel = async (core: Core, opts: TrainOptions = {}): Promise<ModelTrainResult> => {
  const t0 = performance.now();
  const horizonDays = opts.horizonDays ?? SCORE_HORIZON_DAYS;
  const kinds: PortfolioModelKind[] =
    opts.kind === undefined || opts.kind === 'best' ? ['logistic', 'gbt'] : [opts.kind];
  const task = 'model.train';
  const r = await inWorker<TrainJobResult>(core, task, 'Preparing the training data', (bytes) => ({
    type: 'train',
    bytes,
    job: { horizonDays, kinds, months: opts.months ?? 24, config: loadConfig(core.store) },
  })).catch((e: unknown) => {
    if (e instanceof CoreError && /too short/.test(e.message))
      throw new CoreError('invalid_arguments', e.message);
    throw e;
  });
  try {
    return saveTrained(core, r, { ...opts, horizonDays }, t0);
  } catch (e) {
    core.bus.emit('progress', { task, done: 1, total: 1, label: 'Failed', finished: true });
    throw e;
  }
};

/** Stores a model trained in the worker, activates it when it should be, and rescores (main thread). */
const saveTrained = (
  core: Core,
  r: TrainJobResult,
  opts: TrainOptions & { horizonDays: number },
  t0: number,
): ModelTrainResult => {
  const task = 'model.train';
  core.bus.emit('progress', { task, done: 19, total: 20, label: 'Saving the model and rescoring' });
  const store = core.store;
  const name = modelName(opts.horizonDays);
  const previous = activeModel(store, name);
  const prevAuc = num(previous?.metrics.auc);
  const mode = opts.activate ?? 'if-better';
  const activate =
    mode === 'always' ||
    (mode === 'if-better' && (!previous || prevAuc === null || !(r.auc < prevAuc - 0.005)));
  const stored = saveModel(store, {
    name,
    kind: r.kind,
    model: { toJSON: () => r.model },
    metrics: r.metrics,
    training: r.training,
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
  const model = versionRow(stored);
  const prev = previous ? versionRow(previous) : null;
  core.bus.emit('progress', {
    task,
    done: 1,
    total: 1,
    label: activate ? `Model v${stored.version} trained and activated` : `Model v${stored.version} trained`,
    finished: true,
  });
  return {
    model,
    activated: activate,
    previous: prev,
    comparison: prev ? compareVersions(prev, model) : null,
    tried: r.tried,
    card: cardFor(stored, previous),
    ms: Math.round(performance.now() - t0),
  };
};

/** The threshold sweep (thresholds.ts) in a worker thread, with progress as task 'model.thresholds'. */
export const sweepThresholds = async (
  core: Core,
  options: Omit<ThresholdOptions, 'onProgress'> = {},
): Promise<ThresholdSuggestions> => {
  ensureDefaultRules(core.store, core.now().toISOString());
  const task = 'model.thresholds';
  const r = await inWorker<ThresholdSuggestions>(core, task, 'Preparing the backtest', (bytes) => ({
    type: 'thresholds',
    bytes,
    job: { now: core.now().toISOString(), options },
  }));
  core.bus.emit('progress', { task, done: 1, total: 1, label: 'Thresholds ready', finished: true });
  return r;
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
  if (isRunning(core, 'model.train'))
    return { newOutcomes, trained: false, reason: 'a training is already running' };
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
    'model.cancel': ({ task }) => ({ cancelled: cancelJobs(core, task) }),
    'model.thresholds': (args) =>
      sweepThresholds(core, {
        ...(args.ruleId !== undefined ? { ruleId: args.ruleId } : {}),
        ...(args.budgetPerCsmPerWeek !== undefined ? { budgetPerCsmPerWeek: args.budgetPerCsmPerWeek } : {}),
        ...(args.horizonDays !== undefined ? { horizonDays: args.horizonDays } : {}),
      }),
    'model.applyThresholds': ({ choices, updatedBy }) => applyThresholds(core, choices, updatedBy ?? null),
  };
};
