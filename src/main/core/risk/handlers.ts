import type { ServerEvents } from '../../../shared/contract';
import { CoreError } from '../../../shared/result';
import type { RuleDefinition } from '../../../shared/risk-types';
import type { HandlerMap } from '../api/registry';
import type { Core } from '../core';
import { backtestRule } from './backtest';
import { loadConfig, saveConfig, signalCatalog } from './config';
import { accountRisk, rescore, rescoreAccount, rescoreAll } from './engine';
import { clearOverride, confirmFlag, dismissFlag, listFlags, setOverride, snoozeFlag } from './flags';
import { heatmap, queue } from './queue';
import {
  ensureDefaultRules,
  getRule,
  listRules,
  ruleProblems,
  saveRule,
  setRuleEnabled,
  validateRule,
} from './rules';

/** Record kinds whose change moves an account's signals (a change with accountIds rescores just those). */
const SIGNAL_ENTITIES = new Set([
  'accounts',
  'contacts',
  'tickets',
  'ticket_messages',
  'usage_periods',
  'health_scores',
  'nps_responses',
  'engagements',
  'escalations',
  'sentiment',
]);
/** Above this many changed accounts, one portfolio-wide rescore is cheaper than many small ones. */
const INCREMENTAL_LIMIT = 500;

/**
 * Incremental rescoring: when records of some accounts change (an import, a connector sync, a new ticket),
 * those accounts are rescored right after the change is committed. Failures never reach the writer.
 */
const watchChanges = (core: Core): void => {
  const pending = new Set<number>();
  let scheduled = false;
  core.bus.subscribe((event, payload) => {
    if (event !== 'data.changed') return;
    const p = payload as ServerEvents['data.changed'];
    if (!p.accountIds || p.accountIds.length === 0 || !p.entities.some((e) => SIGNAL_ENTITIES.has(e))) return;
    for (const id of p.accountIds) pending.add(id);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const ids = [...pending];
      pending.clear();
      try {
        if (ids.length > INCREMENTAL_LIMIT) rescoreAll(core);
        else rescore(core, { accountIds: ids });
      } catch {
        // The portfolio may have been closed or replaced meanwhile; the next rescore catches up.
      }
    });
  });
};

const ruleFrom = (
  core: Core,
  args: { id?: number | undefined; definition?: unknown },
): { def: RuleDefinition; version: number | null } => {
  const config = loadConfig(core.store);
  if (args.definition !== undefined) return { def: validateRule(args.definition, config), version: null };
  if (args.id !== undefined) {
    const r = getRule(core.store, args.id);
    return { def: r.definition, version: r.version };
  }
  throw new CoreError('invalid_arguments', 'give a rule id or a rule definition', '(arguments)');
};

export const riskHandlers = (core: Core): HandlerMap => {
  watchChanges(core);
  const nowIso = () => core.now().toISOString();
  const seeded = () => ensureDefaultRules(core.store, nowIso());
  return {
    'risk.signals.catalog': () => signalCatalog(loadConfig(core.store)),
    'risk.config.get': () => loadConfig(core.store),
    'risk.config.save': ({ config, updatedBy }) => {
      const saved = saveConfig(core.store, config, updatedBy ?? null, nowIso());
      core.bus.emit('data.changed', { entities: ['risk_config'] });
      return saved;
    },
    'risk.rescoreAll': () => rescoreAll(core),
    'risk.rescoreAccount': ({ accountId }) => {
      if (!core.store.get('SELECT 1 AS x FROM accounts WHERE id = ?', [accountId])) {
        throw new CoreError('not_found', `no account ${accountId}`, 'accountId');
      }
      return rescoreAccount(core, accountId);
    },
    'risk.queue': (args) => queue(core, args),
    'risk.account': ({ accountId }) => accountRisk(core, accountId),
    'risk.heatmap': (args) => heatmap(core, args),
    'risk.rules.list': () => {
      seeded();
      return listRules(core.store);
    },
    'risk.rules.validate': ({ definition }) => {
      const problems = ruleProblems(definition, loadConfig(core.store));
      return { ok: problems.length === 0, problems };
    },
    'risk.rules.save': ({ id, definition, enabled, updatedBy }) => {
      seeded();
      const row = saveRule(
        core.store,
        { id, definition, enabled },
        loadConfig(core.store),
        updatedBy ?? null,
        nowIso(),
      );
      core.bus.emit('data.changed', { entities: ['risk_rules'] });
      return row;
    },
    'risk.rules.enable': ({ id, enabled, updatedBy }) => {
      seeded();
      const row = setRuleEnabled(core.store, id, enabled, updatedBy ?? null, nowIso());
      core.bus.emit('data.changed', { entities: ['risk_rules'] });
      return row;
    },
    'risk.rules.backtest': (args) => {
      seeded();
      const { def, version } = ruleFrom(core, args);
      const now = core.now();
      const task = 'risk.backtest';
      return backtestRule(core.store, def, loadConfig(core.store), {
        now,
        ...(args.from ? { from: new Date(`${args.from}T00:00:00.000Z`) } : {}),
        ...(args.to ? { to: new Date(`${args.to}T00:00:00.000Z`) } : {}),
        ...(args.stepDays ? { stepDays: args.stepDays } : {}),
        ...(args.horizonDays ? { horizonDays: args.horizonDays } : {}),
        ruleVersion: version,
        onProgress: (done, total) =>
          core.bus.emit('progress', {
            task,
            done,
            total,
            label: 'replaying history',
            ...(done === total ? { finished: true } : {}),
          }),
      });
    },
    'risk.override.set': (args) => {
      const o = setOverride(core, args);
      rescoreAccount(core, args.accountId);
      return o;
    },
    'risk.override.clear': (args) => {
      const r = clearOverride(core, args);
      rescoreAccount(core, args.accountId);
      return r;
    },
    'risk.flags.list': (args) => listFlags(core, args),
    'risk.flags.confirm': ({ flagId, decidedBy, note }) => confirmFlag(core, flagId, { decidedBy, note }),
    'risk.flags.dismiss': ({ flagId, decidedBy, reason, allForAccount }) =>
      dismissFlag(core, flagId, { decidedBy, reason, allForAccount }),
    'risk.flags.snooze': ({ flagId, until, reason, snoozedBy }) =>
      snoozeFlag(core, flagId, { until, reason, snoozedBy }),
  };
};
