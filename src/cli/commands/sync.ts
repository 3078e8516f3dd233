import { PassphraseVault } from '../../main/core/connectors/credentials';
import { configureConnector, getConnector, syncConnector } from '../../main/core/connectors/sync';
import { CONNECTOR_KINDS, type ConnectorKind } from '../../main/core/connectors/types';
import { CoreError } from '../../shared/result';
import { Flags, UsageError } from '../args';
import type { CliCommand } from '../main';
import { openCoreFromFlags, printJson } from '../open';

/**
 * Credentials never come from the command line (they would land in shell history and process lists):
 * the key that unlocks them comes from BELLWETHER_CREDENTIALS_KEY, and new credentials (JSON) from
 * BELLWETHER_CONNECTOR_CREDENTIALS, which are encrypted before they are stored.
 */
export const syncCommand: CliCommand = {
  summary: 'Sync one API connector incrementally (credentials key in BELLWETHER_CREDENTIALS_KEY).',
  usage:
    'bellwether sync --db FILE --connector NAME [--kind salesforce|zendesk|hubspot] [--base-url URL] [--json]',
  async run(args, io) {
    const f = new Flags('sync', args);
    const name = f.required('connector');
    const kind = f.string('kind');
    const baseUrl = f.string('base-url');
    const json = f.bool('json');
    if (kind !== undefined && !(CONNECTOR_KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`sync: --kind must be one of ${CONNECTOR_KINDS.join(', ')}`);
    }
    const key = process.env.BELLWETHER_CREDENTIALS_KEY;
    const credsJson = process.env.BELLWETHER_CONNECTOR_CREDENTIALS;
    const core = await openCoreFromFlags(f);
    try {
      if (!core.store.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'connectors'")) {
        throw new CoreError('storage', 'this portfolio has no connector tables yet (schema 6)');
      }
      const vault = key ? new PassphraseVault(key) : null;
      if (kind || credsJson) {
        let credentials: Record<string, string> | undefined;
        if (credsJson) {
          try {
            credentials = JSON.parse(credsJson) as Record<string, string>;
          } catch {
            throw new UsageError('sync: BELLWETHER_CONNECTOR_CREDENTIALS must be a JSON object');
          }
        }
        const existing = kind ? null : getConnector(core.store, name);
        configureConnector(
          core.store,
          {
            name,
            kind: (kind ?? existing?.kind) as ConnectorKind,
            ...(baseUrl ? { baseUrl } : {}),
            ...(existing ? { config: existing.config } : {}),
            ...(credentials ? { credentials } : {}),
          },
          vault,
          core.now(),
        );
      }
      const report = await syncConnector(core.store, name, {
        vault,
        now: () => core.now(),
        ...(baseUrl ? { baseUrl } : {}),
      });
      if (json) printJson(io, report);
      else {
        io.out(
          `${name}: ${report.status} — ${report.totals.received} received, ${report.totals.inserted} inserted, ${report.totals.updated} updated, ${report.totals.failed} failed`,
        );
        for (const x of report.failures.slice(0, 20))
          io.out(`  failed ${x.entity} ${x.externalId}: ${x.reason}`);
      }
      if (report.status !== 'ok' && report.status !== 'partial') {
        io.err(
          `bellwether sync: ${report.status}: ${report.error ?? 'see the report'}${report.lastSuccessAt ? ` (last successful sync ${report.lastSuccessAt})` : ''}`,
        );
        return 1;
      }
      return 0;
    } finally {
      core.close();
    }
  },
};
