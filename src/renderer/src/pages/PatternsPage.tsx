/**
 * Patterns: what the portfolio's history teaches. Effectiveness metrics (each with its counting rule and the
 * records behind it), which signals preceded escalations (risk ratios with confidence intervals), which
 * strategies worked per category, which escalations no flag caught, systemic issues, recommended rule
 * changes (each opening the rule editor with its backtest) and the monthly review with its exports.
 */
import { type CSSProperties, useMemo, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ErrorBar,
  Legend,
  ReferenceLine,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { insightsContract } from '../../../shared/contracts/insights';
import type {
  EffectSize,
  Metrics,
  Patterns,
  RuleRecommendation,
  SystemicCluster,
} from '../../../shared/insights-types';
import { EmptyState, ErrorState, Loading } from '../components/StateViews';
import { formatCompact, formatDate, formatMoney } from '../format';
import { href } from '../router';
import { usePortfolio } from '../state/portfolio';
import { areaApi, loaded } from './area-api';

/** Layout for this page only (the shared stylesheet is left alone). */
const S = {
  cards: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(190px, 1fr))',
    gap: 8,
    margin: '8px 0',
  },
  metric: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: 2,
    textAlign: 'left',
    padding: '8px 10px',
    border: '1px solid #d1d5db',
    borderRadius: 6,
    background: '#f9fafb',
    cursor: 'pointer',
    font: 'inherit',
  },
  selected: { borderColor: '#1f4e8c', background: '#eef2f9' },
  value: { fontSize: 22, lineHeight: 1.2 },
  detail: { padding: '6px 10px', background: '#f3f4f6', borderRadius: 6, margin: '6px 0' },
  records: { columns: 4, margin: '4px 0', paddingLeft: 16 },
  list: { listStyle: 'none', padding: 0, margin: 0 },
  cluster: {
    display: 'flex',
    justifyContent: 'space-between',
    gap: 12,
    padding: '8px 10px',
    borderBottom: '1px solid #e5e7eb',
  },
  growing: { background: '#fdf2f1', borderLeft: '3px solid #b42318' },
  rec: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: 12,
    padding: '8px 0',
    borderBottom: '1px solid #e5e7eb',
  },
} satisfies Record<string, CSSProperties>;

const insights = areaApi<typeof insightsContract>();
const ENTITIES = ['risk_flags', 'escalations', 'outcomes', 'sla_clocks', 'risk_rules', '*'];

const pct = (v: number | null): string => (v === null ? 'n/a' : `${Math.round(v * 100)}%`);
const days = (v: number | null): string => (v === null ? 'n/a' : `${Math.round(v * 10) / 10} days`);
const dayIso = (d: Date) => d.toISOString().slice(0, 10);
const addMonths = (month: string, n: number): string => {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  return `${y + Math.floor(m / 12)}-${String((((m % 12) + 12) % 12) + 1).padStart(2, '0')}`;
};

// ------------------------------------------------------------------ metrics

interface CardDef {
  key: string;
  label: string;
  value: string;
  sub: string;
  records: { kind: 'escalation' | 'flag' | 'account' | 'outcome'; ids: number[] };
}

