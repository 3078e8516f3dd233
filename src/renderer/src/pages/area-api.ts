/**
 * Typed calls to one area's contract entries (e.g. src/shared/contracts/connectors.ts), for pages whose
 * entries may not be spread into the main contract yet. `areaApi<typeof someContract>()` gives `call` and a
 * `useArea` hook with the same behaviour as useCall (loading / error / ok, reload on `data.changed`, stale
 * answers dropped). At run time it is the same `api.call`.
 */
import type { z } from 'zod';
import type { Result } from '../../../shared/result';
import { type Loadable, rawCall, useRawCall } from '../api/useCall';

type AnyContract = Record<string, { args: z.ZodType; result: unknown }>;

export interface AreaApi<C extends AnyContract> {
  call<K extends keyof C & string>(name: K, args: z.input<C[K]['args']>): Promise<Result<C[K]['result']>>;
  useArea<K extends keyof C & string>(
    name: K,
    args: z.input<C[K]['args']>,
    options?: { entities?: string[]; skip?: boolean },
  ): Loadable<C[K]['result']> & { reload: () => void };
}

/** The typed face of one area's contract; the same untyped call and hook underneath. */
export const areaApi = <C extends AnyContract>(): AreaApi<C> => ({
  call: rawCall as AreaApi<C>['call'],
  useArea: useRawCall as AreaApi<C>['useArea'],
});

/** The value of a Loadable when it has one (including the previous value while reloading). */
export const loaded = <T>(l: Loadable<T>): T | undefined =>
  l.status === 'ok' ? l.value : l.status === 'loading' ? l.previous : undefined;
