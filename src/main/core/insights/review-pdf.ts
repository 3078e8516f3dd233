/**
 * The monthly review as a PDF, drawn with the brief's PdfWriter (same header, footer, tables and fonts) plus
 * a few vector charts of its own: grouped monthly bars, a forest plot of signal risk ratios with their
 * confidence intervals, and sparklines for systemic clusters. Footnote numbers refer to the appendix.
 */
import type { MonthlyReview } from '../../../shared/insights-types';
import { PdfWriter, pdfText } from '../brief/pdf';
import { formatMoney as money, formatPct as pct } from './review';
import { metricRows } from './review-md';

const INK = '#1d2433';
const MUTED = '#6b7280';
const LINE = '#d1d5db';
const ACCENT = '#1f4e8c';
const RED = '#b42318';
const GREEN = '#15803d';
const AMBER = '#d97706';
const SOFT = '#f3f4f6';

const monthName = (m: string): string =>
  new Date(`${m}-01T00:00:00.000Z`).toLocaleString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
const shortMonth = (m: string): string =>
  new Date(`${m}-01T00:00:00.000Z`).toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
const days = (v: number | null): string => (v === null ? 'n/a' : `${Math.round(v * 10) / 10} d`);

/** An axis maximum of 4 equal, round steps (whole steps for counts). */
const niceMax = (v: number): number => {
  if (v <= 0) return 4;
  const raw = v / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 3, 4, 5, 6, 8, 10]) if (m * p >= raw && Number.isInteger(m * p)) return 4 * m * p;
  return 4 * Math.max(1, Math.ceil(raw));
};

