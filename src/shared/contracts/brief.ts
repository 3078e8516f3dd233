import { z } from 'zod';
import type {
  Brief,
  ExportResult,
  LlmSettings,
  PlanDiff,
  PlanVersion,
  PlanVersionInfo,
  QbrPack,
  StrategyDefinition,
} from '../brief-types';
import { TEAM_ROLES } from '../domain';
import { id, returns } from './helpers';

/** An account, or an escalation (whose account is implied); at least one. */
const subject = {
  accountId: id.optional(),
  escalationId: id.optional(),
};
const needsSubject = (v: { accountId?: number | undefined; escalationId?: number | undefined }) =>
  v.accountId !== undefined || v.escalationId !== undefined;
const SUBJECT_MSG = { message: 'give accountId or escalationId', path: ['accountId'] };

const citation = z.string().regex(/^[a-z_]+:\d+$/, 'expected a citation as table:id');
const briefItem = z
  .object({
    text: z.string().max(4000),
    citations: z.array(citation).max(500),
    kind: z.enum(['fact', 'empty', 'note']).optional(),
    emphasis: z.boolean().optional(),
  })
  .strict();
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const role = z.enum(TEAM_ROLES);

export const planTaskSchema = z
  .object({
    id: z.string().min(1).max(100),
    title: z.string().min(1).max(500),
    strategyId: z.string().max(100).nullable(),
    due: isoDay,
    ownerId: id.nullable(),
    ownerName: z.string().max(200).nullable(),
    ownerRole: role.nullable(),
    done: z.boolean(),
    doneAt: z.string().nullable(),
    doneBy: z.string().max(200).nullable(),
  })
  .strict();

export const planBodySchema = z
  .object({
    accountId: id,
    accountName: z.string().max(500),
    escalationId: id.nullable(),
    startsOn: isoDay,
    rootCause: z.object({ hypothesis: briefItem, evidence: z.array(briefItem).max(50) }).strict(),
    strategies: z
      .array(
        z
          .object({
            strategyId: z.string().max(100),
            name: z.string().max(200),
            rank: z.number().int().min(1),
            rationale: briefItem,
            successRate: z.number().min(0).max(1).nullable(),
            successes: z.number().int().min(0),
            uses: z.number().int().min(0),
            smallSample: z.boolean(),
          })
          .strict(),
      )
      .max(10),
    people: z
      .array(
        z
          .object({
            teamMemberId: id.nullable(),
            name: z.string().max(200).nullable(),
            role,
            why: z.string().max(1000),
            strategyIds: z.array(z.string().max(100)).max(10),
            citations: z.array(citation).max(20),
          })
          .strict(),
      )
      .max(30),
    resources: z.array(z.string().max(500)).max(50),
    tasks: z.array(planTaskSchema).max(200),
    talkingPoints: z.array(briefItem).max(50),
    notes: z.string().max(20000),
  })
  .strict();

const llmSettings = z
  .object({
    enabled: z.boolean().optional(),
    baseUrl: z.string().url().max(500).optional(),
    model: z.string().min(1).max(200).optional(),
    timeoutMs: z.number().int().min(1000).max(600_000).optional(),
  })
  .strict();

const exportArgs = {
  format: z.enum(['md', 'pdf']),
  /** A file name or relative path under the portfolio's exports folder; omitted: the content comes back as base64. */
  path: z.string().min(1).max(500).optional(),
};

export const briefContract = {
  'brief.get': {
    args: z
      .object({ ...subject })
      .strict()
      .refine(needsSubject, SUBJECT_MSG),
    result: returns<Brief>(),
  },
  /** The brief plus prose drafted by the local model (must be enabled in the settings). */
  'brief.draft': {
    args: z
      .object({ ...subject })
      .strict()
      .refine(needsSubject, SUBJECT_MSG),
    result: returns<Brief>(),
  },
  'brief.export': {
    args: z
      .object({ ...subject, ...exportArgs, withPlan: z.boolean().optional() })
      .strict()
      .refine(needsSubject, SUBJECT_MSG),
    result: returns<ExportResult>(),
  },
  'strategies.list': { args: z.object({}).strict(), result: returns<StrategyDefinition[]>() },
  /** The latest saved plan version (or the given version); null when none has been saved. */
  'plan.get': {
    args: z
      .object({ ...subject, version: z.number().int().min(1).optional() })
      .strict()
      .refine(needsSubject, SUBJECT_MSG),
    result: returns<PlanVersion | null>(),
  },
  /** Generates a fresh plan from the current brief and saves it as the next version. */
  'plan.generate': {
    args: z
      .object({ ...subject, author: z.string().min(1).max(200) })
      .strict()
      .refine(needsSubject, SUBJECT_MSG),
    result: returns<PlanVersion>(),
  },
  /** Saves an edited plan as the next version; refused (conflict) unless baseVersion is the latest. */
  'plan.save': {
    args: z
      .object({
        ...subject,
        author: z.string().min(1).max(200),
        baseVersion: z.number().int().min(1).nullable(),
        body: planBodySchema,
      })
      .strict()
      .refine(needsSubject, SUBJECT_MSG),
    result: returns<PlanVersion>(),
  },
  'plan.versions': {
    args: z
      .object({ ...subject })
      .strict()
      .refine(needsSubject, SUBJECT_MSG),
    result: returns<PlanVersionInfo[]>(),
  },
  'plan.diff': {
    args: z
      .object({ ...subject, from: z.number().int().min(1), to: z.number().int().min(1) })
      .strict()
      .refine(needsSubject, SUBJECT_MSG),
    result: returns<PlanDiff>(),
  },
  /** Ticks (or unticks) a task: a new plan version and a `progress` event on the escalation. */
  'plan.tickTask': {
    args: z
      .object({
        ...subject,
        taskId: z.string().min(1).max(100),
        done: z.boolean(),
        author: z.string().min(1).max(200),
      })
      .strict()
      .refine(needsSubject, SUBJECT_MSG),
    result: returns<{ version: PlanVersion; eventId: number | null }>(),
  },
  'plan.export': {
    args: z
      .object({ ...subject, ...exportArgs })
      .strict()
      .refine(needsSubject, SUBJECT_MSG),
    result: returns<ExportResult>(),
  },
  /** QBR escalation review pack; accountIds omitted: every account with an escalation. */
  'qbr.pack': {
    args: z.object({ accountIds: z.array(id).min(1).max(20000).optional() }).strict(),
    result: returns<QbrPack>(),
  },
  'qbr.export': {
    args: z.object({ accountIds: z.array(id).min(1).max(20000).optional(), ...exportArgs }).strict(),
    result: returns<ExportResult>(),
  },
  'llm.settings.get': { args: z.object({}).strict(), result: returns<LlmSettings>() },
  'llm.settings.set': { args: llmSettings, result: returns<LlmSettings>() },
} as const;
