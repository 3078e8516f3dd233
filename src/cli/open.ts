import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Core } from '../main/core/core';
import { type Flags, UsageError } from './args';

/**
 * Opens the portfolio named by --db (required for every data command). Read every other flag first: this
 * reads --db and --now, then refuses unknown flags before anything is opened or created.
 */
export const openCoreFromFlags = async (
  flags: Flags,
  opts: { create?: boolean; demoIfNew?: boolean } = {},
): Promise<Core> => {
  const db = resolve(flags.required('db'));
  const now = flags.string('now');
  flags.done();
  let clock: (() => Date) | undefined;
  if (now !== undefined) {
    const t = Date.parse(now);
    if (Number.isNaN(t)) throw new UsageError(`--now must be an ISO date or time, got "${now}"`);
    clock = () => new Date(t);
  }
  if (!opts.create && !existsSync(db)) {
    throw new UsageError(`no portfolio at ${db} (create one with: bellwether demo --db ${db})`);
  }
  return Core.open({ dbPath: db, demoIfNew: opts.demoIfNew ?? false, ...(clock ? { now: clock } : {}) });
};

export const printJson = (io: { out(t: string): void }, value: unknown): void =>
  io.out(JSON.stringify(value, null, 2));