/** Vertical grouped bars per month, with a y grid, value labels and a legend. */
const groupedBars = (
  w: PdfWriter,
  title: string,
  months: string[],
  series: { name: string; color: string; values: number[] }[],
  opts: { height?: number; format?: (v: number) => string; highlight?: string } = {},
): void => {
  const d = w.doc;
  const H = opts.height ?? 120;
  w.ensure(H + 50);
  const fmt = opts.format ?? ((v: number) => String(Math.round(v)));
  d.font('Helvetica-Bold').fontSize(9).fillColor(INK).text(pdfText(title), w.left, d.y, { width: w.width });
  const top = d.y + 14;
  const plotL = w.left + 44;
  const plotR = w.left + w.width - 4;
  const plotB = top + H;
  const max = niceMax(Math.max(1, ...series.flatMap((s) => s.values)));
  const yAt = (v: number) => plotB - (v / max) * H;
  d.save();
  for (let k = 0; k <= 4; k++) {
    const v = (max / 4) * k;
    d.moveTo(plotL, yAt(v))
      .lineTo(plotR, yAt(v))
      .lineWidth(0.4)
      .strokeColor(k === 0 ? '#9ca3af' : LINE)
      .stroke();
    d.font('Helvetica')
      .fontSize(6.5)
      .fillColor(MUTED)
      .text(fmt(v), w.left, yAt(v) - 3, { width: 40, align: 'right', lineBreak: false });
  }
  const slot = (plotR - plotL) / months.length;
  const barW = Math.min(14, (slot * 0.75) / series.length);
  months.forEach((m, i) => {
    const x0 = plotL + i * slot + (slot - barW * series.length) / 2;
    if (opts.highlight === m)
      d.rect(plotL + i * slot + 1, top - 4, slot - 2, H + 4)
        .fillColor('#eef2f9')
        .fill();
    series.forEach((s, k) => {
      const v = s.values[i] ?? 0;
      const h = (v / max) * H;
      if (h > 0)
        d.rect(x0 + k * barW, plotB - h, barW - 1, h)
          .fillColor(s.color)
          .fill();
      if (v > 0 && series.length <= 2)
        d.font('Helvetica')
          .fontSize(5.5)
          .fillColor(MUTED)
          .text(fmt(v), x0 + k * barW - 6, plotB - h - 7, {
            width: barW + 11,
            align: 'center',
            lineBreak: false,
          });
    });
    d.font(opts.highlight === m ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(6.5)
      .fillColor(opts.highlight === m ? INK : MUTED)
      .text(`${shortMonth(m)} ${m.slice(2, 4)}`, plotL + i * slot, plotB + 4, {
        width: slot,
        align: 'center',
        lineBreak: false,
      });
  });
  w.legend(series, plotR, top - 12, { w: 9, h: 6 });
  d.restore();
  d.x = w.left;
  d.y = plotB + 22;
};

/** A forest plot: one row per signal, the risk ratio as a dot and its 95% CI as a whisker, on a log axis. */
const forestPlot = (
  w: PdfWriter,
  title: string,
  rows: { label: string; rr: number; low: number; high: number; small: boolean; note: string }[],
): void => {
  const d = w.doc;
  const rowH = 16;
  w.ensure(rows.length * rowH + 60);
  d.font('Helvetica-Bold').fontSize(9).fillColor(INK).text(pdfText(title), w.left, d.y, { width: w.width });
  const top = d.y + 8;
  const labelW = 150;
  const noteW = 90;
  const plotL = w.left + labelW + 8;
  const plotR = w.left + w.width - noteW - 6;
  const lo = Math.min(0.5, ...rows.map((r) => r.low));
  const hi = Math.max(4, ...rows.map((r) => r.high));
  const lmin = Math.log(Math.max(lo, 0.05));
  const lmax = Math.log(Math.min(hi, 200));
  const xAt = (v: number) =>
    plotL + ((Math.log(Math.min(Math.max(v, 0.05), 200)) - lmin) / (lmax - lmin)) * (plotR - plotL);
  const bottom = top + rows.length * rowH;
  d.save();
  for (const t of [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128]) {
    if (Math.log(t) < lmin - 1e-9 || Math.log(t) > lmax + 1e-9) continue;
    d.moveTo(xAt(t), top)
      .lineTo(xAt(t), bottom)
      .lineWidth(t === 1 ? 0.9 : 0.3)
      .strokeColor(t === 1 ? '#6b7280' : LINE)
      .stroke();
    d.font('Helvetica')
      .fontSize(6.5)
      .fillColor(MUTED)
      .text(String(t), xAt(t) - 12, bottom + 3, { width: 24, align: 'center', lineBreak: false });
  }
  d.font('Helvetica')
    .fontSize(6.5)
    .fillColor(MUTED)
    .text('risk ratio (log scale); 1 = no difference', plotL, bottom + 12, {
      width: plotR - plotL,
      align: 'center',
      lineBreak: false,
    });
  rows.forEach((r, i) => {
    const y = top + i * rowH + rowH / 2;
    if (i % 2 === 1)
      d.rect(w.left, y - rowH / 2, w.width, rowH)
        .fillColor(SOFT)
        .fill();
    d.font('Helvetica')
      .fontSize(7.5)
      .fillColor(INK)
      .text(pdfText(r.label), w.left, y - 4, {
        width: labelW,
        align: 'right',
        lineBreak: false,
        ellipsis: true,
      });
    const color = r.small ? AMBER : r.low > 1 ? RED : ACCENT;
    d.moveTo(xAt(r.low), y).lineTo(xAt(r.high), y).lineWidth(1.2).strokeColor(color).stroke();
    d.moveTo(xAt(r.low), y - 3)
      .lineTo(xAt(r.low), y + 3)
      .stroke();
    d.moveTo(xAt(r.high), y - 3)
      .lineTo(xAt(r.high), y + 3)
      .stroke();
    d.rect(xAt(r.rr) - 2.8, y - 2.8, 5.6, 5.6)
      .fillColor(color)
      .fill();
    d.font('Helvetica')
      .fontSize(7)
      .fillColor(r.small ? AMBER : INK)
      .text(pdfText(r.note), plotR + 8, y - 4, { width: noteW, lineBreak: false });
  });
  d.restore();
  d.x = w.left;
  d.y = bottom + 26;
};

const sparkline = (
  w: PdfWriter,
  x: number,
  y: number,
  width: number,
  height: number,
  values: number[],
  color: string,
): void => {
  const d = w.doc;
  const max = Math.max(1, ...values);
  const bw = width / values.length;
  d.save();
  values.forEach((v, i) => {
    const h = (v / max) * height;
    d.rect(x + i * bw + 0.5, y + height - h, bw - 1, Math.max(h, 0.6))
      .fillColor(v > 0 ? color : LINE)
      .fill();
  });
  d.restore();
};

export const reviewToPdf = async (r: MonthlyReview, createdAt: Date): Promise<Buffer> => {
  const w = new PdfWriter(`Bellwether - escalation review ${monthName(r.month)}`, createdAt);
  const d = w.doc;
  const notes: { label: string; refs: string[] }[] = [];
  const mark = (label: string, refs: string[]): string => {
    if (refs.length === 0) return '';
    notes.push({ label, refs });
    return ` [${notes.length}]`;
  };
  const ids = (t: string, xs: readonly number[]) => xs.map((x) => `${t}:${x}`);

  w.title(
    `Escalation review: ${monthName(r.month)}`,
    `Period ${r.from} to ${r.to} (inclusive) · generated ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC from the local portfolio`,
  );

  // Key figures as tiles.
  const tiles: { label: string; value: string; sub: string; color: string }[] = [
    {
      label: 'Escalations opened',
      value: String(r.opened.length),
      sub: `prev. ${r.previous.escalationsOpened}`,
      color: INK,
    },
    {
      label: 'Resolved',
      value: String(r.resolved.length),
      sub: `${r.outcomes.saved + r.outcomes.expanded} saved · ${r.outcomes.churned} churned`,
      color: INK,
    },
    {
      label: 'Prevented churn',
      value: money(r.current.preventedChurnArr),
      sub: `prev. ${money(r.previous.preventedChurnArr)}`,
      color: GREEN,
    },
    {
      label: 'ARR lost',
      value: money(r.current.arrLostToChurn + r.current.arrLostToDowngrade),
      sub: `prev. ${money(r.previous.arrLostToChurn + r.previous.arrLostToDowngrade)}`,
      color: RED,
    },
    {
      label: 'Recall / precision',
      value: `${pct(r.current.recall)} / ${pct(r.current.precision)}`,
      sub: `lead time ${days(r.current.leadTimeDays.median)}`,
      color: ACCENT,
    },
  ];
  const tw = (w.width - 4 * 6) / tiles.length;
  const ty = d.y;
  tiles.forEach((t, i) => {
    const x = w.left + i * (tw + 6);
    d.save().rect(x, ty, tw, 50).fillColor(SOFT).fill().restore();
    d.font('Helvetica')
      .fontSize(7)
      .fillColor(MUTED)
      .text(pdfText(t.label), x + 7, ty + 6, { width: tw - 14, lineBreak: false });
    d.font('Helvetica-Bold')
      .fontSize(14)
      .fillColor(t.color)
      .text(pdfText(t.value), x + 7, ty + 17, { width: tw - 14, lineBreak: false });
    d.font('Helvetica')
      .fontSize(6.5)
      .fillColor(MUTED)
      .text(pdfText(t.sub), x + 7, ty + 37, { width: tw - 14, lineBreak: false, ellipsis: true });
  });
  d.x = w.left;
  d.y = ty + 62;

  w.h2('Summary');
  for (const h of r.highlights) w.para(`•  ${h}`, { size: 9 });

  w.h2('What happened');
  w.para(
    `${r.opened.length} escalations opened${mark(
      'Escalations opened',
      ids(
        'escalations',
        r.opened.map((e) => e.id),
      ),
    )}, ${r.resolved.length} resolved${mark(
      'Escalations resolved',
      ids(
        'escalations',
        r.resolved.map((e) => e.id),
      ),
    )}. Outcomes recorded: ${r.outcomes.saved} saved, ${r.outcomes.expanded} expanded, ${r.outcomes.churned} churned, ${r.outcomes.downgraded} downgraded. ARR saved ${money(
      r.current.preventedChurnArr,
    )}${mark('Saved outcomes', ids('outcomes', r.current.refs.savedOutcomes))}, ARR lost ${money(r.current.arrLostToChurn + r.current.arrLostToDowngrade)}.`,
    { size: 9 },
  );
  if (r.resolved.length > 0) {
    w.table(
      [
        { header: 'Esc.', width: 6 },
        { header: 'Account', width: 22 },
        { header: 'Category', width: 16 },
        { header: 'Priority', width: 9 },
        { header: 'Opened', width: 11 },
        { header: 'Resolved', width: 11 },
        { header: 'Outcome', width: 11 },
        { header: 'ARR before', width: 10, align: 'right' },
        { header: 'ARR after', width: 10, align: 'right' },
      ],
      r.resolved.map((e) => [
        String(e.id),
        e.accountName,
        e.category ?? '-',
        e.priority,
        e.openedAt.slice(0, 10),
        e.resolvedAt?.slice(0, 10) ?? '-',
        e.outcome ?? 'not recorded',
        e.arrBefore === null ? '-' : money(e.arrBefore),
        e.arrAfter === null ? '-' : money(e.arrAfter),
      ]),
      { size: 7.5 },
    );
  }

  w.h2('Metrics against the previous month');
  w.table(
    [
      { header: 'Metric', width: 40 },
      { header: monthName(r.month), width: 30, align: 'right' },
      { header: monthName(r.previous.from.slice(0, 7)), width: 30, align: 'right' },
    ],
    metricRows(r.current, r.previous).map((m) => [
      `${m.label}${mark(m.label, m.refs)}`,
      m.current,
      m.previous,
    ]),
    { size: 8 },
  );

  w.ensure(240);
  w.h2('Twelve months');
  const months = r.monthly.map((p) => p.month);
  groupedBars(
    w,
    'Escalations opened and flags raised per month',
    months,
    [
      { name: 'Escalations', color: ACCENT, values: r.monthly.map((p) => p.escalations) },
      { name: 'Flags', color: '#93b4de', values: r.monthly.map((p) => p.flags) },
    ],
    { highlight: r.month },
  );
  groupedBars(
    w,
    'Outcomes recorded per month',
    months,
    [
      { name: 'Saved or expanded', color: GREEN, values: r.monthly.map((p) => p.saved) },
      { name: 'Churned', color: RED, values: r.monthly.map((p) => p.churned) },
    ],
    { highlight: r.month, height: 90 },
  );
  groupedBars(
    w,
    'Prevented churn vs ARR lost per month',
    months,
    [
      { name: 'Prevented churn ARR', color: GREEN, values: r.monthly.map((p) => p.preventedChurnArr) },
      { name: 'ARR lost', color: RED, values: r.monthly.map((p) => p.arrLost) },
    ],
    { highlight: r.month, height: 100, format: (v) => money(v) },
  );

  w.ensure(300);
  w.h2('Top patterns (last 12 months)');
  const effects = r.patterns.effects
    .filter((e) => e.riskRatio !== null && e.ciLow !== null && e.ciHigh !== null)
    .slice(0, 10);
  if (effects.length > 0) {
    forestPlot(
      w,
      'Signals that preceded escalations within 60 days (risk ratio, 95% CI)',
      effects.map((e) => ({
        label: e.label,
        rr: e.riskRatio!,
        low: e.ciLow!,
        high: e.ciHigh!,
        small: e.smallSample,
        note: `${e.riskRatio!.toFixed(1)}x · n=${e.nPresent}${e.smallSample ? ' · small' : ''}`,
      })),
    );
  }
  const strat = [...r.patterns.strategies].sort((a, b) => b.used - a.used).slice(0, 10);
  if (strat.length > 0) {
    w.h3('Strategies that worked, by category');
    w.table(
      [
        { header: 'Category', width: 20 },
        { header: 'Strategy', width: 30 },
        { header: 'Used', width: 8, align: 'right' },
        { header: 'Saved', width: 8, align: 'right' },
        { header: 'Rate (95% CI)', width: 20, align: 'right' },
        { header: 'Note', width: 14 },
      ],
      strat.map((s) => [
        s.category,
        `${s.strategy}${mark(`${s.category} / ${s.strategy}`, ids('outcomes', s.outcomeIds))}`,
        String(s.used),
        String(s.succeeded),
        `${pct(s.rate)} (${pct(s.ciLow)}-${pct(s.ciHigh)})`,
        s.smallSample ? 'small sample' : '',
      ]),
      { size: 7.5 },
    );
  }
  const fa = r.patterns.firstAction;
  w.h3('Time to first executive action');
  w.para(
    `Executive engaged within ${fa.thresholdHours} h: ${pct(fa.fast.rate)} saved (${fa.fast.saved}/${fa.fast.n}); later: ${pct(fa.slow.rate)} (${fa.slow.saved}/${fa.slow.n}); not at all: ${pct(
      fa.none.rate,
    )} (${fa.none.saved}/${fa.none.n}).`,
    { size: 8.5 },
  );
  if (r.patterns.missed.length > 0) {
    w.h3(`Escalations no flag caught (${r.patterns.missed.length})`);
    w.table(
      [
        { header: 'Esc.', width: 6 },
        { header: 'Account', width: 22 },
        { header: 'Opened', width: 11 },
        { header: 'Category', width: 15 },
        { header: 'Signals present when it opened', width: 46 },
      ],
      r.patterns.missed.slice(0, 12).map((m) => [
        String(m.escalationId),
        m.accountName,
        m.openedAt.slice(0, 10),
        m.category ?? '-',
        m.signals.length
          ? m.signals
              .slice(0, 3)
              .map((s) => s.label)
              .join('; ')
          : 'no risk signal present',
      ]),
      { size: 7 },
    );
  }

  w.h3('Systemic issues');
  const sys = r.patterns.systemic.filter((c) => c.escalations >= 2).slice(0, 5);
  for (const c of sys) {
    const text = `${c.rootCause ?? 'unknown'} · ${c.productArea ?? 'no product area'}${c.growing ? '  GROWING' : ''}`;
    const body = `${c.escalations} escalations (${c.recent} in the last 3 months vs ${c.previous} before), ${c.accounts.length} accounts, ${money(c.arrAffected)} ARR. Terms: ${c.topTerms
      .slice(0, 6)
      .join(
        ', ',
      )}.${c.growing ? ` Accounts: ${c.accounts.map((a) => `${a.name} (${money(a.arr)})`).join(', ')}.` : ''}${mark(
      `Cluster ${c.key}`,
      [...ids('escalations', c.escalationIds), ...ids('tickets', c.ticketIds.slice(0, 40))],
    )}`;
    d.font('Helvetica').fontSize(8);
    const bh = d.heightOfString(pdfText(body), { width: w.width - 130 }) + 22;
    w.ensure(bh + 6);
    const y = d.y;
    if (c.growing)
      d.save()
        .rect(w.left, y, w.width, bh)
        .fillColor('#fdf2f1')
        .fill()
        .rect(w.left, y, 3, bh)
        .fillColor(RED)
        .fill()
        .restore();
    d.font('Helvetica-Bold')
      .fontSize(9)
      .fillColor(c.growing ? RED : INK)
      .text(pdfText(text), w.left + 8, y + 5, { width: w.width - 130 });
    d.font('Helvetica')
      .fontSize(8)
      .fillColor(INK)
      .text(pdfText(body), w.left + 8, d.y + 1, { width: w.width - 130 });
    sparkline(
      w,
      w.left + w.width - 112,
      y + 8,
      104,
      24,
      c.monthly.map((m) => m.count),
      c.growing ? RED : ACCENT,
    );
    d.font('Helvetica')
      .fontSize(6)
      .fillColor(MUTED)
      .text('escalations / month, 12 mo.', w.left + w.width - 112, y + 34, {
        width: 104,
        align: 'center',
        lineBreak: false,
      });
    d.x = w.left;
    d.y = Math.max(d.y, y + bh) + 6;
  }

  w.h2('Recommended rule changes');
  if (r.recommendations.length === 0) w.para('No change recommended.', { color: MUTED });
  for (const rec of r.recommendations) {
    w.h3(
      `${rec.kind === 'review' ? 'Review' : rec.kind === 'tighten' ? 'Tighten' : 'Loosen'}: ${rec.ruleName}`,
    );
    w.para(`Proposal: ${rec.title}`, { size: 8.5, font: 'Helvetica-Bold' });
    w.para(`${rec.why}${mark(`Decided flags of rule ${rec.ruleId}`, ids('risk_flags', rec.flagIds))}`, {
      size: 8.5,
    });
    if (rec.before && rec.after) {
      w.table(
        [
          { header: 'Backtest (24 months, weekly)', width: 34 },
          { header: 'Flags', width: 12, align: 'right' },
          { header: 'Precision', width: 14, align: 'right' },
          { header: 'Recall', width: 14, align: 'right' },
          { header: 'Median lead', width: 14, align: 'right' },
        ],
        [
          [
            'Rule as it is',
            String(rec.before.flags),
            pct(rec.before.precision),
            pct(rec.before.recall),
            days(rec.before.medianLeadDays),
          ],
          [
            'As proposed',
            String(rec.after.flags),
            pct(rec.after.precision),
            pct(rec.after.recall),
            days(rec.after.medianLeadDays),
          ],
        ],
        { size: 7.5 },
      );
    }
    w.para(`Open in Bellwether: ${rec.link}`, { size: 7.5, color: ACCENT });
  }

  w.h2('How each figure is counted');
  for (const [k, v] of Object.entries(r.current.definitions)) w.para(`${k}: ${v}`, { size: 7.5, color: INK });

  w.h2('Appendix: records behind the numbers');
  w.para(
    'Each number in brackets above refers to the records listed here (table:id in the portfolio database).',
    { size: 7.5, color: MUTED },
  );
  notes.forEach((n, i) => {
    const line = pdfText(`${n.label}: ${n.refs.join(', ')}`);
    d.font('Helvetica').fontSize(7);
    const h = d.heightOfString(line, { width: w.width - 26 });
    w.ensure(h + 2);
    const y = d.y;
    d.fillColor(ACCENT).text(`[${i + 1}]`, w.left, y, { width: 22, align: 'right' });
    d.fillColor(INK).text(line, w.left + 26, y, { width: w.width - 26 });
    d.x = w.left;
    d.y = Math.max(d.y, y + h) + 1.5;
  });
  return w.finish();
};
