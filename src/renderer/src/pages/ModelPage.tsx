/**
 * The model card: how well the escalation model trained on this portfolio's own history predicts, measured on
 * the latest months it did not learn from — AUC, precision and recall at the alert budget, lift, Brier score,
 * calibration, median lead time, false-positive rate, the most predictive signals with their direction, the
 * training window and size, and a plain warning when the data is too small to trust. Model versions can be
 * compared and rolled back; "Train now" retrains with progress.
 *
 * Below: the alert-threshold trade-off (precision vs recall vs lead time per rule threshold, backtested), an
 * operating-point picker and "Apply to rules". When the core does not answer a handler, the page says so
 * instead of showing invented numbers.
 */
import { lazy, Suspense, useState } from 'react';
import type { ProgressEvent } from '../../../shared/contract';
import type {
  ModelCardView,
  ModelComparison,
  ModelHorizon,
  ModelKindChoice,
  ModelVersionRow,
  mlContract,
  RuleThresholdSuggestion,
} from '../../../shared/contracts/ml';
import type { ApiError } from '../../../shared/result';
import type { Loadable } from '../api/useCall';
import { ErrorState, Loading } from '../components/StateViews';
import { formatDate, formatDateTime, formatInt, humanize } from '../format';
import { useProgress } from '../state/progress';
import { areaApi, loaded } from './area-api';

const CalibrationChart = lazy(() =>
  import('../components/ModelCharts').then((m) => ({ default: m.CalibrationChart })),
);
const TradeoffChart = lazy(() =>
  import('../components/ModelCharts').then((m) => ({ default: m.TradeoffChart })),
);

type ModelCard = ModelCardView;
const ml = areaApi<typeof mlContract>();

const num = (n: number | null | undefined, digits = 2): string =>
  n === null || n === undefined ? '—' : n.toFixed(digits);
const pct = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : `${Math.round(n * 100)}%`;
const days = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : `${Math.round(n)} day${Math.round(n) === 1 ? '' : 's'}`;

const WRAP = { whiteSpace: 'normal', overflow: 'visible' } as const;

const isMissingHandler = (e: ApiError): boolean =>
  e.code === 'unknown_handler' || /unknown handler|no handler|not registered/i.test(e.message);

/** A job stopped with "Cancel" (the core answers 'conflict' with "…: cancelled"). */
const isCancelled = (e: ApiError): boolean => e.code === 'conflict' && /cancelled$/.test(e.message);

/** A worker job's progress as the core reports it: its current step and how far along it is. */
const JobProgress = ({
  task,
  testId,
  idle,
}: {
  task: ProgressEvent | undefined;
  testId: string;
  idle: string;
}) => {
  const share = task && task.total > 0 ? Math.min(1, task.done / task.total) : null;
  return (
    <span className="small" role="status" data-testid={testId}>
      {task ? `${task.label ?? task.task}${share !== null ? ` — ${Math.round(share * 100)}%` : ''}` : idle}
      {share !== null ? (
        <progress
          max={100}
          value={Math.round(share * 100)}
          style={{ marginLeft: 8, verticalAlign: 'middle' }}
        />
      ) : null}
    </span>
  );
};

const Metric = ({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: string;
  hint?: string;
  testId?: string;
}) => (
  <div>
    <dt>{label}</dt>
    <dd className="fact-strong" data-testid={testId} title={hint}>
      {value}
    </dd>
    {hint ? (
      <dd className="small muted" style={WRAP}>
        {hint}
      </dd>
    ) : null}
  </div>
);

