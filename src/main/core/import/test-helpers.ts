/** Helpers shared by the import and connector tests (not used at run time). */
import { createHash } from 'node:crypto';
import { m006Connectors } from '../db/migrations/006_connectors';
import { PortfolioStore } from '../db/store';

/** An in-memory portfolio with the connectors schema applied on top (until the lead lists migration 6). */
export const memoryStoreWithConnectors = async (): Promise<PortfolioStore> => {
  const store = await PortfolioStore.memory();
  const has = store.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'connectors'");
  if (!has) {
    store.engine.exec('BEGIN');
    m006Connectors.up(store.engine);
    store.engine.exec('COMMIT');
  }
  return store;
};

/** A hash of every row of every table: equal hashes mean the database did not change. */
export const hashDatabase = (store: PortfolioStore): string => {
  const h = createHash('sha256');
  const tables = store.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  for (const { name } of tables) {
    h.update(`#${name}\n`);
    for (const row of store.all<Record<string, unknown>>(`SELECT * FROM "${name}" ORDER BY rowid`))
      h.update(`${JSON.stringify(row)}\n`);
  }
  return h.digest('hex');
};
