/**
 * Loads the Accounts list in two steps so the first rows paint fast even with 10,000+ accounts:
 *  1. a small first page (already in the view's sort order when the core can sort that column);
 *  2. every matching row in one call (up to the contract's 20,000), which then replaces the first page.
 * Reloads when the search or segment changes and when the core reports changed data.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ArgsOf } from '../../../shared/contract';
import type { AccountRow, Segment } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { api } from './client';

export const FIRST_PAGE = 100;
export const FETCH_LIMIT = 20000;

export interface AccountRowsState {
  rows: AccountRow[];
  /** How many accounts match (may exceed rows.length while loading, or beyond FETCH_LIMIT). */
  total: number;
  /** All matching rows (up to FETCH_LIMIT) are loaded. */
  complete: boolean;
  loading: boolean;
  error: ApiError | null;
  /** Nothing has arrived yet for the current filters. */
  initial: boolean;
}

/**
 * The columns the core can sort by. Kept as a type-checked copy (importing the contract's value would pull
 * zod into the renderer bundle); the Record makes tsc fail here if the contract's list changes.
 */
type ServerSortKey = NonNullable<ArgsOf<'accounts.list'>['sort']>;
const SERVER_SORT_KEYS: Record<ServerSortKey, true> = {
  name: true,
  arr: true,
  renewalDate: true,
  segment: true,
  health: true,
  industry: true,
};
const serverSortable = (k: string): k is ServerSortKey => Object.hasOwn(SERVER_SORT_KEYS, k);

export const useAccountRows = (
  search: string,
  segment: Segment | '',
  sort: string,
  dir: 'asc' | 'desc',
): AccountRowsState & { reload: () => void } => {
  const [state, setState] = useState<AccountRowsState>({
    rows: [],
    total: 0,
    complete: false,
    loading: true,
    error: null,
    initial: true,
  });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  // The sort only shapes the quick first page; changing it later must not refetch everything.
  const sortRef = useRef({ sort, dir });
  sortRef.current = { sort, dir };
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    void tick;
    const mine = ++seq.current;
    const filters = { ...(search ? { search } : {}), ...(segment ? { segment } : {}) };
    const s = sortRef.current;
    setState((prev) => ({ ...prev, loading: true, error: null }));

    const loadAll = (): void => {
      void api.call('accounts.list', { ...filters, limit: FETCH_LIMIT }).then((r) => {
        if (mine !== seq.current) return;
        setState(
          r.ok
            ? {
                rows: r.value.rows,
                total: r.value.total,
                complete: true,
                loading: false,
                error: null,
                initial: false,
              }
            : { rows: [], total: 0, complete: false, loading: false, error: r.error, initial: false },
        );
      });
    };

    // The full list is asked for only once the first page is in: the core answers one call at a time, and
    // the big one must not hold up the first rows (or portfolio.info for the top bar).
    void api
      .call('accounts.list', {
        ...filters,
        ...(serverSortable(s.sort) ? { sort: s.sort, dir: s.dir } : {}),
        limit: FIRST_PAGE,
      })
      .then((r) => {
        if (mine !== seq.current) return;
        if (!r.ok) {
          setState({ rows: [], total: 0, complete: false, loading: false, error: r.error, initial: false });
          return;
        }
        const complete = r.value.rows.length >= r.value.total;
        setState({
          rows: r.value.rows,
          total: r.value.total,
          complete,
          loading: !complete,
          error: null,
          initial: false,
        });
        if (!complete) loadAll();
      });
  }, [search, segment, tick]);

  useEffect(
    () =>
      api.on('data.changed', (e) => {
        if (e.entities.includes('*') || e.entities.includes('accounts')) reload();
      }),
    [reload],
  );

  return { ...state, reload };
};
