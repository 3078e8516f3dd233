/** The Accounts list's view settings, kept while you open an account and come back. */
import { create } from 'zustand';
import type { Segment } from '../../../shared/domain';

export type AccountSortKey = 'name' | 'segment' | 'arr' | 'renewalDate' | 'health' | 'owner' | 'industry';

interface AccountsViewState {
  search: string;
  segment: Segment | '';
  sort: AccountSortKey;
  dir: 'asc' | 'desc';
  scrollTop: number;
  setSearch(search: string): void;
  setSegment(segment: Segment | ''): void;
  /** Clicking the current sort column flips the direction; another column starts with its natural order. */
  sortBy(key: AccountSortKey): void;
  setScrollTop(top: number): void;
}

const NATURAL_DESC: AccountSortKey[] = ['arr', 'health'];

export const useAccountsView = create<AccountsViewState>((set) => ({
  search: '',
  segment: '',
  sort: 'name',
  dir: 'asc',
  scrollTop: 0,
  setSearch: (search) => set({ search, scrollTop: 0 }),
  setSegment: (segment) => set({ segment, scrollTop: 0 }),
  sortBy: (key) =>
    set((s) =>
      s.sort === key
        ? { dir: s.dir === 'asc' ? 'desc' : 'asc', scrollTop: 0 }
        : { sort: key, dir: NATURAL_DESC.includes(key) ? 'desc' : 'asc', scrollTop: 0 },
    ),
  setScrollTop: (scrollTop) => set({ scrollTop }),
}));
