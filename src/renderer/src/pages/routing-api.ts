/**
 * Typed calls to the routing contract (src/shared/contracts/routing.ts) for the Team page, the escalation
 * detail and the routing settings. Typed against the routing entries directly, so these views compile
 * whether or not the entries are spread into the main contract yet; at run time it is the same `api.call`.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { routingContract } from '../../../shared/contracts/routing';
import type { Result } from '../../../shared/result';
import { api } from '../api/client';
import type { Loadable } from '../api/useCall';

type RC = typeof routingContract;
export type RoutingName = keyof RC;
export type RArgs<K extends RoutingName> = z.input<RC[K]['args']>;
export type RResult<K extends RoutingName> = RC[K]['result'];

export const callRouting = <K extends RoutingName>(name: K, args: RArgs<K>): Promise<Result<RResult<K>>> =>
  (api.call as unknown as (n: string, a: unknown) => Promise<Result<RResult<K>>>)(name, args);

/** Like useCall: loads, reloads on `data.changed` for the given entities, drops stale answers. */
export const useRouting = <K extends RoutingName>(
  name: K,
  args: RArgs<K>,
  entities: string[] = ['team', 'escalations', 'notifications', 'outbox', '*'],
): Loadable<RResult<K>> & { reload: () => void } => {
  const key = JSON.stringify(args);
  const [state, setState] = useState<Loadable<RResult<K>>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const wanted = entities.join(',');
  useEffect(() => {
    const mine = ++seq.current;
    void tick;
    setState((s) => (s.status === 'ok' ? { status: 'loading', previous: s.value } : { status: 'loading' }));
    callRouting(name, JSON.parse(key) as RArgs<K>).then((r) => {
      if (mine !== seq.current) return;
      setState(r.ok ? { status: 'ok', value: r.value } : { status: 'error', error: r.error });
    });
  }, [name, key, tick]);
  useEffect(() => {
    const list = wanted.split(',');
    return api.on('data.changed', (e) => {
      if (e.entities.includes('*') || e.entities.some((x) => list.includes(x))) reload();
    });
  }, [wanted, reload]);
  return { ...state, reload };
};

export const minutesText = (m: number): string => {
  const abs = Math.abs(m);
  const sign = m < 0 ? '-' : '';
  if (abs < 60) return `${sign}${Math.round(abs)} min`;
  if (abs < 48 * 60) {
    const m = Math.round(abs % 60);
    return `${sign}${Math.floor(abs / 60)} h${m ? ` ${m} min` : ''}`;
  }
  return `${sign}${Math.round(abs / 1440)} days`;
};
