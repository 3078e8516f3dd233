/** A rule's backtest: the figures and a monthly chart of flags and escalations. */
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { BacktestResult } from '../../../shared/risk-types';
import { formatDate, formatMonthTick } from '../format';

const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 1000) / 10}%`);

export const BacktestView = ({ r }: { r: BacktestResult }) => (
  <div data-testid="backtest-result">
    <dl
      className="facts"
      style={{ display: 'grid', gridTemplateColumns: 'repeat(6, auto)', gap: '4px 16px' }}
    >
      <dt>Flags</dt>
      <dd data-testid="bt-flags">
        {r.flags} <span className="muted small">({r.accountsFlagged} accounts)</span>
      </dd>
      <dt>Precision</dt>
      <dd data-testid="bt-precision">
        {pct(r.precision)}{' '}
        <span className="muted small">
          ({r.truePositives} followed by an escalation within {r.horizonDays} d; {r.pending} pending)
        </span>
      </dd>
      <dt>Recall</dt>
      <dd data-testid="bt-recall">
        {pct(r.recall)}{' '}
        <span className="muted small">
          ({r.caught}/{r.escalations} escalations)
        </span>
      </dd>
      <dt>Median lead time</dt>
      <dd data-testid="bt-lead">{r.medianLeadDays === null ? 'n/a' : `${r.medianLeadDays} days`}</dd>
      <dt>Period</dt>
      <dd>
        {formatDate(r.from)} – {formatDate(r.to)}, every {r.stepDays} days
      </dd>
      <dt>Took</dt>
      <dd>{(r.ms / 1000).toFixed(1)} s</dd>
    </dl>
    <figure className="chart" aria-labelledby="bt-chart-title">
      <figcaption id="bt-chart-title" className="chart-title">
        Flags and escalations per month
      </figcaption>
      <ComposedChart
        responsive
        style={{ width: '100%', height: 220 }}
        data={r.series}
        title="Backtest: flags, flags followed by an escalation, and escalations per month"
        desc={`${r.flags} flags, ${r.truePositives} followed by an escalation, ${r.escalations} escalations.`}
      >
        <CartesianGrid stroke="#e5e7eb" vertical={false} />
        <XAxis dataKey="date" tickFormatter={formatMonthTick} tick={{ fontSize: 11 }} minTickGap={16} />
        <YAxis allowDecimals={false} width={32} tick={{ fontSize: 11 }} />
        <Tooltip />
        <Legend />
        <Bar dataKey="flags" name="Flags" fill="#93c5fd" isAnimationActive={false} />
        <Bar
          dataKey="truePositives"
          name="Followed by an escalation"
          fill="#2563eb"
          isAnimationActive={false}
        />
        <Line
          dataKey="escalations"
          name="Escalations"
          stroke="#b91c1c"
          dot={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </figure>
  </div>
);
