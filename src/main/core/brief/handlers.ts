/** Contract handlers for briefs, action plans, exports, the QBR pack and the local model settings. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { z } from 'zod';
import type { ExportResult, PlanBody } from '../../../shared/brief-types';
import type { briefContract } from '../../../shared/contracts/brief';
import { CoreError } from '../../../shared/result';
import type { HandlerMap } from '../api/registry';
import type { Core } from '../core';
import { changeStatus } from '../routing/escalation';
import { type BriefDeps, type BriefRequest, buildBrief, labelSources } from './brief';
import { draftNarrative, getLlmSettings, personalNames, setLlmSettings } from './llm';
import { briefToMarkdown, planToMarkdown, qbrToMarkdown } from './markdown';
import { briefToPdf, planToPdf, qbrToPdf } from './pdf';
import {
  diffPlans,
  generatePlan,
  getPlanVersion,
  latestPlan,
  listPlanVersions,
  planCitations,
  planKey,
  progressNote,
  savePlanVersion,
  tickTask,
} from './plan';
import { buildQbrPack, RISK_AT } from './qbr';
import { atRiskAccounts, briefDeps, riskScoreOf } from './risk-source';
import { STRATEGY_LIBRARY } from './strategies';

type C = typeof briefContract;
type Args<K extends keyof C> = z.output<C[K]['args']>;
type Res<K extends keyof C> = C[K]['result'];
type BriefHandlerMap = { [K in keyof C]: (args: Args<K>) => Res<K> | Promise<Res<K>> };

const req = (a: { accountId?: number | undefined; escalationId?: number | undefined }): BriefRequest => ({
  ...(a.accountId !== undefined ? { accountId: a.accountId } : {}),
  ...(a.escalationId !== undefined ? { escalationId: a.escalationId } : {}),
});

/** Where exports go: `exports/` next to the portfolio file (a temporary folder for in-memory portfolios). */
export const exportsDir = (core: Core): string =>
  core.store.path ? join(dirname(core.store.path), 'exports') : join(tmpdir(), 'bellwether-exports');

/** Writes under the exports folder only; a path escaping it is refused. Without a path, returns base64. */
export const deliver = (
  core: Core,
  format: 'md' | 'pdf',
  content: string | Buffer,
  path: string | undefined,
): ExportResult => {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  if (path === undefined) return { format, bytes: bytes.length, base64: bytes.toString('base64') };
  const base = exportsDir(core);
  const withExt = extname(path).toLowerCase() === `.${format}` ? path : `${path}.${format}`;
  const full = resolve(base, withExt);
  const rel = relative(base, full);
  if (isAbsolute(path) || rel.startsWith('..') || isAbsolute(rel)) {
    throw new CoreError(
      'invalid_arguments',
      `exports are written under ${base}; "${path}" is outside it`,
      'path',
    );
  }
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, bytes);
  return { format, bytes: bytes.length, path: full };
};

export const briefHandlers = (core: Core, extra: Partial<BriefDeps> = {}): HandlerMap => {
  const deps = (): BriefDeps => ({ ...briefDeps(core), ...extra });
  const changed = (accountId: number) =>
    core.bus.emit('data.changed', {
      entities: ['action_plans', 'escalation_events'],
      accountIds: [accountId],
    });

  const map: BriefHandlerMap = {
    'brief.get': (a) => buildBrief(core.store, req(a), core.now(), deps()),
    'brief.draft': async (a) => {
      const brief = buildBrief(core.store, req(a), core.now(), deps());
      const narrative = await draftNarrative(
        brief,
        personalNames(core.store, brief.accountId),
        getLlmSettings(core.store),
        core.now(),
      );
      return { ...brief, narrative };
    },
    'brief.export': async (a) => {
      const brief = buildBrief(core.store, req(a), core.now(), deps());
      const plan = a.withPlan
        ? latestPlan(core.store, { accountId: brief.accountId, escalationId: brief.escalationId })
        : null;
      const extra = plan ? labelSources(core.store, planCitations(plan.body)) : [];
      const content =
        a.format === 'md'
          ? briefToMarkdown(brief, plan, extra)
          : await briefToPdf(brief, plan, extra, core.now());
      return deliver(core, a.format, content, a.path);
    },
    'strategies.list': () => [...STRATEGY_LIBRARY],
    'plan.get': (a) => {
      const key = planKey(core.store, req(a));
      return a.version !== undefined
        ? getPlanVersion(core.store, key, a.version)
        : latestPlan(core.store, key);
    },
    'plan.generate': (a) => {
      const key = planKey(core.store, req(a));
      const { plan } = generatePlan(core.store, req(a), core.now(), deps());
      const latest = latestPlan(core.store, key);
      const saved = savePlanVersion(core.store, key, plan, a.author, core.now(), latest?.version ?? null);
      changed(key.accountId);
      return saved;
    },
    'plan.save': (a) => {
      const key = planKey(core.store, req(a));
      const saved = savePlanVersion(core.store, key, a.body as PlanBody, a.author, core.now(), a.baseVersion);
      changed(key.accountId);
      return saved;
    },
    'plan.versions': (a) => listPlanVersions(core.store, planKey(core.store, req(a))),
    'plan.diff': (a) => {
      const key = planKey(core.store, req(a));
      return diffPlans(getPlanVersion(core.store, key, a.from), getPlanVersion(core.store, key, a.to));
    },
    'plan.tickTask': (a) => {
      const key = planKey(core.store, req(a));
      // Done tasks go through the routing engine's progress path (status to in progress, SLA clocks met).
      const viaRouting =
        a.done &&
        key.escalationId !== null &&
        !!core.store.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'sla_clocks'");
      const r = tickTask(core.store, key, a.taskId, a.done, a.author, core.now(), !viaRouting);
      let eventId = r.eventId;
      if (viaRouting) {
        changeStatus(
          core,
          key.escalationId!,
          'progress',
          a.author,
          progressNote(r.task, true, r.version.version),
        );
        eventId =
          core.store.get<{ id: number }>(
            "SELECT max(id) AS id FROM escalation_events WHERE escalation_id = ? AND kind = 'progress'",
            [key.escalationId],
          )?.id ?? null;
      }
      changed(key.accountId);
      return { version: r.version, eventId };
    },
    'plan.export': async (a) => {
      const key = planKey(core.store, req(a));
      const plan = latestPlan(core.store, key);
      if (!plan)
        throw new CoreError(
          'not_found',
          'there is no saved plan for this account yet; generate one first',
          'accountId',
        );
      const sources = labelSources(core.store, planCitations(plan.body));
      const content =
        a.format === 'md' ? planToMarkdown(plan, sources) : await planToPdf(plan, sources, core.now());
      return deliver(core, a.format, content, a.path);
    },
    'qbr.pack': (a) =>
      buildQbrPack(
        core.store,
        a.accountIds,
        core.now(),
        riskScoreOf(core, deps()),
        atRiskAccounts(core, RISK_AT),
      ),
    'qbr.export': async (a) => {
      const pack = buildQbrPack(
        core.store,
        a.accountIds,
        core.now(),
        riskScoreOf(core, deps()),
        atRiskAccounts(core, RISK_AT),
      );
      const content = a.format === 'md' ? qbrToMarkdown(pack) : await qbrToPdf(pack, core.now());
      return deliver(core, a.format, content, a.path);
    },
    'llm.settings.get': () => getLlmSettings(core.store),
    'llm.settings.set': (a) => setLlmSettings(core.store, a),
  };
  return map as unknown as HandlerMap;
};
