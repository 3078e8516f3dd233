/**
 * PDF renderings (pdfkit, standard fonts, everything drawn as vectors): the brief (with usage and health line
 * charts and the score breakdown bar chart), the action plan, and the QBR pack (heatmap, escalations,
 * outcomes). Page header and "page i of n" footer on every page; numbered sources at the end.
 */
import PDFDocument from 'pdfkit';
import type { Brief, BriefItem, PlanVersion, QbrPack, SourceRef } from '../../../shared/brief-types';
import { RENEWAL_WINDOWS } from '../../../shared/brief-types';
import { SEGMENTS } from '../../../shared/domain';
import { day, money, roleLabel } from './format';
import { RISK_AT } from './qbr';
import { SourceNumbers } from './sources';

type Doc = PDFKit.PDFDocument;

const INK = '#1d2433';
const MUTED = '#6b7280';
const LINE = '#d1d5db';
const ACCENT = '#1f4e8c';
const RED = '#b42318';
const AMBER = '#d97706';
const SOFT = '#f3f4f6';

/** Characters above Latin-1 that the WinAnsi encoding of the standard fonts can draw. */
const WIN_ANSI_EXTRA = new Set([
  '\u2013',
  '\u2014',
  '\u2018',
  '\u2019',
  '\u201c',
  '\u201d',
  '\u2022',
  '\u2026',
  '\u20ac',
]);

/** The standard PDF fonts speak WinAnsi: map what they cannot draw. */
export const pdfText = (s: string): string =>
  s
    .replace(/→/g, '->')
    .replace(/←/g, '<-')
    .replace(/≥/g, '>=')
    .replace(/≤/g, '<=')
    .replace(/[\u2010\u2011\u2012]/g, '-')
    .replace(/\u00a0/g, ' ')
    .split('')
    .map((ch) => {
      const c = ch.charCodeAt(0);
      if (c === 10) return ch;
      if (c < 32 || (c >= 127 && c < 160)) return ' ';
      return c <= 0xff || WIN_ANSI_EXTRA.has(ch) ? ch : '?';
    })
    .join('');

export class PdfWriter {
  readonly doc: Doc;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;
  readonly left = 56;
  readonly width: number;

