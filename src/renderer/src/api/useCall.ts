/**
 * `useCall(name, args)` runs one contract call and tracks it as loading / error / ok. It calls again when the
 * arguments change and when the core says data changed (`data.changed`), so pages stay current without
 * knowing about events. Stale answers (from earlier arguments) are dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ArgsOf, HandlerName, ResultOf } from '../../../shared/contract';
import type { ApiError, Result } from '../../../shared/result';
import { api } from './client';

export type Loadable<T> =
  | { status: 'loading'; previous?: T }
  | { status: 'error'; error: ApiError }
  | { status: 'ok'; value: T };

export interface CallOptions {
  /** Re-run when any of these entities change (`*` = everything). Default: re-run on every change. */
  entities?: string[];
  /** Skip the call (e.g. an invalid id). */
  skip?: boolean;
}

/** The hook behind useCall and the area APIs (pages/area-api.ts): one untyped implementation. */
export const useRawCall = (
  name: string,
  args: unknown,
  options: CallOptions = {},
): Loadable<unknown> & { reload: () => void } => {
  const key = JSON.stringify(args);
  const [state, setState] = useState<Loadable<unknown>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const entities = options.entities?.join(',') ?? '';
  const skip = options.skip ?? false;

  useEffect(() => {
    if (skip) return;
    const mine = ++seq.current;
    // `tick` is read so that reload() re-runs this effect.
    void tick;
    // Keep showing the last value while reloading (also across overlapping reloads).
    setState((s) =>
      s.status === 'ok'
        ? { status: 'loading', previous: s.value }
        : s.status === 'loading'
          ? s
          : { status: 'loading' },
    );
    void rawCall(name, JSON.parse(key)).then((r) => {
      if (mine !== seq.current) return;
      setState(r.ok ? { status: 'ok', value: r.value } : { status: 'error', error: r.error });
    });
  }, [name, key, tick, skip]);

  useEffect(() => {
    const wanted = entities ? entities.split(',') : null;
    return api.on('data.changed', (e) => {
      if (!wanted || e.entities.includes('*') || e.entities.some((x) => wanted.includes(x))) reload();
    });
  }, [entities, reload]);

  return { ...state, reload };
};

export const rawCall = api.call as unknown as (name: string, args: unknown) => Promise<Result<unknown>>;

export const useCall = <K extends HandlerName>(
  name: K,
  args: ArgsOf<K>,
  options: CallOptions = {},
): Loadable<ResultOf<K>> & { reload: () => void } =>
  useRawCall(name, args, options) as Loadable<ResultOf<K>> & { reload: () => void };
