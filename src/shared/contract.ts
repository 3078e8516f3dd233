/**
 * The one typed contract between the renderer and the core.
 *
 * `contract` maps every handler name to a zod schema for its argument (validated at the boundary, in the
 * core, whatever the transport) and a phantom type for its result. `ServerEvents` maps every event the core
 * pushes to the page. Each capability keeps its entries in src/shared/contracts/<area>.ts and is spread in
 * here; nothing else defines a handler's shape.
 */
import type { z } from 'zod';
import { briefContract } from './contracts/brief';
import { connectorsContract } from './contracts/connectors';
import { insightsContract } from './contracts/insights';
import { mlContract } from './contracts/ml';
import { portfolioContract } from './contracts/portfolio';
import { riskContract } from './contracts/risk';
import { routingContract } from './contracts/routing';
import { textContract } from './contracts/text';

export { ACCOUNT_SORT_KEYS } from './contracts/portfolio';

export const contract = {
  ...portfolioContract,
  ...riskContract,
  ...textContract,
  ...connectorsContract,
  ...briefContract,
  ...routingContract,
  ...mlContract,
  ...insightsContract,
} as const;

export type Contract = typeof contract;
export type HandlerName = keyof Contract;
export type ArgsOf<K extends HandlerName> = z.input<Contract[K]['args']>;
export type ParsedArgsOf<K extends HandlerName> = z.output<Contract[K]['args']>;
export type ResultOf<K extends HandlerName> = Contract[K]['result'];

export interface ProgressEvent {
  /** A stable id for the task, e.g. `sentiment.rescore`. */
  task: string;
  done: number;
  total: number;
  label?: string;
  finished?: boolean;
}

/** Events pushed from core to page. */
export interface ServerEvents {
  progress: ProgressEvent;
  'data.changed': { entities: string[]; accountIds?: number[] };
  /** A desktop notification (Electron shows it natively; web mode shows it in the in-app inbox). */
  notification: { title: string; body: string; link?: string };
}
export type EventName = keyof ServerEvents;

export const isHandlerName = (name: string): name is HandlerName => Object.hasOwn(contract, name);