  constructor(
    private readonly header: string,
    createdAt: Date,
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: 64, bottom: 60, left: 56, right: 56 },
      bufferPages: true,
      info: {
        Title: pdfText(header),
        Creator: 'Bellwether',
        Producer: 'Bellwether',
        CreationDate: createdAt,
        ModDate: createdAt,
      },
    });
    this.width = this.doc.page.width - 112;
    this.done = new Promise((resolve, reject) => {
      this.doc.on('data', (c: Buffer) => this.chunks.push(c));
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
    this.doc.on('pageAdded', () => this.drawHeader());
    this.drawHeader();
  }

  private drawHeader(): void {
    const d = this.doc;
    const y = d.y;
    d.save();
    d.font('Helvetica')
      .fontSize(7.5)
      .fillColor(MUTED)
      .text(pdfText(this.header), this.left, 34, { width: this.width, lineBreak: false });
    d.moveTo(this.left, 46)
      .lineTo(this.left + this.width, 46)
      .lineWidth(0.5)
      .strokeColor(LINE)
      .stroke();
    d.restore();
    d.x = this.left;
    d.y = Math.max(y, d.page.margins.top);
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  ensure(h: number): void {
    if (this.doc.y + h > this.bottom) this.doc.addPage();
  }

  title(text: string, sub: string): void {
    const d = this.doc;
    d.font('Helvetica-Bold')
      .fontSize(19)
      .fillColor(INK)
      .text(pdfText(text), this.left, d.y, { width: this.width });
    d.moveDown(0.2);
    d.font('Helvetica').fontSize(9).fillColor(MUTED).text(pdfText(sub), { width: this.width });
    d.moveDown(0.8);
  }

  h2(text: string): void {
    this.ensure(90);
    const d = this.doc;
    d.moveDown(0.6);
    d.font('Helvetica-Bold')
      .fontSize(12.5)
      .fillColor(ACCENT)
      .text(pdfText(text), this.left, d.y, { width: this.width });
    const y = d.y + 2;
    d.moveTo(this.left, y)
      .lineTo(this.left + this.width, y)
      .lineWidth(0.6)
      .strokeColor(ACCENT)
      .stroke();
    d.y = y + 6;
  }

  h3(text: string): void {
    this.ensure(40);
    this.doc.moveDown(0.3);
    this.doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .fillColor(INK)
      .text(pdfText(text), this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.2);
  }

  para(text: string, opts: { size?: number; color?: string; font?: string } = {}): void {
    const d = this.doc;
    d.font(opts.font ?? 'Helvetica').fontSize(opts.size ?? 9.5);
    this.ensure(d.heightOfString(pdfText(text), { width: this.width }) + 4);
    d.fillColor(opts.color ?? INK).text(pdfText(text), this.left, d.y, { width: this.width });
    d.moveDown(0.3);
  }

  /** A box with a tinted background, for the headline. */
  callout(text: string, marker: string, color = RED, background = '#fdf2f1'): void {
    const d = this.doc;
    const body = pdfText(text + (marker ? ` ${marker}` : ''));
    d.font('Helvetica-Bold').fontSize(10.5);
    const h = d.heightOfString(body, { width: this.width - 24 }) + 18;
    this.ensure(h + 8);
    const y = d.y;
    d.save().rect(this.left, y, this.width, h).fillColor(background).fill().restore();
    d.save().rect(this.left, y, 3.5, h).fillColor(color).fill().restore();
    d.fillColor(INK).text(body, this.left + 14, y + 9, { width: this.width - 24 });
    d.x = this.left;
    d.y = y + h + 8;
  }

  item(i: BriefItem, src: SourceNumbers, indent = 0): void {
    const d = this.doc;
    const m = src.marker(i.citations);
    const font =
      i.kind === 'empty' || i.kind === 'note'
        ? 'Helvetica-Oblique'
        : i.emphasis
          ? 'Helvetica-Bold'
          : 'Helvetica';
    const color = i.kind === 'empty' || i.kind === 'note' ? MUTED : INK;
    const text = pdfText(i.text);
    const x = this.left + indent;
    const w = this.width - indent - 12;
    d.font(font).fontSize(9.5);
    const h = d.heightOfString(`${text} ${m}`, { width: w });
    this.ensure(h + 3);
    const y = d.y;
    if (i.emphasis)
      d.save()
        .circle(x + 3, y + 4.6, 2.2)
        .fillColor(RED)
        .fill()
        .restore();
    else
      d.save()
        .circle(x + 3, y + 4.6, 1.6)
        .fillColor(MUTED)
        .fill()
        .restore();
    d.font(font).fontSize(9.5).fillColor(color);
    if (m) {
      d.text(`${text} `, x + 12, y, { width: w, continued: true });
      d.font('Helvetica').fontSize(7.5).fillColor(ACCENT).text(m);
    } else d.text(text, x + 12, y, { width: w });
    d.x = this.left;
    d.y += 2.5;
  }

  /** A table with a repeated header row on each page. */
  /** A table with a repeated header row on each page; `checkbox` columns draw a box, ticked when the cell is "x". */
  table(
    cols: { header: string; width: number; align?: 'left' | 'right' | 'center'; checkbox?: boolean }[],
    rows: string[][],
    opts: { size?: number } = {},
  ): void {
    const d = this.doc;
    const size = opts.size ?? 8.5;
    const total = cols.reduce((s, c) => s + c.width, 0);
    const widths = cols.map((c) => (c.width / total) * this.width);
    const pad = 4;
    const rowHeight = (cells: string[], font: string) => {
      d.font(font).fontSize(size);
      return (
        Math.max(...cells.map((c, k) => d.heightOfString(pdfText(c), { width: widths[k]! - 2 * pad }))) +
        2 * pad
      );
    };
    const drawRow = (cells: string[], font: string, fill: string | null, color: string) => {
      const h = rowHeight(cells, font);
      const y = d.y;
      if (fill) d.save().rect(this.left, y, this.width, h).fillColor(fill).fill().restore();
      let x = this.left;
      cells.forEach((c, k) => {
        if (cols[k]!.checkbox && font !== 'Helvetica-Bold') {
          const bx = x + widths[k]! / 2 - 4;
          const by = y + pad + 0.5;
          d.save().rect(bx, by, 8, 8).lineWidth(0.7).strokeColor(INK).stroke();
          if (c === 'x')
            d.moveTo(bx + 1.5, by + 4)
              .lineTo(bx + 3.5, by + 6.5)
              .lineTo(bx + 7, by + 1.5)
              .lineWidth(1.3)
              .strokeColor('#15803d')
              .stroke();
          d.restore();
        } else {
          d.font(font)
            .fontSize(size)
            .fillColor(color)
            .text(pdfText(c), x + pad, y + pad, {
              width: widths[k]! - 2 * pad,
              align: cols[k]!.align ?? 'left',
            });
        }
        x += widths[k]!;
      });
      d.moveTo(this.left, y + h)
        .lineTo(this.left + this.width, y + h)
        .lineWidth(0.4)
        .strokeColor(LINE)
        .stroke();
      d.x = this.left;
      d.y = y + h;
    };
    const header = cols.map((c) => c.header);
    this.ensure(rowHeight(header, 'Helvetica-Bold') + (rows[0] ? rowHeight(rows[0], 'Helvetica') : 0));
    drawRow(header, 'Helvetica-Bold', '#e5e7eb', INK);
    rows.forEach((r, k) => {
      if (d.y + rowHeight(r, 'Helvetica') > this.bottom) {
        d.addPage();
        drawRow(header, 'Helvetica-Bold', '#e5e7eb', INK);
      }
      drawRow(r, 'Helvetica', k % 2 ? SOFT : null, INK);
    });
    d.moveDown(0.6);
  }

  /** A line chart with gridlines, dated x axis, legend and optional event markers. */
  lineChart(
    title: string,
    series: { name: string; color: string; points: { date: string; value: number }[] }[],
    opts: { height?: number; yMax?: number; markers?: { date: string; label: string }[] } = {},
  ): void {
    const d = this.doc;
    const H = opts.height ?? 150;
    this.ensure(H + 48);
    const all = series.flatMap((s) => s.points);
    if (all.length < 2) return;
    d.font('Helvetica-Bold')
      .fontSize(9)
      .fillColor(INK)
      .text(pdfText(title), this.left, d.y, { width: this.width });
    const top = d.y + 16;
    const plotL = this.left + 34;
    const plotR = this.left + this.width - 6;
    const plotB = top + H;
    const t = (s: string) => Date.parse(s.slice(0, 10));
    const t0 = Math.min(...all.map((p) => t(p.date)));
    const t1 = Math.max(...all.map((p) => t(p.date)));
    const rawMax = opts.yMax ?? Math.max(...all.map((p) => p.value), 1);
    const step = niceStep(rawMax / 4);
    const yMax = opts.yMax ?? Math.ceil(rawMax / step) * step;
    const X = (s: string) => plotL + ((t(s) - t0) / Math.max(1, t1 - t0)) * (plotR - plotL);
    const Y = (v: number) => plotB - (v / yMax) * H;
    d.save();
    for (let v = 0; v <= yMax + 1e-9; v += opts.yMax ? yMax / 4 : step) {
      d.moveTo(plotL, Y(v))
        .lineTo(plotR, Y(v))
        .lineWidth(0.4)
        .strokeColor(v === 0 ? '#9ca3af' : LINE)
        .stroke();
      d.font('Helvetica')
        .fontSize(7)
        .fillColor(MUTED)
        .text(String(Math.round(v)), this.left, Y(v) - 3.5, { width: 30, align: 'right', lineBreak: false });
    }
    const dates = [...new Set(all.map((p) => p.date.slice(0, 10)))].sort();
    const every = Math.max(1, Math.ceil(dates.length / 7));
    dates.forEach((ds, k) => {
      if (k % every !== 0 && k !== dates.length - 1) return;
      if (k !== dates.length - 1 && dates.length - 1 - k < every / 2) return;
      d.moveTo(X(ds), plotB)
        .lineTo(X(ds), plotB + 3)
        .lineWidth(0.4)
        .strokeColor('#9ca3af')
        .stroke();
      d.font('Helvetica')
        .fontSize(7)
        .fillColor(MUTED)
        .text(ds.slice(5), X(ds) - 15, plotB + 5, { width: 30, align: 'center', lineBreak: false });
    });
    for (const m of opts.markers ?? []) {
      if (t(m.date) < t0 || t(m.date) > t1) continue;
      const x = X(m.date);
      d.moveTo(x, top)
        .lineTo(x, plotB)
        .lineWidth(0.8)
        .dash(3, { space: 2 })
        .strokeColor(RED)
        .stroke()
        .undash();
      d.font('Helvetica')
        .fontSize(7)
        .fillColor(RED)
        .text(pdfText(m.label), x - 60, top - 9, { width: 120, align: 'center', lineBreak: false });
    }
    for (const s of series) {
      const pts = [...s.points].sort((a, b) => t(a.date) - t(b.date));
      if (pts.length < 2) continue;
      d.moveTo(X(pts[0]!.date), Y(pts[0]!.value));
      for (const p of pts.slice(1)) d.lineTo(X(p.date), Y(p.value));
      d.lineWidth(1.6).strokeColor(s.color).lineJoin('round').stroke();
      for (const p of pts) d.circle(X(p.date), Y(p.value), 1.5).fillColor(s.color).fill();
    }
    this.legend(series, plotR, top - 20, { w: 10, h: 3 });
    d.restore();
    d.x = this.left;
    d.y = plotB + 20;
  }

  /**
   * A chart legend right-aligned at `right`: a colour swatch (w x h, its top at `y`) and the series name after
   * it, for each series in order.
   */
  legend(
    series: readonly { name: string; color: string }[],
    right: number,
    y: number,
    swatch: { w: number; h: number },
  ): void {
    const d = this.doc;
    let x = right;
    for (const s of [...series].reverse()) {
      d.font('Helvetica').fontSize(7.5);
      x -= d.widthOfString(s.name) + swatch.w + 10;
      d.rect(x, y, swatch.w, swatch.h).fillColor(s.color).fill();
      d.fillColor(INK).text(s.name, x + swatch.w + 3, y + swatch.h / 2 - 4, { lineBreak: false });
    }
  }

  /** Horizontal bars, one per labelled value. */
  barChart(
    title: string,
    bars: { label: string; value: number; color: string; note?: string }[],
    opts: { max?: number; unit?: string } = {},
  ): void {
    const d = this.doc;
    const rowH = 15;
    this.ensure(bars.length * rowH + 30);
    d.font('Helvetica-Bold')
      .fontSize(9)
      .fillColor(INK)
      .text(pdfText(title), this.left, d.y, { width: this.width });
    const top = d.y + 6;
    const labelW = 150;
    const plotL = this.left + labelW + 6;
    const plotW = this.width - labelW - 60;
    const max = opts.max ?? Math.max(1, ...bars.map((b) => b.value));
    d.save();
    bars.forEach((b, k) => {
      const y = top + k * rowH;
      d.font('Helvetica')
        .fontSize(8)
        .fillColor(INK)
        .text(pdfText(b.label), this.left, y + 2.5, {
          width: labelW,
          align: 'right',
          lineBreak: false,
          ellipsis: true,
        });
      d.rect(plotL, y + 2, plotW, rowH - 5)
        .fillColor(SOFT)
        .fill();
      d.rect(plotL, y + 2, Math.max(1, (b.value / max) * plotW), rowH - 5)
        .fillColor(b.color)
        .fill();
      d.font('Helvetica-Bold')
        .fontSize(8)
        .fillColor(INK)
        .text(`${formatNum(b.value)}${opts.unit ?? ''}`, plotL + plotW + 6, y + 2.5, {
          width: 50,
          lineBreak: false,
        });
    });
    d.restore();
    d.x = this.left;
    d.y = top + bars.length * rowH + 8;
  }

  sources(src: SourceNumbers): void {
    const list = src.list();
    if (list.length === 0) return;
    this.h2('Sources');
    const d = this.doc;
    this.para(
      'Each number refers to the record a statement comes from (table:id in the portfolio database).',
      { size: 8, color: MUTED },
    );
    for (const s of list) {
      d.font('Helvetica').fontSize(7.5);
      const line = pdfText(`${s.ref}  ${s.label}`);
      const h = d.heightOfString(line, { width: this.width - 26 });
      this.ensure(h + 1);
      const y = d.y;
      d.fillColor(ACCENT).text(String(s.n), this.left, y, { width: 20, align: 'right' });
      d.fillColor(INK).text(line, this.left + 26, y, { width: this.width - 26 });
      d.x = this.left;
      d.y = Math.max(d.y, y + h) + 0.5;
    }
  }

  async finish(): Promise<Buffer> {
    const d = this.doc;
    const range = d.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      d.switchToPage(i);
      const bottom = d.page.margins.bottom;
      d.page.margins.bottom = 0;
      d.font('Helvetica').fontSize(7.5).fillColor(MUTED);
      d.text(`Page ${i + 1} of ${range.count}`, this.left, d.page.height - 36, {
        width: this.width,
        align: 'right',
        lineBreak: false,
      });
      d.text('Bellwether - internal, confidential', this.left, d.page.height - 36, {
        width: this.width,
        align: 'left',
        lineBreak: false,
      });
      d.page.margins.bottom = bottom;
    }
    d.end();
    return this.done;
  }
}

