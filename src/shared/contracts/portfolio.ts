import { z } from 'zod';
import type { AccountDetail, AccountListPage, PortfolioInfo, TeamMemberRow } from '../domain';
import { SEGMENTS } from '../domain';
import { id, isoDate, returns } from './helpers';

export const ACCOUNT_SORT_KEYS = ['name', 'arr', 'renewalDate', 'segment', 'health', 'industry'] as const;

export const portfolioContract = {
  'portfolio.info': { args: z.object({}).strict(), result: returns<PortfolioInfo>() },
  'portfolio.createDemo': {
    args: z
      .object({
        seed: z.number().int().optional(),
        accounts: z.number().int().min(10).max(20000).optional(),
        asOf: isoDate.optional(),
      })
      .strict(),
    result: returns<PortfolioInfo>(),
  },
  'portfolio.createEmpty': { args: z.object({}).strict(), result: returns<PortfolioInfo>() },
  'accounts.list': {
    args: z
      .object({
        search: z.string().max(200).optional(),
        segment: z.enum(SEGMENTS).optional(),
        ids: z.array(id).max(20000).optional(),
        sort: z.enum(ACCOUNT_SORT_KEYS).optional(),
        dir: z.enum(['asc', 'desc']).optional(),
        limit: z.number().int().min(1).max(20000).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
    result: returns<AccountListPage>(),
  },
  'accounts.get': { args: z.object({ id }).strict(), result: returns<AccountDetail>() },
  'team.list': { args: z.object({}).strict(), result: returns<TeamMemberRow[]>() },
} as const;