const Headline = ({ c }: { c: ModelCard }) => {
  const m = c.metrics;
  return (
    <dl className="facts" data-testid="model-metrics">
      <Metric
        label="AUC"
        value={num(m.auc)}
        testId="metric-auc"
        hint="0.5 = chance, 1 = perfect ranking of accounts by risk"
      />
      <Metric
        label="Precision at budget"
        value={pct(m.precisionAtBudget)}
        hint="flags that were real escalations"
      />
      <Metric
        label="Recall at budget"
        value={pct(m.recallAtBudget)}
        hint={
          m.escalationsCaught !== null && m.escalationsTotal !== null
            ? `${formatInt(m.escalationsCaught)} of ${formatInt(m.escalationsTotal)} escalations flagged`
            : 'escalations flagged in time'
        }
      />
      <Metric
        label="Lift at budget"
        value={m.liftAtBudget === null ? '—' : `${num(m.liftAtBudget, 1)}×`}
        hint="vs flagging at random"
      />
      <Metric label="Brier score" value={num(m.brier, 3)} hint="lower is better; probability accuracy" />
      <Metric label="Median lead time" value={days(m.medianLeadTimeDays)} hint="first flag → escalation" />
      <Metric label="False-positive rate" value={pct(m.falsePositiveRate)} hint="calm accounts flagged" />
      <Metric
        label="Horizon"
        value={c.horizonDays ? `${c.horizonDays} days` : '—'}
        hint="predicts an escalation within"
      />
    </dl>
  );
};