const niceStep = (raw: number): number => {
  if (raw <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
};

const formatNum = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));

// -------------------------------------------------------------------------------------------------------

const riskColor = (k: number): string => (k < 2 ? RED : AMBER);

export const renderBriefPages = (w: PdfWriter, b: Brief, src: SourceNumbers): void => {
  w.title(
    b.title,
    `As of ${b.asOf} - ${b.escalationId ? `escalation #${b.escalationId} - ` : ''}internal material for the account team; numbers in brackets cite the sources listed at the end.`,
  );
  if (b.risk.factors.length) w.callout(b.headline.text, src.marker(b.headline.citations));
  else w.callout(b.headline.text, src.marker(b.headline.citations), '#15803d', '#f0fdf4');
  if (b.narrative) {
    w.h2('Summary (drafted by the local model)');
    w.para(b.narrative.text);
    w.para(`Model: ${b.narrative.model}. Drafted from the cited facts; check before sharing.`, {
      size: 8,
      color: MUTED,
      font: 'Helvetica-Oblique',
    });
  }
  for (const s of b.sections) {
    if (s.id === 'risk' && b.risk.factors.length) w.ensure(90 + b.risk.factors.length * 15);
    w.h2(s.title);
    if (s.id === 'risk' && b.risk.factors.length) {
      // Keep the score line with its chart.
      w.ensure(60 + b.risk.factors.length * 15);
      w.item(s.items[0]!, src);
      w.doc.moveDown(0.5);
      w.barChart(
        `Score breakdown: ${b.risk.score}/100 (points per factor)`,
        b.risk.factors.map((f, k) => ({ label: f.label, value: f.points, color: riskColor(k) })),
        { max: Math.max(20, ...b.risk.factors.map((f) => f.points)) },
      );
      w.table(
        [
          { header: 'Factor', width: 26 },
          { header: 'Points', width: 9, align: 'right' },
          { header: 'Evidence', width: 52 },
          { header: 'Sources', width: 13 },
        ],
        b.risk.factors.map((f) => [f.label, formatNum(f.points), f.detail, src.marker(f.citations)]),
      );
      continue;
    }
    if (s.id === 'usage' && b.usage.length >= 2) {
      for (const i of s.items.filter((x) => !x.text.startsWith('Chart data:'))) w.item(i, src);
      w.doc.moveDown(0.4);
      w.lineChart(
        'Weekly logins and active users (last 26 weeks)',
        [
          { name: 'Logins', color: ACCENT, points: b.usage.map((u) => ({ date: u.date, value: u.logins })) },
          {
            name: 'Active users',
            color: AMBER,
            points: b.usage.map((u) => ({ date: u.date, value: u.activeUsers })),
          },
        ],
        { markers: b.markers },
      );
      if (b.health.length >= 2) {
        w.lineChart(
          'Health score',
          [
            {
              name: 'Health',
              color: '#15803d',
              points: b.health.map((h) => ({ date: h.date, value: h.score })),
            },
          ],
          {
            height: 90,
            yMax: 100,
            markers: b.markers,
          },
        );
      }
      for (const i of s.items.filter((x) => x.text.startsWith('Chart data:'))) w.item(i, src);
      continue;
    }
    if (s.id === 'similar' && b.similarCases.length) {
      w.table(
        [
          { header: 'Past case', width: 24 },
          { header: 'Opened', width: 12 },
          { header: 'Similarity', width: 10, align: 'right' },
          { header: 'Resolved with', width: 26 },
          { header: 'Outcome', width: 16 },
          { header: 'Src', width: 8 },
        ],
        b.similarCases.map((c) => [
          `${c.accountName}${c.category ? ` (${c.category.replace(/_/g, ' ')})` : ''}`,
          day(c.openedAt),
          c.similarity.toFixed(2),
          c.strategies.map((x) => x.replace(/_/g, ' ')).join(', ') || '-',
          `${c.outcome ?? '-'}${c.arrBefore !== null ? ` (${money(c.arrBefore)} to ${money(c.arrAfter)})` : ''}`,
          src.marker(c.citations),
        ]),
      );
      for (const i of s.items.filter((x) => x.kind === 'note')) w.item(i, src);
      continue;
    }
    for (const i of s.items) w.item(i, src);
  }
};

