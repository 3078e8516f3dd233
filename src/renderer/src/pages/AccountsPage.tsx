/**
 * Accounts: the whole portfolio in one virtualized table (smooth with 10,000+ rows).
 * Search and segment are answered by the core (one `accounts.list` call fetching every matching row);
 * sorting happens here on the loaded rows, so clicking a header is instant.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { type AccountRow, SEGMENTS, type Segment } from '../../../shared/domain';
import { FETCH_LIMIT, useAccountRows } from '../api/useAccountRows';
import { EmptyState, ErrorState, Loading } from '../components/StateViews';
import {
  formatDate,
  formatDays,
  formatInt,
  formatMoney,
  healthBand,
  humanize,
  SEGMENT_LABEL,
} from '../format';
import { href, navigate } from '../router';
import { type AccountSortKey, useAccountsView } from '../state/accounts';
import { usePortfolio } from '../state/portfolio';

const ROW_HEIGHT = 36;
const SEARCH_DEBOUNCE_MS = 200;

interface Column {
  key: AccountSortKey;
  label: string;
  align?: 'right';
}

const COLUMNS: Column[] = [
  { key: 'name', label: 'Account' },
  { key: 'segment', label: 'Segment' },
  { key: 'arr', label: 'ARR', align: 'right' },
  { key: 'renewalDate', label: 'Renewal' },
  { key: 'health', label: 'Health', align: 'right' },
  { key: 'owner', label: 'Owner' },
  { key: 'industry', label: 'Industry' },
];

/** ASCII-only case folding, like the core's `COLLATE NOCASE`, so the quick first page and the full list agree. */
const foldCase = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Compares two rows on one column; empty values always sort last, whatever the direction. */
const sortRows = (rows: AccountRow[], key: AccountSortKey, dir: 'asc' | 'desc'): AccountRow[] => {
  const value = (r: AccountRow): string | number | null => {
    switch (key) {
      case 'name':
        return r.name;
      case 'segment':
        return SEGMENTS.indexOf(r.segment);
      case 'arr':
        return r.arr;
      case 'renewalDate':
        return r.renewalDate;
      case 'health':
        return r.latestHealth;
      case 'owner':
        return r.ownerName;
      case 'industry':
        return r.industry;
    }
  };
  const sign = dir === 'asc' ? 1 : -1;
  const keyed = rows.map((r) => {
    const v = value(r);
    return { r, v: typeof v === 'string' ? foldCase(v) : v };
  });
  keyed.sort((a, b) => {
    if (a.v === null || a.v === '') return b.v === null || b.v === '' ? a.r.id - b.r.id : 1;
    if (b.v === null || b.v === '') return -1;
    const c =
      typeof a.v === 'number' && typeof b.v === 'number'
        ? a.v - b.v
        : String(a.v) < String(b.v)
          ? -1
          : String(a.v) > String(b.v)
            ? 1
            : 0;
    return c !== 0 ? c * sign : a.r.id - b.r.id;
  });
  return keyed.map((k) => k.r);
};