const Baseline = ({ c }: { c: ModelCard }) => {
  if (!c.baseline) return null;
  const b = c.baseline;
  return (
    <table className="mini-table" data-testid="model-vs-rules">
      <thead>
        <tr>
          <th scope="col">Same test period</th>
          <th scope="col" className="num">
            AUC
          </th>
          <th scope="col" className="num">
            Precision at budget
          </th>
          <th scope="col" className="num">
            Median lead time
          </th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>This model</td>
          <td className="num">{num(c.metrics.auc)}</td>
          <td className="num">{pct(c.metrics.precisionAtBudget)}</td>
          <td className="num">{days(c.metrics.medianLeadTimeDays)}</td>
        </tr>
        <tr>
          <td>Rule-based score alone</td>
          <td className="num">{num(b.auc)}</td>
          <td className="num">{pct(b.precisionAtBudget)}</td>
          <td className="num">{days(b.medianLeadTimeDays)}</td>
        </tr>
        {c.combined ? (
          <tr>
            <td title="The risk score as shown in the queue: rule points plus up to 12 model points">
              Risk score (rules + model)
            </td>
            <td className="num">{num(c.combined.auc)}</td>
            <td className="num">{pct(c.combined.precisionAtBudget)}</td>
            <td className="num">{days(c.combined.medianLeadTimeDays)}</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
};

const Signals = ({ c }: { c: ModelCard }) => {
  if (c.topSignals.length === 0) return <p className="muted small">No signal importances recorded.</p>;
  const max = Math.max(...c.topSignals.map((s) => Math.abs(s.importance)), 1e-9);
  return (
    <table className="mini-table" data-testid="top-signals">
      <thead>
        <tr>
          <th scope="col">Signal</th>
          <th scope="col">Direction</th>
          <th scope="col">Weight</th>
        </tr>
      </thead>
      <tbody>
        {c.topSignals.slice(0, 12).map((s) => (
          <tr key={s.feature}>
            <td>{humanize(s.feature)}</td>
            <td className={s.direction === 1 ? 'small' : 'small muted'}>
              {s.direction === 1 ? '▲ higher → more risk' : '▼ higher → less risk'}
            </td>
            <td style={{ width: '40%' }}>
              <div
                aria-hidden="true"
                style={{
                  height: 8,
                  width: `${Math.max(4, (Math.abs(s.importance) / max) * 100)}%`,
                  background: s.direction === 1 ? 'var(--poor)' : 'var(--good)',
                  borderRadius: 4,
                }}
              />
              <span className="small muted">{s.importance.toFixed(3)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

const Training = ({ c }: { c: ModelCard }) => (
  <dl className="facts" data-testid="training-window">
    <div>
      <dt>Model</dt>
      <dd style={WRAP}>
        {c.name} v{c.version} · {humanize(c.kind)}
      </dd>
    </div>
    <div>
      <dt>Trained</dt>
      <dd style={WRAP}>{formatDateTime(c.createdAt)}</dd>
    </div>
    <div>
      <dt>Learned from</dt>
      <dd style={WRAP}>{c.window ? `${formatDate(c.window.from)} – ${formatDate(c.window.to)}` : '—'}</dd>
    </div>
    <div>
      <dt>Tested on (later months)</dt>
      <dd style={WRAP}>
        {c.window ? `${formatDate(c.window.testFrom)} – ${formatDate(c.window.testTo)}` : '—'}
      </dd>
    </div>
    <div>
      <dt>Size</dt>
      <dd style={WRAP}>
        {c.size
          ? `${formatInt(c.size.rows)} account-months, ${formatInt(c.size.positives)} escalations (${formatInt(c.size.testRows)} rows / ${formatInt(c.size.testPositives)} escalations in the test)`
          : '—'}
      </dd>
    </div>
  </dl>
);

const HORIZONS: readonly ModelHorizon[] = [30, 60, 90];

const COMPARE_LABEL: Record<string, { label: string; fmt: (n: number | null) => string }> = {
  auc: { label: 'AUC', fmt: (n) => num(n) },
  brier: { label: 'Brier (lower is better)', fmt: (n) => num(n, 3) },
  precisionAtBudget: { label: 'Precision at budget', fmt: pct },
  recallAtBudget: { label: 'Recall at budget', fmt: pct },
  liftAtBudget: { label: 'Lift at budget', fmt: (n) => (n === null ? '—' : `${num(n, 1)}×`) },
  medianLeadTimeDays: { label: 'Median lead time', fmt: days },
};

const ComparisonView = ({ c }: { c: ModelComparison }) => (
  <div data-testid="model-comparison">
    <p className="small">
      <strong>{c.summary}</strong>
    </p>
    <table className="mini-table">
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col" className="num">
            v{c.a.version}
          </th>
          <th scope="col" className="num">
            v{c.b.version}
          </th>
          <th scope="col">Better</th>
        </tr>
      </thead>
      <tbody>
        {c.deltas.map((d) => {
          const f = COMPARE_LABEL[d.metric] ?? {
            label: humanize(d.metric),
            fmt: (n: number | null) => num(n),
          };
          return (
            <tr key={d.metric}>
              <td>{f.label}</td>
              <td className="num">{f.fmt(d.a)}</td>
              <td className="num">{f.fmt(d.b)}</td>
              <td>{d.better === null ? '—' : `v${d.better === 'a' ? c.a.version : c.b.version}`}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  </div>
);

const Versions = ({
  versions,
  onActivated,
}: {
  versions: Loadable<ModelVersionRow[]> & { reload: () => void };
  onActivated: () => void;
}) => {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [comparison, setComparison] = useState<ModelComparison | null>(null);
  if (versions.status === 'error')
    return isMissingHandler(versions.error) ? null : (
      <p className="error-message small">{versions.error.message}</p>
    );
  const list = loaded(versions);
  if (!list) return <Loading what="model versions" />;
  if (list.length === 0) return <p className="muted small">No model trained for this horizon yet.</p>;
  const inUse = list.find((v) => v.active);
  const activate = async (id: number) => {
    setBusy(id);
    setError(null);
    const r = await ml.call('model.activate', { id });
    setBusy(null);
    if (!r.ok) setError(r.error);
    onActivated();
  };
  const compare = async (a: number, b: number) => {
    setError(null);
    const r = await ml.call('model.compare', { a, b });
    if (!r.ok) setError(r.error);
    else setComparison(r.value);
  };
  return (
    <>
      <table className="mini-table" data-testid="model-versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Trained</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              AUC
            </th>
            <th scope="col" className="num">
              Rules alone
            </th>
            <th scope="col" className="num">
              Precision @ budget
            </th>
            <th scope="col" className="num">
              Recall @ budget
            </th>
            <th scope="col" className="num">
              Brier
            </th>
            <th scope="col" className="num">
              Lead time
            </th>
            <th scope="col" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {list.map((v) => (
            <tr key={v.id}>
              <td>
                v{v.version} {v.active ? <span className="badge badge-pos">in use</span> : null}
                {v.notes ? <div className="small muted">{v.notes}</div> : null}
              </td>
              <td className="nowrap">{formatDateTime(v.createdAt)}</td>
              <td>{humanize(v.kind)}</td>
              <td className="num">{num(v.auc)}</td>
              <td className="num">{num(v.baselineAuc)}</td>
              <td className="num">{pct(v.precisionAtBudget)}</td>
              <td className="num">{pct(v.recallAtBudget)}</td>
              <td className="num">{num(v.brier, 3)}</td>
              <td className="num">{days(v.medianLeadTimeDays)}</td>
              <td className="nowrap">
                {v.active ? null : (
                  <>
                    {inUse ? (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => void compare(inUse.id, v.id)}
                      >
                        Compare with v{inUse.version}
                      </button>
                    ) : null}{' '}
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={busy !== null}
                      onClick={() => void activate(v.id)}
                    >
                      {inUse && inUse.version > v.version ? 'Roll back to this' : 'Use this version'}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {comparison ? <ComparisonView c={comparison} /> : null}
      {error ? (
        <p className="error-message small" role="alert">
          {error.message}
        </p>
      ) : null}
    </>
  );
};

const Comparison = ({ c }: { c: ModelCard }) => {
  if (!c.previous) return null;
  const d = c.metrics.auc !== null && c.previous.auc !== null ? c.metrics.auc - c.previous.auc : null;
  return (
    <p className="small" data-testid="model-compare">
      Compared with the previous version (v{c.previous.version}, {formatDateTime(c.previous.createdAt)}): AUC{' '}
      {num(c.previous.auc)} → {num(c.metrics.auc)}
      {d !== null ? ` (${d >= 0 ? '+' : ''}${d.toFixed(3)})` : ''}.
    </p>
  );
};

const Train = ({ horizon, onTrained }: { horizon: ModelHorizon; onTrained: () => void }) => {
  const [kind, setKind] = useState<ModelKindChoice>('best');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const task = useProgress((s) => s.tasks['model.train']);
  const train = async () => {
    setBusy(true);
    setError(null);
    setMsg(null);
    const r = await ml.call('model.train', { horizonDays: horizon, kind });
    setBusy(false);
    if (!r.ok) {
      if (isCancelled(r.error)) setMsg('Training cancelled; the model in use is unchanged.');
      else setError(r.error);
    } else {
      const x = r.value;
      const tried = Object.entries(x.tried)
        .map(([k, v]) => `${humanize(k)} ${v.toFixed(3)}`)
        .join(', ');
      setMsg(
        `Trained v${x.model.version} (${humanize(x.model.kind)}, test AUC ${num(x.model.auc)}${tried ? `; tried: ${tried}` : ''}) in ${(x.ms / 1000).toFixed(1)} s. ${x.activated ? 'It is now in use.' : 'It did not beat the model in use, which stays active; you can switch below.'}${x.comparison ? ` ${x.comparison.summary}.` : ''}`,
      );
    }
    onTrained();
  };
  return (
    <div>
      <div className="toolbar" style={{ flexWrap: 'wrap' }}>
        <div className="field">
          <label htmlFor="train-kind">Learner</label>
          <select id="train-kind" value={kind} onChange={(e) => setKind(e.target.value as ModelKindChoice)}>
            <option value="best">Best of both (kept if better)</option>
            <option value="logistic">Logistic regression (explainable)</option>
            <option value="gbt">Gradient-boosted trees</option>
          </select>
        </div>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void train()}>
          {busy ? 'Training…' : 'Train now'}
        </button>
        {busy ? (
          <>
            <JobProgress task={task} testId="train-progress" idle="Training on the portfolio history…" />
            <button
              type="button"
              className="btn btn-small"
              onClick={() => void ml.call('model.cancel', { task: 'model.train' })}
            >
              Cancel training
            </button>
          </>
        ) : null}
      </div>
      {msg ? (
        <p className="small" role="status">
          {msg}
        </p>
      ) : null}
      {error ? (
        isMissingHandler(error) ? (
          <p className="callout small">
            Training is not available in this build yet (the core has no model.train).
          </p>
        ) : (
          <p className="error-message" role="alert">
            {error.message}
          </p>
        )
      ) : null}
    </div>
  );
};

const WHO_KEY = 'bellwether.decider';
const choiceKey = (ruleId: number, path: string): string => `${ruleId}:${path}`;

/** One rule: for each threshold condition, the backtested curve and a picker for the operating point. */
const RuleTradeoff = ({
  r,
  picks,
  onPick,
}: {
  r: RuleThresholdSuggestion;
  picks: Record<string, number>;
  onPick: (key: string, value: number) => void;
}) => (
  <div
    className="rule-tradeoff"
    data-testid="rule-tradeoff"
    style={{ borderTop: '1px solid var(--border)', paddingTop: 8 }}
  >
    <p className="small">
      <strong>{r.ruleName}</strong> (v{r.ruleVersion}
      {r.enabled ? '' : ', off'}) — as it stands: {formatInt(r.current.flags)} flags, precision{' '}
      {pct(r.current.precision)}, recall {pct(r.current.recall)}, lead time {days(r.current.medianLeadDays)},{' '}
      {r.current.flagsPerCsmPerWeek.toFixed(1)} flags per CSM per week.
    </p>
    {r.conditions.length === 0 ? (
      <p className="small muted">No numeric threshold to tune in this rule.</p>
    ) : null}
    {r.conditions.map((c) => {
      const key = choiceKey(r.ruleId, c.path);
      const chosen = picks[key] ?? c.suggestedValue ?? c.currentValue;
      return (
        <div key={c.path} className="account-grid" style={{ alignItems: 'start' }}>
          <Suspense fallback={<Loading what="chart" />}>
            <TradeoffChart
              points={c.curve}
              signal={humanize(c.signal)}
              chosen={chosen}
              current={c.currentValue}
            />
          </Suspense>
          <div>
            <p className="small">
              <code>
                {humanize(c.signal)} {c.op} {c.currentValue}
              </code>{' '}
              now; suggested: <strong>{c.suggestedValue ?? '—'}</strong>.{' '}
              <span className="muted">{c.reason}</span>
            </p>
            <div className="field">
              <label htmlFor={`pick-${key}`}>Operating point</label>
              <select
                id={`pick-${key}`}
                value={String(chosen)}
                onChange={(e) => onPick(key, Number(e.target.value))}
              >
                {c.curve.map((p) => (
                  <option key={p.value} value={String(p.value)}>
                    {c.op} {p.value}: precision {pct(p.precision)}, recall {pct(p.recall)}, lead{' '}
                    {days(p.medianLeadDays)}, {p.flagsPerCsmPerWeek.toFixed(1)}/CSM/wk
                    {p.current ? ' (now)' : ''}
                    {p.value === c.suggestedValue ? ' (suggested)' : ''}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </div>
      );
    })}
  </div>
);

const Thresholds = () => {
  const [budget, setBudget] = useState(2);
  const [asked, setAsked] = useState<number | null>(null);
  const sugg = ml.useArea(
    'model.thresholds',
    { budgetPerCsmPerWeek: asked ?? 2 },
    { skip: asked === null, entities: ['rules', 'risk_rules'] },
  );
  const sweep = useProgress((s) => s.tasks['model.thresholds']);
  const [picks, setPicks] = useState<Record<string, number>>({});
  const [who, setWho] = useState(() => {
    try {
      return localStorage.getItem(WHO_KEY) ?? '';
    } catch {
      return '';
    }
  });
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const value = asked === null ? undefined : loaded(sugg);

  const apply = async () => {
    if (!value) return;
    const choices = value.rules.flatMap((r) =>
      r.conditions
        .map((c) => ({
          ruleId: r.ruleId,
          path: c.path,
          value: picks[choiceKey(r.ruleId, c.path)] ?? c.suggestedValue,
        }))
        .filter((x, i) => x.value !== null && x.value !== r.conditions[i]!.currentValue),
    ) as { ruleId: number; path: string; value: number }[];
    if (choices.length === 0) {
      setMsg('Nothing to change: every picked value is the current one.');
      return;
    }
    setBusy(true);
    setError(null);
    setMsg(null);
    if (who.trim()) {
      try {
        localStorage.setItem(WHO_KEY, who.trim());
      } catch {
        // storage may be disabled
      }
    }
    const r = await ml.call('model.applyThresholds', {
      choices,
      ...(who.trim() ? { updatedBy: who.trim() } : {}),
    });
    setBusy(false);
    if (!r.ok) setError(r.error);
    else {
      setMsg(
        `Applied: ${r.value.updated.map((u) => `${u.ruleName} v${u.fromVersion} → v${u.toVersion} (${u.changes} change${u.changes === 1 ? '' : 's'})`).join('; ') || 'no rule changed'}.`,
      );
      setPicks({});
      sugg.reload();
    }
  };

  return (
    <div>
      <p className="small muted">
        Each rule is replayed on the history at several thresholds. Pick the operating point your team can act
        on: higher precision means fewer false alarms, higher recall and lead time mean more escalations
        caught, earlier.
      </p>
      <div className="toolbar" style={{ flexWrap: 'wrap' }}>
        <div className="field">
          <label htmlFor="alert-budget">Alert budget (flags per CSM per week)</label>
          <input
            id="alert-budget"
            type="number"
            min={0.1}
            max={100}
            step={0.5}
            value={budget}
            onChange={(e) => setBudget(Number(e.target.value))}
          />
        </div>
        <button
          type="button"
          className="btn"
          disabled={!(budget > 0) || (sugg.status === 'loading' && asked !== null)}
          onClick={() => {
            setPicks({});
            if (asked === budget) sugg.reload();
            else setAsked(budget);
          }}
        >
          {asked === null ? 'Show the trade-off' : 'Recompute'}
        </button>
      </div>
      {asked !== null && sugg.status === 'error' ? (
        isCancelled(sugg.error) ? (
          <p className="small muted" role="status">
            Backtest cancelled.
          </p>
        ) : isMissingHandler(sugg.error) ? (
          <p className="callout small">Threshold suggestions are not available in this build yet.</p>
        ) : (
          <p className="error-message" role="alert">
            {sugg.error.message}
          </p>
        )
      ) : null}
      {asked !== null && sugg.status === 'loading' ? (
        <div className="toolbar">
          <JobProgress task={sweep} testId="thresholds-progress" idle="Backtesting every rule…" />
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void ml.call('model.cancel', { task: 'model.thresholds' })}
          >
            Cancel
          </button>
        </div>
      ) : null}
      {value ? (
        <>
          <p className="small">
            Backtest {formatDate(value.from)} – {formatDate(value.to)}, every {value.stepDays} days,
            escalations within {value.horizonDays} days, {formatInt(value.csmCount)} CSMs, budget{' '}
            {value.budgetPerCsmPerWeek} flags per CSM per week.
          </p>
          {value.rules.length === 0 ? <p className="small muted">No rule to tune.</p> : null}
          {value.rules.map((r) => (
            <RuleTradeoff
              key={r.ruleId}
              r={r}
              picks={picks}
              onPick={(k, v) => setPicks((p) => ({ ...p, [k]: v }))}
            />
          ))}
          {value.rules.some((r) => r.conditions.length) ? (
            <div className="toolbar">
              <input
                aria-label="Your name"
                placeholder="Your name"
                value={who}
                onChange={(e) => setWho(e.target.value)}
              />
              <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void apply()}>
                Apply to rules
              </button>
              <span className="small muted">
                Each changed rule gets a new version; the previous one is kept.
              </span>
            </div>
          ) : null}
        </>
      ) : null}
      {msg ? (
        <p className="small" role="status">
          {msg}
        </p>
      ) : null}
      {error ? (
        <p className="error-message" role="alert">
          {error.message}
        </p>
      ) : null}
    </div>
  );
};

export const ModelPage = () => {
  const [horizon, setHorizon] = useState<ModelHorizon>(60);
  const card = ml.useArea('model.card', { horizonDays: horizon }, { entities: ['models'] });
  const versions = ml.useArea('model.versions', { horizonDays: horizon }, { entities: ['models'] });
  const reload = () => {
    card.reload();
    versions.reload();
  };
  const c = loaded(card);
  return (
    <div className="page model-page" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <header className="page-header">
        <h1>Model card</h1>
      </header>
      <p className="small muted">
        The escalation model learns from this portfolio’s own history and is tested on the latest months it
        did not see, the way it would have worked in practice. The numbers below come from that test.
      </p>
      <section className="card" aria-labelledby="model-train">
        <h2 id="model-train" className="card-title">
          Train
        </h2>
        <div className="field field-inline">
          <label htmlFor="model-horizon">Predict an escalation within</label>
          <select
            id="model-horizon"
            value={horizon}
            onChange={(e) => setHorizon(Number(e.target.value) as ModelHorizon)}
          >
            {HORIZONS.map((h) => (
              <option key={h} value={h}>
                {h} days
              </option>
            ))}
          </select>
        </div>
        <Train horizon={horizon} onTrained={reload} />
      </section>
      {card.status === 'error' ? (
        isMissingHandler(card.error) ? (
          <div className="state state-empty" data-testid="model-unavailable">
            <h2>The model card is not available in this build yet</h2>
            <p>
              The core does not answer <code>model.card</code> yet. Nothing is shown rather than invented
              numbers.
            </p>
          </div>
        ) : (
          <ErrorState title="The model card could not be loaded" error={card.error} onRetry={card.reload} />
        )
      ) : card.status === 'loading' && !c ? (
        <Loading what="model card" />
      ) : !c ? (
        <div className="state state-empty" data-testid="model-none">
          <h2>No model trained yet</h2>
          <p>
            Train one above: it learns which combinations of signals preceded escalations in your history.
          </p>
        </div>
      ) : (
        <>
          {!c.trustworthy || c.warnings.length ? (
            <div className="callout" data-testid="model-warning">
              <p>
                <strong>
                  {c.trustworthy ? 'Read with care:' : 'Too little data to trust these figures:'}
                </strong>
              </p>
              <ul>
                {c.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <section className="card" aria-labelledby="model-quality">
            <h2 id="model-quality" className="card-title">
              How well it predicts (v{c.version}
              {c.active ? ', in use' : ', not in use'})
            </h2>
            <Headline c={c} />
            <Comparison c={c} />
            <Baseline c={c} />
          </section>
          <div className="account-grid">
            <section className="card" aria-labelledby="model-calibration">
              <h2 id="model-calibration" className="card-title">
                Calibration
              </h2>
              <Suspense fallback={<Loading what="chart" />}>
                <CalibrationChart bins={c.calibration} />
              </Suspense>
            </section>
            <section className="card" aria-labelledby="model-signals">
              <h2 id="model-signals" className="card-title">
                Most predictive signals
              </h2>
              <Signals c={c} />
            </section>
          </div>
          <section className="card" aria-labelledby="model-training">
            <h2 id="model-training" className="card-title">
              Training window and size
            </h2>
            <Training c={c} />
          </section>
        </>
      )}
      <section className="card" aria-labelledby="model-versions-title">
        <h2 id="model-versions-title" className="card-title">
          Versions
        </h2>
        <Versions versions={versions} onActivated={reload} />
      </section>
      <section className="card" aria-labelledby="model-tradeoff">
        <h2 id="model-tradeoff" className="card-title">
          Alert threshold trade-off
        </h2>
        <Thresholds />
      </section>
    </div>
  );
};