export const renderPlanPages = (w: PdfWriter, p: PlanVersion, src: SourceNumbers, newPage: boolean): void => {
  const b = p.body;
  if (newPage) w.doc.addPage();
  w.title(
    `Action plan: ${b.accountName}`,
    `Version ${p.version}, saved by ${p.author} at ${p.createdAt.replace('T', ' ').slice(0, 16)} UTC. Internal draft: the account team holds the customer conversations.`,
  );
  w.h2('Root-cause hypothesis');
  w.item(b.rootCause.hypothesis, src);
  for (const e of b.rootCause.evidence) w.item(e, src, 12);
  w.h2('Strategies (prioritized)');
  if (b.strategies.length === 0)
    w.para('No strategies proposed: there are no risk signals to address.', {
      color: MUTED,
      font: 'Helvetica-Oblique',
    });
  else {
    w.table(
      [
        { header: '#', width: 4, align: 'center' },
        { header: 'Strategy', width: 18 },
        { header: 'Similar cases: success', width: 20 },
        { header: 'Why', width: 58 },
      ],
      b.strategies.map((s) => [
        String(s.rank),
        s.name,
        s.uses
          ? `${s.successes} of ${s.uses} (${Math.round((s.successRate ?? 0) * 100)}%)${s.smallSample ? ' - small sample' : ''}`
          : 'not used in similar cases',
        `${s.rationale.text} ${src.marker(s.rationale.citations)}`,
      ]),
    );
  }
  w.h2('People and resources');
  if (b.people.length) {
    w.table(
      [
        { header: 'Role', width: 18 },
        { header: 'Person', width: 18 },
        { header: 'Why', width: 64 },
      ],
      b.people.map((x) => [roleLabel(x.role), x.name ?? 'unassigned', `${x.why} ${src.marker(x.citations)}`]),
    );
  }
  if (b.resources.length) w.h3('Resources');
  for (const r of b.resources) w.item({ text: r, citations: [], kind: 'fact' }, src);
  w.h2('Timeline');
  if (b.tasks.length === 0) w.para('No tasks.', { color: MUTED });
  else {
    w.table(
      [
        { header: 'Done', width: 7, align: 'center', checkbox: true },
        { header: 'Due', width: 12 },
        { header: 'Task', width: 47 },
        { header: 'Owner', width: 34 },
      ],
      b.tasks.map((t) => [
        t.done ? 'x' : '',
        t.due,
        t.done && t.doneBy ? `${t.title} (done by ${t.doneBy}, ${day(t.doneAt)})` : t.title,
        t.ownerName ? `${t.ownerName} (${roleLabel(t.ownerRole)})` : `${roleLabel(t.ownerRole)}: unassigned`,
      ]),
    );
  }
  w.h2('Talking points (internal preparation)');
  for (const t of b.talkingPoints) w.item(t, src);
  if (b.notes.trim()) {
    w.h2('Notes');
    w.para(b.notes.trim());
  }
};

