import type { PortfolioStore } from '../db/store';
import type { EventBus } from '../events';

/**
 * What routing needs from the core: the store, the movable clock and (optionally) the event bus.
 * `Core` satisfies it; tests and the outbox child process pass a plain object.
 */
export interface RoutingCtx {
  readonly store: PortfolioStore;
  now(): Date;
  readonly bus?: Pick<EventBus, 'emit'>;
}