const cards = (m: Metrics): CardDef[] => [
  {
    key: 'precision',
    label: 'Flag precision',
    value: pct(m.precision),
    sub: `${m.flagsFollowedByEscalation} of ${m.flagsJudged} judged flags (${m.flagsRaised} raised)`,
    records: { kind: 'flag', ids: m.refs.truePositiveFlags },
  },
  {
    key: 'falsePositiveRate',
    label: 'False-positive rate',
    value: pct(m.falsePositiveRate),
    sub: 'of accounts that did not escalate',
    records: { kind: 'flag', ids: m.refs.flags },
  },
  {
    key: 'recall',
    label: 'Recall',
    value: pct(m.recall),
    sub: `${m.escalationsFlaggedBeforehand} of ${m.escalationsOpened} escalations flagged beforehand`,
    records: { kind: 'escalation', ids: m.refs.caughtEscalations },
  },
  {
    key: 'leadTimeDays',
    label: 'Early-warning lead time',
    value: days(m.leadTimeDays.median),
    sub: `median; p25 ${days(m.leadTimeDays.p25)}, p75 ${days(m.leadTimeDays.p75)}`,
    records: { kind: 'escalation', ids: m.refs.caughtEscalations },
  },
  {
    key: 'resolution',
    label: 'Resolution time',
    value: days(m.resolution.medianDays),
    sub: `median; p90 ${days(m.resolution.p90Days)}; ${pct(m.resolution.rate)} saved of ${m.resolution.resolved}`,
    records: { kind: 'escalation', ids: m.resolution.byCategory.flatMap((b) => b.escalationIds) },
  },
  {
    key: 'sla',
    label: 'SLA attainment',
    value: pct(m.sla.attainment),
    sub: `${m.sla.met} met, ${m.sla.breached} breached`,
    records: { kind: 'escalation', ids: [] },
  },
  {
    key: 'preventedChurnArr',
    label: 'Prevented churn',
    value: formatMoney(m.preventedChurnArr),
    sub: `ARR lost: churn ${formatMoney(m.arrLostToChurn)}, downgrade ${formatMoney(m.arrLostToDowngrade)}`,
    records: { kind: 'outcome', ids: m.refs.savedOutcomes },
  },
  {
    key: 'arrAtRiskNow',
    label: 'ARR at risk now',
    value: formatMoney(m.arrAtRiskNow.arr),
    sub: `${m.arrAtRiskNow.accounts} accounts with a risk score`,
    records: { kind: 'account', ids: m.refs.atRiskAccounts.slice(0, 200) },
  },
];

const Records = ({ m, card }: { m: Metrics; card: CardDef }) => {
  if (card.records.ids.length === 0) return <p className="muted small">No records behind this figure.</p>;
  const { kind, ids } = card.records;
  return (
    <ul className="small" style={S.records} data-testid={`records-${card.key}`}>
      {ids.slice(0, 60).map((id) => {
        const account =
          kind === 'account' ? id : kind === 'escalation' ? m.refs.escalationAccounts[id] : undefined;
        const label = `${kind === 'flag' ? 'flag' : kind === 'outcome' ? 'outcome' : kind === 'account' ? 'account' : 'escalation'} #${id}`;
        return (
          <li key={id}>
            {account !== undefined ? <a href={href(`/accounts/${account}`)}>{label}</a> : label}
          </li>
        );
      })}
      {ids.length > 60 ? <li className="muted">… and {ids.length - 60} more</li> : null}
    </ul>
  );
};

