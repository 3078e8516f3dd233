/**
 * The account charts (recharts). Each chart is an <svg> with a <title>/<desc>, a visible heading, and a
 * text summary for people who cannot see the lines.
 */
import type { ReactNode } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { HealthPoint, UsagePoint } from '../../../shared/domain';
import { formatCompact, formatDate, formatInt, formatMonthTick } from '../format';

/** Axis numbers: exact below 10,000 (`1,050`), compact above (`12K`). */
const axisNumber = (n: number): string => (Math.abs(n) < 10_000 ? formatInt(n) : formatCompact(n));

const COLORS = { logins: '#2563eb', activeUsers: '#0f766e', keyFeatureUse: '#b45309', health: '#7c3aed' };

/** One tick per quarter-ish: the first period of every third month. */
const monthTicks = (dates: string[], every = 3): string[] => {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const d of dates) {
    const ym = d.slice(0, 7);
    if (seen.has(ym)) continue;
    seen.add(ym);
    if ((seen.size - 1) % every === 0) out.push(d);
  }
  return out;
};

const change = (first: number, last: number): string => {
  if (first === 0) return 'n/a';
  const pct = Math.round(((last - first) / first) * 100);
  return `${pct > 0 ? '+' : ''}${pct}%`;
};

/**
 * The frame every account chart shares: a figure with a visible heading, an <svg> with <title>/<desc>, the
 * grid and a dated x-axis with quarterly ticks, and the text summary. Axes, lines and tooltips come as children.
 */
const DatedLineChart = <T extends object>({
  testId,
  caption,
  title,
  summary,
  height,
  data,
  dateKey,
  children,
}: {
  testId: string;
  caption: string;
  title: string;
  summary: string;
  height: number;
  data: T[];
  dateKey: keyof T & string;
  children: ReactNode;
}) => (
  <figure className="chart" data-testid={testId} aria-labelledby={`${testId}-title`}>
    <figcaption id={`${testId}-title`} className="chart-title">
      {caption}
    </figcaption>
    <LineChart
      responsive
      style={{ width: '100%', height }}
      data={data}
      margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
      title={title}
      desc={summary}
    >
      <CartesianGrid stroke="#e5e7eb" vertical={false} />
      <XAxis
        dataKey={dateKey as string}
        ticks={monthTicks(data.map((d) => String(d[dateKey])))}
        tickFormatter={formatMonthTick}
        tick={{ fontSize: 11, fill: '#4b5563' }}
        stroke="#9ca3af"
      />
      {children}
    </LineChart>
    <p className="chart-summary small muted">{summary}</p>
  </figure>
);

export const UsageChart = ({ usage }: { usage: UsagePoint[] }) => {
  if (usage.length === 0) {
    return <p className="muted">No usage data recorded for this account.</p>;
  }
  const first = usage[0]!;
  const last = usage[usage.length - 1]!;
  // The last 8 weeks against the 8 before them: the kind of change the risk rules look at.
  const recent = usage.slice(-8);
  const before = usage.slice(-16, -8);
  const avg = (xs: UsagePoint[], k: keyof Pick<UsagePoint, 'logins'>) =>
    xs.length ? xs.reduce((a, p) => a + p[k], 0) / xs.length : 0;
  const summary = `Weekly usage from ${formatDate(first.periodStart)} to ${formatDate(last.periodStart)} (${usage.length} weeks). Latest week: ${formatInt(last.logins)} logins, ${formatInt(last.activeUsers)} active users, ${formatInt(last.keyFeatureUse)} key-feature uses. Logins in the last 8 weeks vs the 8 before: ${before.length ? change(avg(before, 'logins'), avg(recent, 'logins')) : 'n/a'}.`;
  return (
    <DatedLineChart
      testId="usage-chart"
      caption="Weekly usage — logins, active users and key-feature use"
      title="Weekly usage: logins, active users and key-feature use"
      summary={summary}
      height={260}
      data={usage}
      dateKey="periodStart"
    >
      <YAxis
        yAxisId="logins"
        tickFormatter={axisNumber}
        tick={{ fontSize: 11, fill: COLORS.logins }}
        stroke="#9ca3af"
        width={44}
        label={{ value: 'Logins', angle: -90, position: 'insideLeft', fontSize: 11, fill: COLORS.logins }}
      />
      <YAxis
        yAxisId="users"
        orientation="right"
        tickFormatter={axisNumber}
        tick={{ fontSize: 11, fill: '#4b5563' }}
        stroke="#9ca3af"
        width={44}
        label={{ value: 'Users / uses', angle: 90, position: 'insideRight', fontSize: 11, fill: '#4b5563' }}
      />
      <Tooltip
        labelFormatter={(l) => `Week of ${formatDate(String(l))}`}
        formatter={(v) => formatInt(Number(v))}
      />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      <Line
        yAxisId="logins"
        type="monotone"
        dataKey="logins"
        name="Logins"
        stroke={COLORS.logins}
        strokeWidth={2}
        dot={false}
        isAnimationActive={false}
      />
      <Line
        yAxisId="users"
        type="monotone"
        dataKey="activeUsers"
        name="Active users"
        stroke={COLORS.activeUsers}
        strokeWidth={2}
        dot={false}
        isAnimationActive={false}
      />
      <Line
        yAxisId="users"
        type="monotone"
        dataKey="keyFeatureUse"
        name="Key-feature use"
        stroke={COLORS.keyFeatureUse}
        strokeWidth={2}
        strokeDasharray="5 3"
        dot={false}
        isAnimationActive={false}
      />
    </DatedLineChart>
  );
};

export const HealthChart = ({ health }: { health: HealthPoint[] }) => {
  if (health.length === 0) {
    return <p className="muted">No health scores recorded for this account.</p>;
  }
  const first = health[0]!;
  const last = health[health.length - 1]!;
  const peak = health.reduce((m, p) => (p.score > m.score ? p : m), first);
  const summary = `Health from ${formatDate(first.scoredAt)} (${first.score}) to ${formatDate(last.scoredAt)} (${last.score}); highest ${peak.score} on ${formatDate(peak.scoredAt)}.`;
  return (
    <DatedLineChart
      testId="health-chart"
      caption="Health score (0–100)"
      title="Health score over time"
      summary={summary}
      height={200}
      data={health}
      dateKey="scoredAt"
    >
      <YAxis
        domain={[0, 100]}
        ticks={[0, 25, 50, 75, 100]}
        tick={{ fontSize: 11, fill: '#4b5563' }}
        stroke="#9ca3af"
        width={44}
      />
      <ReferenceLine y={70} stroke="#16a34a" strokeDasharray="2 4" />
      <ReferenceLine y={45} stroke="#dc2626" strokeDasharray="2 4" />
      <Tooltip labelFormatter={(l) => formatDate(String(l))} />
      <Line
        type="monotone"
        dataKey="score"
        name="Health"
        stroke={COLORS.health}
        strokeWidth={2}
        dot={false}
        isAnimationActive={false}
      />
    </DatedLineChart>
  );
};