export const briefToPdf = async (
  b: Brief,
  plan: PlanVersion | null,
  extraSources: SourceRef[],
  createdAt: Date,
): Promise<Buffer> => {
  const w = new PdfWriter(`Bellwether - ${b.title} - as of ${b.asOf}`, createdAt);
  const src = new SourceNumbers(b.sources);
  src.addLabels(extraSources);
  renderBriefPages(w, b, src);
  if (plan) renderPlanPages(w, plan, src, true);
  w.sources(src);
  return w.finish();
};

export const planToPdf = async (p: PlanVersion, sources: SourceRef[], createdAt: Date): Promise<Buffer> => {
  const w = new PdfWriter(
    `Bellwether - Action plan: ${p.body.accountName} - version ${p.version}`,
    createdAt,
  );
  const src = new SourceNumbers(sources);
  renderPlanPages(w, p, src, false);
  w.sources(src);
  return w.finish();
};

const heatColor = (risk: number | null): string => {
  if (risk === null) return '#f9fafb';
  const r = Math.max(0, Math.min(1, risk / 100));
  // green (low) -> amber -> red (high)
  const stops = [
    [220, 252, 231],
    [254, 215, 170],
    [248, 113, 113],
  ] as const;
  const seg = r < 0.5 ? 0 : 1;
  const f = r < 0.5 ? r / 0.5 : (r - 0.5) / 0.5;
  const a = stops[seg]!;
  const bb = stops[seg + 1]!;
  const c = a.map((v, k) => Math.round(v + (bb[k]! - v) * f));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
};

