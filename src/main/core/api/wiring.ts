/** Every capability registers its handlers here, once. The registry refuses duplicates. */
import { briefHandlers } from '../brief/handlers';
import { connectorHandlers } from '../connectors/handlers';
import type { Core } from '../core';
import { insightsHandlers } from '../insights/handlers';
import { mlHandlers } from '../ml/handlers';
import { portfolioHandlers } from '../portfolio/handlers';
import { riskHandlers } from '../risk/handlers';
import { routingHandlers } from '../routing/handlers';
import { textHandlers } from '../text/handlers';

export const registerAllHandlers = (core: Core): void => {
  core.registry.register(portfolioHandlers(core));
  core.registry.register(riskHandlers(core));
  core.registry.register(textHandlers(core));
  core.registry.register(connectorHandlers(core));
  core.registry.register(briefHandlers(core));
  core.registry.register(routingHandlers(core));
  core.registry.register(insightsHandlers(core));
  core.registry.register(mlHandlers(core));
};