const SearchBox = () => {
  const search = useAccountsView((s) => s.search);
  const setSearch = useAccountsView((s) => s.setSearch);
  const [text, setText] = useState(search);
  // Follow outside changes (e.g. "Clear filters").
  useEffect(() => {
    if (search === '') setText('');
  }, [search]);
  useEffect(() => {
    if (text === search) return;
    const t = setTimeout(() => setSearch(text.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, search, setSearch]);
  return (
    <div className="field">
      <label htmlFor="account-search">Search</label>
      <input
        id="account-search"
        type="search"
        placeholder="Name or industry"
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
    </div>
  );
};

const HealthCell = ({ score }: { score: number | null }) => {
  const band = healthBand(score);
  if (score === null) return <span className="muted">—</span>;
  return (
    <span className={`health health-${band}`} title={`Health ${score} (${band})`}>
      {score}
    </span>
  );
};

/** `rowCount` may exceed `rows.length` while the rest is loading: those rows show as placeholders. */
const AccountTable = ({ rows, rowCount }: { rows: AccountRow[]; rowCount: number }) => {
  const { sort, dir, sortBy, scrollTop, setScrollTop } = useAccountsView();
  const sorted = useMemo(() => sortRows(rows, sort, dir), [rows, sort, dir]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: Math.max(rowCount, sorted.length),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialOffset: scrollTop,
  });

  // Remember where the list was, so coming back from an account lands on the same rows.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    return () => {
      if (el) setScrollTop(el.scrollTop);
    };
  }, [setScrollTop]);

  const items = virtualizer.getVirtualItems();
  return (
    <div className="table-scroll" ref={scrollRef} data-testid="accounts-scroll">
      <table className="table" aria-label="Accounts" aria-rowcount={Math.max(rowCount, sorted.length) + 1}>
        <thead>
          <tr className="accounts-grid" aria-rowindex={1}>
            {COLUMNS.map((c) => {
              const active = sort === c.key;
              return (
                <th
                  key={c.key}
                  scope="col"
                  className={c.align === 'right' ? 'th num' : 'th'}
                  aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" className="sort-btn" onClick={() => sortBy(c.key)}>
                    {c.label}
                    <span className="sort-indicator" aria-hidden="true">
                      {active ? (dir === 'asc' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const r = sorted[v.index];
            if (!r) {
              return (
                <tr
                  key={`loading-${v.index}`}
                  aria-rowindex={v.index + 2}
                  className="accounts-grid placeholder"
                  style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                >
                  <td className="td muted">Loading…</td>
                </tr>
              );
            }
            return (
              <tr
                key={r.id}
                aria-rowindex={v.index + 2}
                className={v.index % 2 ? 'accounts-grid odd' : 'accounts-grid'}
                style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                data-testid="account-row"
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('a')) return;
                  navigate(`/accounts/${r.id}`);
                }}
              >
                <td className="td name-cell">
                  <a href={href(`/accounts/${r.id}`)}>{r.name}</a>
                  {r.isStrategic ? (
                    <span className="tag tag-strategic" title="Strategic account">
                      Strategic
                    </span>
                  ) : null}
                  {r.status === 'churned' ? <span className="tag tag-churned">Churned</span> : null}
                </td>
                <td className="td">{SEGMENT_LABEL[r.segment]}</td>
                <td className="td num">{formatMoney(r.arr)}</td>
                <td className="td">
                  {r.renewalDate ? (
                    <>
                      {formatDate(r.renewalDate)}{' '}
                      <span
                        className={
                          r.daysToRenewal !== null && r.daysToRenewal >= 0 && r.daysToRenewal <= 90
                            ? 'days days-soon'
                            : 'days'
                        }
                      >
                        {formatDays(r.daysToRenewal)}
                      </span>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="td num">
                  <HealthCell score={r.latestHealth} />
                </td>
                <td className="td">{r.ownerName ?? <span className="muted">Unassigned</span>}</td>
                <td className="td">{r.industry ? humanize(r.industry) : <span className="muted">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
};

export const AccountsPage = () => {
  const { search, segment, sort, dir, setSegment, setSearch } = useAccountsView();
  const info = usePortfolio((s) => s.info);
  const regenerateDemo = usePortfolio((s) => s.regenerateDemo);
  const busy = usePortfolio((s) => s.busy);
  const list = useAccountRows(search, segment, sort, dir);
  const filtered = search !== '' || segment !== '';
  const shown = Math.min(list.total, FETCH_LIMIT);

  let body: React.ReactNode;
  if (list.error) {
    body = <ErrorState title="The accounts could not be loaded" error={list.error} onRetry={list.reload} />;
  } else if (list.initial) {
    body = <Loading what="accounts" />;
  } else if (list.total === 0 && !filtered) {
    body = (
      <EmptyState title="No accounts yet">
        <p>No accounts yet — import data or open the demo.</p>
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy !== null}
          onClick={() => void regenerateDemo()}
        >
          {busy ?? 'Open the demo portfolio'}
        </button>
      </EmptyState>
    );
  } else if (list.total === 0) {
    body = (
      <EmptyState title="No matching accounts">
        <p>
          No account matches {search ? <strong>“{search}”</strong> : null}
          {search && segment ? ' in ' : null}
          {segment ? <strong>{SEGMENT_LABEL[segment]}</strong> : null}.
        </p>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setSegment('');
            setSearch('');
          }}
        >
          Clear filters
        </button>
      </EmptyState>
    );
  } else {
    body = <AccountTable rows={list.rows} rowCount={list.complete ? list.rows.length : shown} />;
  }

  return (
    <div className="page page-fill">
      <header className="page-header">
        <h1>Accounts</h1>
        <p className="page-count" data-testid="account-count" aria-live="polite">
          {list.initial || list.error
            ? ''
            : filtered
              ? `${formatInt(list.total)} of ${formatInt(info?.accounts ?? list.total)} accounts`
              : `${formatInt(list.total)} accounts`}
          {list.complete && list.rows.length < list.total
            ? ` (showing the first ${formatInt(list.rows.length)})`
            : ''}
        </p>
        {list.loading && !list.initial ? (
          <span className="page-loading muted small" role="status">
            <span className="spinner" aria-hidden="true" /> loading…
          </span>
        ) : null}
      </header>
      <search className="toolbar">
        <SearchBox />
        <div className="field">
          <label htmlFor="account-segment">Segment</label>
          <select
            id="account-segment"
            value={segment}
            onChange={(e) => setSegment(e.target.value as Segment | '')}
          >
            <option value="">All segments</option>
            {SEGMENTS.map((s) => (
              <option key={s} value={s}>
                {SEGMENT_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
      </search>
      {body}
    </div>
  );
};