export const qbrToPdf = async (q: QbrPack, createdAt: Date): Promise<Buffer> => {
  const w = new PdfWriter(`Bellwether - QBR escalation review - as of ${q.asOf}`, createdAt);
  const d = w.doc;
  w.title('QBR escalation review', `As of ${q.asOf}; ${q.accounts.length} accounts. Internal material.`);
  // KPI tiles.
  const open = q.escalations.filter((e) => e.status !== 'resolved' && e.status !== 'closed').length;
  const tiles = [
    { label: 'ARR saved so far', value: money(q.arrSaved), color: '#15803d' },
    { label: 'ARR lost', value: money(q.arrLost), color: RED },
    { label: 'Open escalations', value: String(open), color: ACCENT },
    { label: 'Accounts in review', value: String(q.accounts.length), color: INK },
  ];
  const tw = (w.width - 3 * 10) / 4;
  const ty = d.y;
  tiles.forEach((t, k) => {
    const x = w.left + k * (tw + 10);
    d.save().roundedRect(x, ty, tw, 52, 4).fillColor(SOFT).fill().restore();
    d.font('Helvetica-Bold')
      .fontSize(17)
      .fillColor(t.color)
      .text(t.value, x + 10, ty + 9, { width: tw - 20, lineBreak: false });
    d.font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(t.label, x + 10, ty + 34, { width: tw - 20, lineBreak: false });
  });
  d.x = w.left;
  d.y = ty + 62;
  w.para(q.countingRule, { size: 7.5, color: MUTED });

  w.h2('Portfolio heatmap: segment x renewal window');
  const windows = RENEWAL_WINDOWS;
  const labelW = 70;
  const cw = (w.width - labelW) / windows.length;
  const ch = 34;
  w.ensure(ch * (SEGMENTS.length + 1) + 40);
  let y = d.y;
  windows.forEach((win, k) => {
    d.font('Helvetica-Bold')
      .fontSize(8)
      .fillColor(INK)
      .text(
        win === 'none' ? 'no date' : win === 'overdue' ? 'overdue' : `${win} d`,
        w.left + labelW + k * cw,
        y,
        { width: cw, align: 'center', lineBreak: false },
      );
  });
  y += 14;
  for (const seg of SEGMENTS) {
    d.font('Helvetica-Bold')
      .fontSize(8)
      .fillColor(INK)
      .text(
        seg === 'mid_market' ? 'Mid-market' : seg === 'smb' ? 'SMB' : 'Enterprise',
        w.left,
        y + ch / 2 - 4,
        { width: labelW - 6, lineBreak: false },
      );
    windows.forEach((win, k) => {
      const c = q.heatmap.find((x) => x.segment === seg && x.window === win);
      const x = w.left + labelW + k * cw;
      const share = c?.accounts && c.arr > 0 ? (c.arrAtRisk / c.arr) * 100 : null;
      d.save()
        .rect(x + 1, y + 1, cw - 2, ch - 2)
        .fillColor(heatColor(share))
        .fill()
        .restore();
      if (c?.accounts) {
        const centered = { width: cw - 4, align: 'center' as const, lineBreak: false };
        d.font('Helvetica-Bold')
          .fontSize(8)
          .fillColor(INK)
          .text(`${c.accounts} - ${money(c.arr)}`, x + 2, y + 5, centered);
        d.font('Helvetica')
          .fontSize(6.5)
          .fillColor(INK)
          .text(`avg risk ${c.meanRisk}`, x + 2, y + 15, centered);
        if (c.arrAtRisk > 0)
          d.font('Helvetica-Bold')
            .fontSize(6.5)
            .fillColor(RED)
            .text(`at risk ${money(c.arrAtRisk)}`, x + 2, y + 23, centered);
      }
    });
    y += ch;
  }
  // Legend.
  const ly = y + 6;
  d.font('Helvetica')
    .fontSize(7)
    .fillColor(MUTED)
    .text(`Cell: accounts - ARR; colour: share of the cell's ARR at risk (score ${RISK_AT}+)`, w.left, ly, {
      lineBreak: false,
    });
  for (let k = 0; k <= 10; k++)
    d.rect(w.left + 260 + k * 14, ly, 14, 8)
      .fillColor(heatColor(k * 10))
      .fill();
  d.fillColor(MUTED)
    .text('0%', w.left + 246, ly, { lineBreak: false })
    .text('100%', w.left + 260 + 11 * 14 + 4, ly, { lineBreak: false });
  d.x = w.left;
  d.y = ly + 20;

  w.h2('Outcomes');
  w.barChart(
    'Escalations by outcome (count)',
    q.outcomes.map((o) => ({
      label: `${o.kind} (${money(o.arrBefore)} to ${money(o.arrAfter)})`,
      value: o.count,
      color: o.kind === 'saved' || o.kind === 'expanded' ? '#15803d' : RED,
    })),
  );

  const escalatedOpen = new Set(
    q.escalations.filter((e) => e.status !== 'resolved' && e.status !== 'closed').map((e) => e.accountId),
  );
  const unescalated = q.accounts
    .filter((a) => a.risk >= RISK_AT && !escalatedOpen.has(a.id))
    .sort((a, b) => b.risk - a.risk);
  if (unescalated.length) {
    w.h2('At risk, not escalated');
    w.table(
      [
        { header: 'Account', width: 34 },
        { header: 'Segment', width: 16 },
        { header: 'ARR', width: 14, align: 'right' },
        { header: 'Renewal', width: 18 },
        { header: 'Risk', width: 10, align: 'right' },
      ],
      unescalated.map((a) => [
        a.name,
        a.segment.replace('_', '-'),
        money(a.arr),
        day(a.renewalDate),
        String(a.risk),
      ]),
    );
  }

  w.h2('Escalations');
  if (q.escalations.length === 0) w.para('No escalations for these accounts.', { color: MUTED });
  else {
    w.table(
      [
        { header: 'Account', width: 22 },
        { header: 'Priority', width: 9 },
        { header: 'Status', width: 15 },
        { header: 'Owner', width: 16 },
        { header: 'Opened', width: 12 },
        { header: 'Outcome / ARR', width: 25 },
      ],
      q.escalations.map((e) => [
        e.accountName,
        e.priority,
        e.status.replace('_', ' '),
        e.ownerName ?? 'unassigned',
        day(e.openedAt),
        e.outcome ? `${e.outcome} (${money(e.arrBefore)} to ${money(e.arrAfter)})` : '-',
      ]),
      { size: 8 },
    );
  }
  return w.finish();
};