const MetricsCards = ({ m }: { m: Metrics }) => {
  const [open, setOpen] = useState<string | null>(null);
  const list = cards(m);
  const current = list.find((c) => c.key === open);
  return (
    <section className="card" aria-labelledby="metrics-title">
      <h2 id="metrics-title" className="card-title">
        Effectiveness, {formatDate(m.from)} – {formatDate(m.to)}
        {m.segment ? ` (${m.segment})` : ''}
      </h2>
      <div style={S.cards}>
        {list.map((c) => (
          <button
            type="button"
            key={c.key}
            style={open === c.key ? { ...S.metric, ...S.selected } : S.metric}
            title={m.definitions[c.key] ?? ''}
            aria-expanded={open === c.key}
            data-testid={`metric-${c.key}`}
            onClick={() => setOpen(open === c.key ? null : c.key)}
          >
            <span className="muted small">{c.label}</span>
            <strong style={S.value}>{c.value}</strong>
            <span className="muted small">{c.sub}</span>
          </button>
        ))}
      </div>
      {current ? (
        <div style={S.detail}>
          <p className="small">
            <strong>How it is counted:</strong> {m.definitions[current.key]}
          </p>
          <Records m={m} card={current} />
        </div>
      ) : (
        <p className="muted small">Click a figure for how it is counted and the records behind it.</p>
      )}
      {m.resolution.byCategory.length > 0 ? (
        <table className="mini-table" data-testid="resolution-by-category">
          <caption className="small muted">Resolution by category</caption>
          <thead>
            <tr>
              <th>Category</th>
              <th className="num">Resolved</th>
              <th className="num">Median</th>
              <th className="num">p90</th>
              <th className="num">Saved</th>
            </tr>
          </thead>
          <tbody>
            {m.resolution.byCategory.map((b) => (
              <tr key={b.key}>
                <td>{b.key.replace(/_/g, ' ')}</td>
                <td className="num">{b.resolved}</td>
                <td className="num">{days(b.medianResolutionDays)}</td>
                <td className="num">{days(b.p90ResolutionDays)}</td>
                <td className="num">{pct(b.resolutionRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
};

// ------------------------------------------------------------------ patterns

const EffectsChart = ({ effects }: { effects: EffectSize[] }) => {
  const data = effects
    .filter((e) => e.riskRatio !== null && e.ciLow !== null && e.ciHigh !== null)
    .map((e) => ({
      label: e.label,
      rr: Math.max(0.05, e.riskRatio!),
      err: [Math.max(0, e.riskRatio! - e.ciLow!), Math.max(0, e.ciHigh! - e.riskRatio!)],
      small: e.smallSample,
      n: e.nPresent,
      low: e.ciLow!,
      high: e.ciHigh!,
    }));
  if (data.length === 0) return <p className="muted">Not enough history to measure signal effects.</p>;
  const max = Math.max(4, ...data.map((d) => d.high));
  const summary = data
    .map((d) => `${d.label}: ${d.rr.toFixed(1)}x (95% CI ${d.low.toFixed(1)}-${d.high.toFixed(1)})`)
    .join('; ');
  return (
    <figure className="chart" data-testid="effects-chart">
      <figcaption className="chart-title">
        Escalation within 60 days when the signal was present vs absent (risk ratio, 95% CI)
      </figcaption>
      <ScatterChart
        responsive
        style={{ width: '100%', height: 34 * data.length + 60 }}
        layout="vertical"
        margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
        title="Signal risk ratios"
        desc={summary}
      >
        <CartesianGrid stroke="#e5e7eb" horizontal={false} />
        <XAxis
          type="number"
          dataKey="rr"
          scale="log"
          domain={[0.25, Math.ceil(max)]}
          allowDataOverflow
          ticks={[0.25, 0.5, 1, 2, 4, 8, 16].filter((t) => t <= max * 1.5)}
        />
        <YAxis type="category" dataKey="label" width={190} interval={0} />
        <ReferenceLine x={1} stroke="#6b7280" />
        <Tooltip
          formatter={(_v, _n, p) => {
            const d = p.payload as (typeof data)[number];
            return [
              `${d.rr.toFixed(2)}x (CI ${d.low.toFixed(2)}–${d.high.toFixed(2)}), n=${d.n}${d.small ? ', small sample' : ''}`,
              'Risk ratio',
            ];
          }}
        />
        <Scatter data={data} fill="#1f4e8c">
          <ErrorBar dataKey="err" direction="x" width={4} stroke="#1f4e8c" />
        </Scatter>
      </ScatterChart>
      <p className="chart-summary small muted">
        {summary}. A ratio whose interval crosses 1 is not distinguishable from no effect.
      </p>
    </figure>
  );
};

const Sparkline = ({ c }: { c: SystemicCluster }) => (
  <div style={{ flex: '0 0 150px' }} title={c.monthly.map((m) => `${m.month}: ${m.count}`).join(', ')}>
    <BarChart width={150} height={36} data={c.monthly} margin={{ top: 2, right: 0, bottom: 0, left: 0 }}>
      <YAxis hide domain={[0, 'dataMax']} />
      <Bar
        dataKey="count"
        fill={c.growing ? '#b42318' : '#1f4e8c'}
        isAnimationActive={false}
        minPointSize={1}
      />
    </BarChart>
    <div className="small muted">escalations / month, 12 mo.</div>
  </div>
);

const SystemicPanel = ({ clusters }: { clusters: SystemicCluster[] }) => {
  const shown = clusters.filter((c) => c.escalations >= 2).slice(0, 6);
  if (shown.length === 0)
    return <p className="muted">No repeated escalations share a root cause and product area.</p>;
  return (
    <ul style={S.list} data-testid="systemic">
      {shown.map((c) => (
        <li
          key={c.key}
          style={c.growing ? { ...S.cluster, ...S.growing } : S.cluster}
          data-testid={c.growing ? 'systemic-growing' : undefined}
        >
          <div>
            <strong>
              {(c.rootCause ?? 'unknown').replace(/_/g, ' ')} · {c.productArea ?? 'no product area'}
            </strong>{' '}
            {c.growing ? <span className="badge badge-neg">growing</span> : null}
            <div className="small">
              {c.escalations} escalations ({c.recent} in the last 3 months vs {c.previous} before) ·{' '}
              {c.accounts.length} accounts · {formatMoney(c.arrAffected)} ARR
            </div>
            <div className="small muted">Terms: {c.topTerms.join(', ')}</div>
            {c.growing ? (
              <div className="small">
                {c.accounts.map((a, i) => (
                  <span key={a.id}>
                    {i > 0 ? ', ' : ''}
                    <a href={href(`/accounts/${a.id}`)}>{a.name}</a>{' '}
                    <span className="muted">({formatCompact(a.arr)})</span>
                  </span>
                ))}
              </div>
            ) : null}
          </div>
          <Sparkline c={c} />
        </li>
      ))}
    </ul>
  );
};

const PatternsView = ({ p }: { p: Patterns }) => (
  <>
    <section className="card">
      <h2 className="card-title">Which signals preceded escalations</h2>
      <EffectsChart effects={p.effects} />
    </section>
    <section className="card">
      <h2 className="card-title">Systemic issues</h2>
      <SystemicPanel clusters={p.systemic} />
    </section>
    <section className="card">
      <h2 className="card-title">Which strategies worked, by category</h2>
      {p.strategies.length === 0 ? (
        <p className="muted">No outcomes with strategies recorded in the period.</p>
      ) : (
        <table className="mini-table" data-testid="strategies">
          <thead>
            <tr>
              <th>Category</th>
              <th>Strategy</th>
              <th className="num">Used</th>
              <th className="num">Saved</th>
              <th className="num">Rate (95% CI)</th>
            </tr>
          </thead>
          <tbody>
            {p.strategies.map((s) => (
              <tr key={`${s.category}|${s.strategy}`}>
                <td>{s.category.replace(/_/g, ' ')}</td>
                <td>{s.strategy.replace(/_/g, ' ')}</td>
                <td className="num">{s.used}</td>
                <td className="num">{s.succeeded}</td>
                <td className="num">
                  {pct(s.rate)} ({pct(s.ciLow)}–{pct(s.ciHigh)}){' '}
                  {s.smallSample ? (
                    <span className="badge" title="Fewer than 5 uses: the rate is not reliable">
                      small sample
                    </span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="small muted">
        Time to first executive action: within {p.firstAction.thresholdHours} h {pct(p.firstAction.fast.rate)}{' '}
        saved ({p.firstAction.fast.n}), later {pct(p.firstAction.slow.rate)} ({p.firstAction.slow.n}), never{' '}
        {pct(p.firstAction.none.rate)} ({p.firstAction.none.n}). {p.firstAction.definition}
      </p>
    </section>
    <section className="card">
      <h2 className="card-title">Escalations no flag caught ({p.missed.length})</h2>
      {p.missed.length === 0 ? (
        <p className="muted">Every escalation in the period was flagged beforehand.</p>
      ) : (
        <ul className="small" data-testid="missed">
          {p.missed.map((m) => (
            <li key={m.escalationId}>
              <a href={href(`/accounts/${m.accountId}`)}>{m.accountName}</a> — escalation #{m.escalationId},{' '}
              {formatDate(m.openedAt)}, {(m.category ?? 'uncategorized').replace(/_/g, ' ')}:{' '}
              <span className="muted">
                {m.signals.length
                  ? m.signals
                      .slice(0, 3)
                      .map((s) => s.label)
                      .join('; ')
                  : 'no risk signal present'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  </>
);

// ------------------------------------------------------------------ recommendations

const Recommendations = () => {
  const recs = insights.useArea('insights.recommendations', {}, { entities: ENTITIES });
  if (recs.status === 'error')
    return (
      <ErrorState title="Recommendations could not be computed" error={recs.error} onRetry={recs.reload} />
    );
  const list = loaded(recs);
  if (!list) return <Loading what="recommendations (backtesting variants)" />;
  if (list.length === 0) return <p className="muted">No rule change recommended.</p>;
  return (
    <ul style={S.list} data-testid="recommendations">
      {list.map((r: RuleRecommendation) => (
        <li key={r.id} style={S.rec}>
          <div>
            <span
              className={`badge ${r.kind === 'tighten' ? 'badge-neg' : r.kind === 'loosen' ? 'badge-pos' : ''}`}
            >
              {r.kind}
            </span>{' '}
            <strong>{r.title}</strong>
            <div className="small muted">{r.ruleName}</div>
            <p className="small">{r.why}</p>
            {r.before && r.after ? (
              <p className="small">
                Backtest: flags {r.before.flags} → {r.after.flags}, precision {pct(r.before.precision)} →{' '}
                {pct(r.after.precision)}, recall {pct(r.before.recall)} → {pct(r.after.recall)}
              </p>
            ) : null}
          </div>
          <a className="btn btn-small" href={r.link} data-testid={`open-rule-${r.ruleId}`}>
            Open in rule editor
          </a>
        </li>
      ))}
    </ul>
  );
};

// ------------------------------------------------------------------ monthly review

const download = (fileName: string, blob: Blob) => {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};

const ReviewSection = ({ defaultMonth }: { defaultMonth: string }) => {
  const [month, setMonth] = useState(defaultMonth);
  const [busy, setBusy] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const review = insights.useArea('insights.review', { month }, { entities: ENTITIES });
  const exportAs = async (format: 'md' | 'pdf') => {
    setBusy(format);
    setExportError(null);
    const r = await insights.call('insights.review.export', { month, format });
    setBusy(null);
    if (!r.ok) {
      setExportError(r.error.message);
      return;
    }
    const x = r.value;
    if (format === 'md') download(x.fileName, new Blob([x.text ?? ''], { type: 'text/markdown' }));
    else {
      const bin = atob(x.base64 ?? '');
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      download(x.fileName, new Blob([bytes], { type: 'application/pdf' }));
    }
  };
  const v = loaded(review);
  return (
    <section className="card" data-testid="monthly-review" aria-labelledby="review-title">
      <h2 id="review-title" className="card-title">
        Monthly review
      </h2>
      <div className="toolbar">
        <label className="field-inline">
          Month{' '}
          <input
            type="month"
            value={month}
            max={defaultMonth}
            onChange={(e) => e.target.value && setMonth(e.target.value)}
            data-testid="review-month"
          />
        </label>
        <button
          type="button"
          className="btn"
          disabled={busy !== null}
          onClick={() => void exportAs('pdf')}
          data-testid="export-pdf"
        >
          {busy === 'pdf' ? 'Exporting…' : 'Export PDF'}
        </button>
        <button
          type="button"
          className="btn"
          disabled={busy !== null}
          onClick={() => void exportAs('md')}
          data-testid="export-md"
        >
          {busy === 'md' ? 'Exporting…' : 'Export Markdown'}
        </button>
      </div>
      {exportError ? <p className="error-message">{exportError}</p> : null}
      {review.status === 'error' ? (
        <ErrorState title="The review could not be built" error={review.error} onRetry={review.reload} />
      ) : !v ? (
        <Loading what="the monthly review" />
      ) : (
        <>
          <ul className="small" data-testid="review-highlights">
            {v.highlights.map((h) => (
              <li key={h}>{h}</li>
            ))}
          </ul>
          <figure className="chart">
            <figcaption className="chart-title">Twelve months: escalations, flags and outcomes</figcaption>
            <BarChart
              responsive
              style={{ width: '100%', height: 220 }}
              data={v.monthly}
              margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
              title="Escalations, flags, saved and churned per month"
              desc={v.monthly
                .map(
                  (p) =>
                    `${p.month}: ${p.escalations} escalations, ${p.flags} flags, ${p.saved} saved, ${p.churned} churned`,
                )
                .join('; ')}
            >
              <CartesianGrid stroke="#e5e7eb" vertical={false} />
              <XAxis dataKey="month" />
              <YAxis allowDecimals={false} width={32} />
              <Tooltip />
              <Legend />
              <Bar dataKey="escalations" name="Escalations" fill="#1f4e8c" />
              <Bar dataKey="flags" name="Flags" fill="#93b4de" />
              <Bar dataKey="saved" name="Saved" fill="#15803d" />
              <Bar dataKey="churned" name="Churned" fill="#b42318" />
            </BarChart>
          </figure>
          <table className="mini-table" data-testid="review-resolved">
            <caption className="small muted">
              Resolved in {v.month}: {v.outcomes.saved} saved, {v.outcomes.expanded} expanded,{' '}
              {v.outcomes.churned} churned, {v.outcomes.downgraded} downgraded
            </caption>
            <thead>
              <tr>
                <th>Account</th>
                <th>Category</th>
                <th>Outcome</th>
                <th className="num">ARR before</th>
                <th className="num">ARR after</th>
              </tr>
            </thead>
            <tbody>
              {v.resolved.map((e) => (
                <tr key={e.id}>
                  <td>
                    <a href={href(`/accounts/${e.accountId}`)}>{e.accountName}</a>{' '}
                    <span className="muted">#{e.id}</span>
                  </td>
                  <td>{(e.category ?? '-').replace(/_/g, ' ')}</td>
                  <td>{e.outcome ?? 'not recorded'}</td>
                  <td className="num">{e.arrBefore === null ? '-' : formatMoney(e.arrBefore)}</td>
                  <td className="num">{e.arrAfter === null ? '-' : formatMoney(e.arrAfter)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
};

// ------------------------------------------------------------------ page

export const PatternsPage = () => {
  const asOf = usePortfolio((s) => s.info?.asOf ?? null);
  const today = useMemo(() => (asOf ? asOf.slice(0, 10) : dayIso(new Date())), [asOf]);
  const defaultFrom = useMemo(() => {
    const d = new Date(`${today}T00:00:00.000Z`);
    d.setUTCFullYear(d.getUTCFullYear() - 1);
    return dayIso(new Date(d.getTime() + 86_400_000));
  }, [today]);
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const from = range?.from ?? defaultFrom;
  const to = range?.to ?? today;
  const [segment, setSegment] = useState<'' | 'enterprise' | 'mid_market' | 'smb'>('');
  const metrics = insights.useArea(
    'insights.metrics',
    { from, to, ...(segment ? { segment } : {}) },
    { entities: ENTITIES },
  );
  const patterns = insights.useArea('insights.patterns', { from, to }, { entities: ENTITIES });
  const m = loaded(metrics);
  const p = loaded(patterns);
  return (
    <div className="page" data-testid="patterns-page">
      <header className="page-header">
        <h1>Patterns</h1>
        <div className="toolbar">
          <label className="field-inline">
            From{' '}
            <input
              type="date"
              value={from}
              max={to}
              onChange={(e) => e.target.value && setRange({ from: e.target.value, to })}
              data-testid="from"
            />
          </label>
          <label className="field-inline">
            To{' '}
            <input
              type="date"
              value={to}
              min={from}
              onChange={(e) => e.target.value && setRange({ from, to: e.target.value })}
              data-testid="to"
            />
          </label>
          <label className="field-inline">
            Segment{' '}
            <select
              value={segment}
              onChange={(e) => setSegment(e.target.value as typeof segment)}
              data-testid="segment"
            >
              <option value="">All</option>
              <option value="enterprise">Enterprise</option>
              <option value="mid_market">Mid-market</option>
              <option value="smb">SMB</option>
            </select>
          </label>
        </div>
      </header>
      {metrics.status === 'error' ? (
        <ErrorState title="Metrics could not be computed" error={metrics.error} onRetry={metrics.reload} />
      ) : m ? (
        <MetricsCards m={m} />
      ) : (
        <Loading what="metrics" />
      )}
      {patterns.status === 'error' ? (
        <ErrorState title="Patterns could not be computed" error={patterns.error} onRetry={patterns.reload} />
      ) : p ? (
        p.effects.length === 0 && p.systemic.length === 0 && p.strategies.length === 0 ? (
          <EmptyState title="Not enough history yet">
            <p>Patterns need escalations with recorded outcomes over several months.</p>
          </EmptyState>
        ) : (
          <PatternsView p={p} />
        )
      ) : (
        <Loading what="patterns" />
      )}
      <section className="card">
        <h2 className="card-title">Recommended rule changes</h2>
        <Recommendations />
      </section>
      <ReviewSection defaultMonth={addMonths(today.slice(0, 7), -1)} />
    </div>
  );
};
