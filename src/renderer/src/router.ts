/**
 * A small hash router: the location is `#/path`, routes are matched against the table in routes.tsx.
 * Patterns use `:name` segments, e.g. `/accounts/:id`. No package needed, and it works from file:// in
 * Electron as well as from web mode.
 */
import { useSyncExternalStore } from 'react';

export type Params = Record<string, string>;

export const DEFAULT_PATH = '/accounts';

const readPath = (): string => {
  const raw = window.location.hash.replace(/^#/, '');
  return raw.startsWith('/') ? raw : DEFAULT_PATH;
};

const subscribe = (onChange: () => void): (() => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/** The current path (without `#`), re-rendering on every hash change. */
export const usePath = (): string => useSyncExternalStore(subscribe, readPath, readPath);

export const navigate = (path: string): void => {
  window.location.hash = path;
};

export const href = (path: string): string => `#${path}`;

/** Matches `/accounts/12` against `/accounts/:id` → `{ id: '12' }`; null when it does not match. */
export const matchPath = (pattern: string, path: string): Params | null => {
  const clean = path.split('?')[0]!.replace(/\/+$/, '') || '/';
  const p = pattern.split('/').filter(Boolean);
  const s = clean.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Params = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i]!;
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(s[i]!);
    else if (seg !== s[i]) return null;
  }
  return params;
};
