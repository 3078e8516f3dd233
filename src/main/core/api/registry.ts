/**
 * Handlers registered by name against the contract; a duplicate registration is refused. `dispatch` is the
 * single entry point for every transport: it validates arguments, runs the handler and turns any failure
 * into a Result, so no exception crosses a process boundary.
 */
import type { z } from 'zod';
import {
  contract,
  type HandlerName,
  isHandlerName,
  type ParsedArgsOf,
  type ResultOf,
} from '../../../shared/contract';
import { CoreError, fail, ok, type Result } from '../../../shared/result';

export type Handler<K extends HandlerName> = (args: ParsedArgsOf<K>) => ResultOf<K> | Promise<ResultOf<K>>;
export type HandlerMap = { [K in HandlerName]?: Handler<K> };

export class HandlerRegistry {
  private readonly handlers = new Map<string, (args: unknown) => unknown>();

  register(map: HandlerMap): void {
    for (const [name, fn] of Object.entries(map)) {
      if (!isHandlerName(name)) throw new Error(`handler "${name}" is not in the contract`);
      if (this.handlers.has(name)) throw new Error(`handler "${name}" is already registered`);
      this.handlers.set(name, fn as (args: unknown) => unknown);
    }
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }

  /** Handler names in the contract that nothing registered (a wiring mistake; checked by tests). */
  missing(): string[] {
    return Object.keys(contract).filter((n) => !this.handlers.has(n));
  }

  async dispatch(name: string, rawArgs: unknown): Promise<Result<unknown>> {
    if (!isHandlerName(name)) return fail('unknown_handler', `unknown handler "${name}"`);
    const fn = this.handlers.get(name);
    if (!fn) return fail('unknown_handler', `handler "${name}" is not available in this build`);
    const schema = contract[name].args as z.ZodType;
    const parsed = schema.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length > 0 ? issue.path.join('.') : '(arguments)';
      return fail('invalid_arguments', `${name}: ${where}: ${issue.message}`, where);
    }
    try {
      return ok(await fn(parsed.data));
    } catch (e) {
      return toFailure(e);
    }
  }
}

export const toFailure = (e: unknown): Result<never> => {
  if (e instanceof CoreError) return fail(e.code, e.message, e.where);
  const message = e instanceof Error ? e.message : String(e);
  return fail('internal', message);
};
