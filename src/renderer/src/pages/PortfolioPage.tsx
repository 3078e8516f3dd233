/**
 * The portfolio heatmap: segment (or ARR band) × renewal window (or risk band), coloured by average risk or by
 * ARR at risk, with counts and ARR in each cell. Clicking a cell lists its accounts, each linking to its page.
 */
import { useState } from 'react';
import type { HEATMAP_COLS, HEATMAP_ROWS, HeatmapCell } from '../../../shared/risk-types';
import { api } from '../api/client';
import { useCall } from '../api/useCall';
import { ErrorState, Loading } from '../components/StateViews';
import { formatCompact, formatMoney } from '../format';
import { href } from '../router';

type RowKind = (typeof HEATMAP_ROWS)[number];
type ColKind = (typeof HEATMAP_COLS)[number];

/** White → red by share of the maximum. */
const heat = (share: number): string => {
  const s = Math.max(0, Math.min(1, share));
  const g = Math.round(245 - 170 * s);
  return `rgb(${Math.round(254 - 40 * s)}, ${g}, ${g})`;
};

const CellAccounts = ({ cell }: { cell: HeatmapCell }) => {
  const rows = useCall(
    'accounts.list',
    { ids: cell.accountIds.slice(0, 500), sort: 'arr', dir: 'desc', limit: 500 },
    { entities: ['accounts', '*'] },
  );
  if (rows.status === 'error') return <ErrorState title="Accounts could not be loaded" error={rows.error} />;
  if (rows.status === 'loading') return <Loading what="accounts" />;
  return (
    <ul data-testid="cell-accounts" className="small">
      {rows.value.rows.map((a) => (
        <li key={a.id}>
          <a href={href(`/accounts/${a.id}`)}>{a.name}</a>{' '}
          <span className="muted">— {formatMoney(a.arr)}</span>
        </li>
      ))}
    </ul>
  );
};

export const PortfolioPage = () => {
  const [rows, setRows] = useState<RowKind>('segment');
  const [cols, setCols] = useState<ColKind>('renewalWindow');
  const [colour, setColour] = useState<'risk' | 'arrAtRisk'>('risk');
  const [selected, setSelected] = useState<{ row: string; col: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const h = useCall(
    'risk.heatmap',
    { rows, cols },
    { entities: ['risk_scores', 'risk_overrides', 'accounts', '*'] },
  );
  const data = h.status === 'ok' ? h.value : h.status === 'loading' ? h.previous : undefined;
  if (h.status === 'error')
    return (
      <ErrorState title="The portfolio heatmap could not be loaded" error={h.error} onRetry={h.reload} />
    );
  if (!data) return <Loading what="portfolio" />;
  const maxRisk = Math.max(1, ...data.cells.map((c) => c.avgScore));
  const maxArr = Math.max(1, ...data.cells.map((c) => c.arrAtRisk));
  const cell = (r: string, c: string) => data.cells.find((x) => x.row === r && x.col === c);
  const sel = selected ? cell(selected.row, selected.col) : undefined;
  return (
    <div className="page" data-testid="portfolio-page">
      <header className="page-header">
        <h1>Portfolio</h1>
        <span className="page-count">
          {data.totals.accounts} accounts · ARR {formatMoney(data.totals.arr)} · ARR at risk{' '}
          {formatMoney(data.totals.arrAtRisk)}
        </span>
      </header>
      <div className="toolbar">
        <label className="field-inline">
          Rows{' '}
          <select value={rows} onChange={(e) => setRows(e.target.value as RowKind)}>
            <option value="segment">Segment</option>
            <option value="arrBand">ARR band</option>
          </select>
        </label>
        <label className="field-inline">
          Columns{' '}
          <select value={cols} onChange={(e) => setCols(e.target.value as ColKind)}>
            <option value="renewalWindow">Renewal window</option>
            <option value="riskBand">Risk band</option>
          </select>
        </label>
        <label className="field-inline">
          Colour by{' '}
          <select value={colour} onChange={(e) => setColour(e.target.value as 'risk' | 'arrAtRisk')}>
            <option value="risk">Average risk score</option>
            <option value="arrAtRisk">ARR at risk</option>
          </select>
        </label>
        <button
          type="button"
          className="btn"
          onClick={async () => {
            const r = await api.call('risk.rescoreAll', {});
            setNote(r.ok ? `Rescored ${r.value.accounts} accounts in ${r.value.ms} ms.` : r.error.message);
            h.reload();
          }}
        >
          Rescore now
        </button>
        {note ? (
          <span className="small" role="status">
            {note}
          </span>
        ) : null}
      </div>
      <table
        className="heatmap"
        data-testid="heatmap"
        aria-label="Portfolio heatmap"
        style={{ borderCollapse: 'separate', borderSpacing: 4 }}
      >
        <thead>
          <tr>
            <th />
            {data.cols.map((c) => (
              <th key={c.key} scope="col" className="small">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r) => (
            <tr key={r.key}>
              <th scope="row" className="small" style={{ textAlign: 'right', paddingRight: 8 }}>
                {r.label}
              </th>
              {data.cols.map((c) => {
                const x = cell(r.key, c.key);
                const share = !x ? 0 : colour === 'risk' ? x.avgScore / maxRisk : x.arrAtRisk / maxArr;
                const isSel = selected?.row === r.key && selected?.col === c.key;
                return (
                  <td key={c.key} style={{ padding: 0 }}>
                    <button
                      type="button"
                      data-testid="heatmap-cell"
                      data-row={r.key}
                      data-col={c.key}
                      disabled={!x || x.count === 0}
                      aria-pressed={isSel}
                      onClick={() => setSelected({ row: r.key, col: c.key })}
                      title={
                        x
                          ? `${x.count} accounts, ARR ${formatMoney(x.arr)}, at risk ${formatMoney(x.arrAtRisk)}, avg score ${x.avgScore}, max ${x.maxScore}`
                          : ''
                      }
                      style={{
                        width: 150,
                        minHeight: 64,
                        border: isSel ? '2px solid #111827' : '1px solid #e5e7eb',
                        borderRadius: 6,
                        background: x && x.count > 0 ? heat(share) : '#f9fafb',
                        cursor: x && x.count > 0 ? 'pointer' : 'default',
                        textAlign: 'left',
                        padding: 8,
                      }}
                    >
                      <div style={{ fontWeight: 700 }}>{x?.count ?? 0} accounts</div>
                      <div className="small">ARR {formatCompact(x?.arr ?? 0)}</div>
                      <div className="small">at risk {formatCompact(x?.arrAtRisk ?? 0)}</div>
                      <div className="small muted">
                        avg {x?.avgScore ?? 0} · max {x?.maxScore ?? 0}
                      </div>
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {sel ? (
        <section className="card" aria-labelledby="cell-title" style={{ marginTop: 16 }}>
          <h2 id="cell-title" className="card-title">
            {data.rows.find((r) => r.key === sel.row)?.label} ·{' '}
            {data.cols.find((c) => c.key === sel.col)?.label}: {sel.count} accounts
          </h2>
          <CellAccounts cell={sel} />
        </section>
      ) : (
        <p className="muted small">Click a cell to see its accounts.</p>
      )}
    </div>
  );
};
