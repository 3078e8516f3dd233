/**
 * The model card's calibration chart (recharts, loaded lazily): predicted probability against the observed
 * escalation rate per bin, with the diagonal a perfectly calibrated model would follow, and a text summary.
 */
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  ZAxis,
} from 'recharts';

export interface CalibrationPoint {
  lo: number;
  hi: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

const pct = (n: number): string => `${Math.round(n * 100)}%`;

/** Axis tops for the calibration chart: the smallest that holds every point. */
const CAL_SCALES = [0.05, 0.1, 0.2, 0.3, 0.5, 1];

export const CalibrationChart = ({ bins }: { bins: CalibrationPoint[] }) => {
  if (bins.length === 0) return <p className="muted">No calibration data was recorded for this model.</p>;
  const data = [...bins]
    .sort((a, b) => a.meanPredicted - b.meanPredicted)
    .map((b) => ({ x: b.meanPredicted, y: b.observedRate, n: b.count }));
  const worst = data.reduce((a, d) => Math.max(a, Math.abs(d.x - d.y)), 0);
  // Escalations are rare: zoom to the probabilities that occur (both axes alike, so the diagonal stays one).
  const top = CAL_SCALES.find((s) => data.every((d) => d.x <= s && d.y <= s)) ?? 1;
  const ticks = [0, 1, 2, 3, 4, 5].map((i) => Math.round(((top * i) / 5) * 1000) / 1000);
  const summary = `Calibration on the test period, ${data.length} bins: ${data
    .map((d) => `predicted ${pct(d.x)} → observed ${pct(d.y)} (${d.n} rows)`)
    .join('; ')}. Largest gap from the diagonal: ${pct(worst)}.`;
  return (
    <figure className="chart" data-testid="calibration-chart" aria-labelledby="calibration-title">
      <figcaption id="calibration-title" className="chart-title">
        Calibration — predicted probability vs observed escalation rate (diagonal = perfect)
      </figcaption>
      <ScatterChart
        responsive
        style={{ width: '100%', maxWidth: 520, height: 300 }}
        margin={{ top: 8, right: 16, bottom: 16, left: 0 }}
        title="Calibration: predicted vs observed"
        desc={summary}
      >
        <CartesianGrid stroke="#e5e7eb" />
        <XAxis
          type="number"
          dataKey="x"
          domain={[0, top]}
          ticks={ticks}
          tickFormatter={pct}
          tick={{ fontSize: 11, fill: '#4b5563' }}
          stroke="#9ca3af"
          label={{ value: 'Predicted', position: 'insideBottom', offset: -8, fontSize: 11 }}
        />
        <YAxis
          type="number"
          dataKey="y"
          domain={[0, top]}
          ticks={ticks}
          tickFormatter={pct}
          tick={{ fontSize: 11, fill: '#4b5563' }}
          stroke="#9ca3af"
          width={44}
          label={{ value: 'Observed', angle: -90, position: 'insideLeft', fontSize: 11 }}
        />
        <ZAxis type="number" dataKey="n" range={[40, 220]} name="rows" />
        <ReferenceLine
          segment={[
            { x: 0, y: 0 },
            { x: top, y: top },
          ]}
          stroke="#9ca3af"
          strokeDasharray="4 4"
          ifOverflow="visible"
        />
        <Tooltip
          formatter={(v, name) => (name === 'rows' ? String(v) : pct(Number(v)))}
          cursor={{ strokeDasharray: '3 3' }}
        />
        <Scatter
          data={data}
          fill="#1f5fd6"
          line={{ stroke: '#1f5fd6' }}
          name="bins"
          isAnimationActive={false}
        />
      </ScatterChart>
      <p className="chart-summary small muted">{summary}</p>
    </figure>
  );
};

export interface TradeoffPoint {
  value: number;
  precision: number | null;
  recall: number | null;
  medianLeadDays: number | null;
  flagsPerCsmPerWeek: number;
}

/** Precision and recall (left axis) and median lead time (right axis) for each threshold value of a condition. */
export const TradeoffChart = ({
  points,
  signal,
  chosen,
  current,
}: {
  points: TradeoffPoint[];
  signal: string;
  chosen: number | null;
  current: number;
}) => {
  const data = [...points].sort((a, b) => a.value - b.value);
  const summary = `Trade-off for ${signal}: ${data
    .map(
      (p) =>
        `at ${p.value}: precision ${p.precision === null ? 'n/a' : pct(p.precision)}, recall ${p.recall === null ? 'n/a' : pct(p.recall)}, lead time ${p.medianLeadDays ?? 'n/a'} days, ${p.flagsPerCsmPerWeek.toFixed(1)} flags per CSM per week`,
    )
    .join('; ')}.`;
  return (
    <figure className="chart" data-testid="tradeoff-chart" style={{ margin: 0 }}>
      <ComposedChart
        responsive
        style={{ width: '100%', maxWidth: 560, height: 220 }}
        data={data}
        margin={{ top: 8, right: 8, bottom: 16, left: 0 }}
        title={`Threshold trade-off for ${signal}`}
        desc={summary}
      >
        <CartesianGrid stroke="#e5e7eb" />
        <XAxis
          dataKey="value"
          type="number"
          domain={['dataMin', 'dataMax']}
          tick={{ fontSize: 11, fill: '#4b5563' }}
          stroke="#9ca3af"
          label={{ value: 'Threshold', position: 'insideBottom', offset: -8, fontSize: 11 }}
        />
        <YAxis
          yAxisId="p"
          domain={[0, 1]}
          tickFormatter={pct}
          tick={{ fontSize: 11, fill: '#4b5563' }}
          stroke="#9ca3af"
          width={40}
        />
        <YAxis
          yAxisId="d"
          orientation="right"
          tick={{ fontSize: 11, fill: '#b45309' }}
          stroke="#9ca3af"
          width={36}
          label={{ value: 'Lead days', angle: 90, position: 'insideRight', fontSize: 11, fill: '#b45309' }}
        />
        <Tooltip />
        <Legend verticalAlign="top" height={22} wrapperStyle={{ fontSize: 11 }} />
        <Line
          yAxisId="p"
          dataKey="precision"
          name="Precision"
          stroke="#1f5fd6"
          dot={{ r: 2 }}
          connectNulls
          isAnimationActive={false}
        />
        <Line
          yAxisId="p"
          dataKey="recall"
          name="Recall"
          stroke="#0f766e"
          dot={{ r: 2 }}
          connectNulls
          isAnimationActive={false}
        />
        <Line
          yAxisId="d"
          dataKey="medianLeadDays"
          name="Median lead time (days)"
          stroke="#b45309"
          strokeDasharray="4 3"
          dot={{ r: 2 }}
          connectNulls
          isAnimationActive={false}
        />
        <ReferenceLine yAxisId="p" x={current} stroke="#9ca3af" label={{ value: 'now', fontSize: 10 }} />
        {chosen !== null && chosen !== current ? (
          <ReferenceLine yAxisId="p" x={chosen} stroke="#991b1b" label={{ value: 'picked', fontSize: 10 }} />
        ) : null}
      </ComposedChart>
      <p className="chart-summary small muted">{summary}</p>
    </figure>
  );
};
