/**
 * Typed calls to one area's contract entries (e.g. src/shared/contracts/connectors.ts), for pages whose
 * entries may not be spread into the main contract yet. `areaApi<typeof someContract>()` gives `call` and a
 * `useArea` hook with the same behaviour as useCall (loading / error / ok, reload on `data.changed`, stale
 * answers dropped). At run time it is the same `api.call`.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { Result } from '../../../shared/result';
import { api } from '../api/client';
import type { Loadable } from '../api/useCall';

type AnyContract = Record<string, { args: z.ZodType; result: unknown }>;

export interface AreaApi<C extends AnyContract> {
  call<K extends keyof C & string>(name: K, args: z.input<C[K]['args']>): Promise<Result<C[K]['result']>>;
  useArea<K extends keyof C & string>(
    name: K,
    args: z.input<C[K]['args']>,
    options?: { entities?: string[]; skip?: boolean },
  ): Loadable<C[K]['result']> & { reload: () => void };
}

const rawCall = api.call as unknown as (name: string, args: unknown) => Promise<Result<unknown>>;

const useRawArea = (
  name: string,
  args: unknown,
  options: { entities?: string[]; skip?: boolean } = {},
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

/** The typed face of one area's contract; the same untyped call and hook underneath. */
export const areaApi = <C extends AnyContract>(): AreaApi<C> => ({
  call: rawCall as AreaApi<C>['call'],
  useArea: useRawArea as AreaApi<C>['useArea'],
});

/** The value of a Loadable when it has one (including the previous value while reloading). */
export const loaded = <T>(l: Loadable<T>): T | undefined =>
  l.status === 'ok' ? l.value : l.status === 'loading' ? l.previous : undefined;
