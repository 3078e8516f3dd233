import { CoreError } from '../../../shared/result';
import type { SqlEngine } from './engine';
import { MIGRATIONS } from './migrations';

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to the latest schema. Checked on every open: migrations are ordered and append-only,
 * the names recorded in the database must match the code's, and a database from a newer version is refused.
 * Returns the version it migrated from, or null when nothing was needed.
 */
export const applyMigrations = (engine: SqlEngine): number | null => {
  MIGRATIONS.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list is out of order at ${m.name}`);
  });
  const current = Number(engine.get<{ user_version: number }>('PRAGMA user_version')?.user_version ?? 0);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new CoreError(
      'storage',
      `This portfolio was written by a newer version of Bellwether (schema ${current}; this version knows up to ${LATEST_SCHEMA_VERSION}). ` +
        'Open it with that newer version; nothing was changed.',
    );
  }
  if (current > 0) {
    const applied = engine.all<{ version: number; name: string }>(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );
    for (const row of applied) {
      const known = MIGRATIONS[row.version - 1];
      if (!known || known.name !== row.name) {
        throw new CoreError(
          'storage',
          `schema migration ${row.version} in this portfolio is "${row.name}" but this version of Bellwether expects "${known?.name ?? 'nothing'}"`,
        );
      }
    }
  }
  if (current === LATEST_SCHEMA_VERSION) return null;
  for (const m of MIGRATIONS.slice(current)) {
    engine.exec('BEGIN');
    try {
      m.up(engine);
      engine.run('INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
      engine.exec(`PRAGMA user_version = ${m.version}`);
      engine.exec('COMMIT');
    } catch (e) {
      engine.exec('ROLLBACK');
      throw new CoreError('storage', `migration ${m.version} (${m.name}) failed: ${(e as Error).message}`);
    }
  }
  return current;
};
