import { z } from 'zod';

/** A phantom marker carrying a handler's result type (the argument schema is the runtime half). */
export const returns = <T>() => undefined as unknown as T;

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
export const isoDateTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO date-time');
export const id = z.number().int().positive();
