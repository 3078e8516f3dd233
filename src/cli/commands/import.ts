import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ENTITY_NAMES, isEntityName } from '../../main/core/import/entities';
import { detectMapping, runImport } from '../../main/core/import/service';
import { CoreError } from '../../shared/result';
import { Flags, UsageError } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';

export const importCommand: CliCommand = {
  summary:
    'Import a CSV or JSON export through a mapping file (nothing is imported if any row is bad, unless --valid-only).',
  usage:
    'bellwether import --db FILE --entity NAME --file PATH [--mapping FILE] [--source NAME] [--dry-run] [--valid-only] [--save-mapping] [--propose] [--json]',
  async run(args, io) {
    const f = new Flags('import', args);
    const entity = f.string('entity');
    const file = resolve(f.required('file'));
    const mappingPath = f.string('mapping');
    const source = f.string('source');
    const dryRun = f.bool('dry-run');
    const validOnly = f.bool('valid-only');
    const save = f.bool('save-mapping');
    const json = f.bool('json');
    const propose = f.bool('propose');
    if (entity !== undefined && !isEntityName(entity)) {
      throw new UsageError(`import: --entity must be one of ${ENTITY_NAMES.join(', ')}, got "${entity}"`);
    }
    if (entity === undefined && mappingPath === undefined)
      throw new UsageError('import: give --entity (or a --mapping that names it)');
    if (!existsSync(file)) throw new UsageError(`import: no file at ${file}`);
    let mapping: string | undefined;
    if (mappingPath !== undefined) {
      const p = resolve(mappingPath);
      if (!existsSync(p)) throw new UsageError(`import: no mapping file at ${p}`);
      mapping = readFileSync(p, 'utf8');
    }
    if (propose) {
      if (!entity || !isEntityName(entity)) throw new UsageError('import: --propose needs --entity');
      f.string('db');
      f.string('now');
      f.done();
      const p = await detectMapping(file, entity, source);
      if (json) printJson(io, p);
      else {
        io.out(JSON.stringify(p.mapping, null, 2));
        for (const w of p.warnings) io.err(`check: ${w}`);
        if (p.missingRequired.length > 0) io.err(`not matched (required): ${p.missingRequired.join(', ')}`);
      }
      return 0;
    }
    const core = await openCoreFromFlags(f);
    const ac = new AbortController();
    const onSigint = () => ac.abort();
    process.once('SIGINT', onSigint);
    try {
      const report = await runImport(
        core.store,
        {
          file,
          ...(entity ? { entity } : {}),
          ...(source ? { source } : {}),
          ...(mapping !== undefined ? { mapping } : {}),
          dryRun,
          validOnly,
          saveMapping: save,
        },
        { signal: ac.signal, now: () => core.now() },
      );
      if (json) printJson(io, report);
      else {
        io.out(
          `${report.status}: ${report.rowsRead} rows read, ${report.inserted} inserted, ${report.updated} updated, ${report.unchanged} unchanged, ${report.skipped} skipped, ${report.errorCount} errors`,
        );
        for (const e of report.errors.slice(0, 50))
          io.out(`  line ${e.line}${e.column ? ` [${e.column}]` : ''}: ${e.message}`);
      }
      if (report.status === 'refused' || report.status === 'cancelled') {
        io.err(`bellwether import: ${report.status}: ${report.reason ?? 'see the report'}`);
        return 1;
      }
      return 0;
    } catch (e) {
      if (e instanceof CoreError) throw e;
      throw new CoreError('internal', (e as Error).message);
    } finally {
      process.off('SIGINT', onSigint);
      core.close();
    }
  },
};
