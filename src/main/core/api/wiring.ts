/** Every capability registers its handlers here, once. The registry refuses duplicates. */
import type { Core } from '../core';
import { portfolioHandlers } from '../portfolio/handlers';

export const registerAllHandlers = (core: Core): void => {
  core.registry.register(portfolioHandlers(core));
};
