/** The open portfolio (name, kind, counts) and the actions that replace it. */
import { create } from 'zustand';
import type { PortfolioInfo } from '../../../shared/domain';
import type { ApiError } from '../../../shared/result';
import { api } from '../api/client';

interface PortfolioState {
  info: PortfolioInfo | null;
  error: ApiError | null;
  loading: boolean;
  /** A portfolio-replacing action is running (create demo / empty). */
  busy: string | null;
  load(): Promise<void>;
  startEmpty(): Promise<ApiError | null>;
  regenerateDemo(): Promise<ApiError | null>;
}

export const usePortfolio = create<PortfolioState>((set, get) => ({
  info: null,
  error: null,
  loading: false,
  busy: null,
  async load() {
    set({ loading: true });
    const r = await api.call('portfolio.info', {});
    set(r.ok ? { info: r.value, error: null, loading: false } : { error: r.error, loading: false });
  },
  async startEmpty() {
    set({ busy: 'Starting an empty portfolio…' });
    const r = await api.call('portfolio.createEmpty', {});
    set(r.ok ? { info: r.value, error: null, busy: null } : { busy: null });
    if (r.ok) await get().load();
    return r.ok ? null : r.error;
  },
  async regenerateDemo() {
    set({ busy: 'Generating the demo portfolio…' });
    const r = await api.call('portfolio.createDemo', {});
    set(r.ok ? { info: r.value, error: null, busy: null } : { busy: null });
    if (r.ok) await get().load();
    return r.ok ? null : r.error;
  },
}));

/** A display name for the portfolio: the file name without extension, or a plain description. */
export const portfolioName = (info: PortfolioInfo): string => {
  if (info.path) {
    const base = info.path.split(/[\\/]/).pop() ?? info.path;
    return base.replace(/\.(bellwether|db|sqlite)$/i, '');
  }
  return info.kind === 'demo' ? 'Demo portfolio' : 'Unsaved portfolio';
};
