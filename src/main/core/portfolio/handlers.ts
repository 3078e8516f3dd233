import type { HandlerMap } from '../api/registry';
import type { Core } from '../core';
import { getAccountDetail, listAccounts, listTeam } from './accounts';

export const portfolioHandlers = (core: Core): HandlerMap => ({
  'portfolio.info': () => core.info(),
  'portfolio.createDemo': (args) => core.createDemo(args),
  'portfolio.createEmpty': () => core.createEmpty(),
  'accounts.list': (args) => listAccounts(core.store, args, core.now()),
  'accounts.get': ({ id }) => getAccountDetail(core.store, id, core.now()),
  'team.list': () => listTeam(core.store),
});
