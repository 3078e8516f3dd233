/**
 * Handlers for the import and connector capability (contract: src/shared/contracts/connectors.ts).
 * Registered by the lead in api/wiring.ts with `core.registry.register(connectorHandlers(core))`.
 */
import type { z } from 'zod';
import type { connectorsContract } from '../../../shared/contracts/connectors';
import { CoreError } from '../../../shared/result';
import type { Core } from '../core';
import { ENTITIES, ENTITY_NAMES } from '../import/entities';
import {
  deleteMapping,
  detectMapping,
  listMappings,
  previewImport,
  runImport,
  saveMapping,
} from '../import/service';
import { saveUpload } from '../import/upload';
import { type CredentialVault, PassphraseVault } from './credentials';
import {
  configureConnector,
  getConnector,
  listConnectors,
  listSyncRuns,
  removeConnector,
  resetCursors,
  syncConnector,
} from './sync';

type C = typeof connectorsContract;
export type ConnectorHandlerMap = {
  [K in keyof C]: (args: z.output<C[K]['args']>) => C[K]['result'] | Promise<C[K]['result']>;
};

const vaults = new WeakMap<Core, CredentialVault>();
const tasks = new WeakMap<Core, Map<string, AbortController>>();

/** Plugs in how credentials are encrypted: Electron main passes `safeStorageVault(safeStorage)`. */
export const setCredentialVault = (core: Core, vault: CredentialVault | null): void => {
  if (vault) vaults.set(core, vault);
  else vaults.delete(core);
};

export const credentialVaultOf = (core: Core): CredentialVault | null => vaults.get(core) ?? null;

const taskMap = (core: Core): Map<string, AbortController> => {
  let m = tasks.get(core);
  if (!m) {
    m = new Map();
    tasks.set(core, m);
  }
  return m;
};

const startTask = (core: Core, id: string | undefined): { signal: AbortSignal; done: () => void } => {
  const ac = new AbortController();
  if (!id) return { signal: ac.signal, done: () => {} };
  const m = taskMap(core);
  if (m.has(id)) throw new CoreError('conflict', `a task named ${id} is already running`, 'taskId');
  m.set(id, ac);
  return { signal: ac.signal, done: () => m.delete(id) };
};

const cancelTask = (core: Core, id: string): { cancelled: boolean } => {
  const ac = taskMap(core).get(id);
  ac?.abort();
  return { cancelled: !!ac };
};

export const connectorHandlers = (core: Core): ConnectorHandlerMap => ({
  'import.entities': () =>
    ENTITY_NAMES.map((n) => {
      const e = ENTITIES[n];
      return {
        name: n,
        label: e.label,
        table: e.table,
        naturalKey: e.naturalKey ?? null,
        fields: e.fields.map((f) => ({
          name: f.name,
          type: f.type,
          required: !!f.required,
          values: f.values ?? null,
          ref: f.ref ?? null,
        })),
      };
    }),
  'import.detect': (a) => detectMapping(a.file, a.entity, a.source),
  'import.preview': (a) => previewImport(core.store, a),
  'import.run': async (a) => {
    const task = startTask(core, a.taskId);
    try {
      const r = await runImport(core.store, a, {
        signal: task.signal,
        now: () => core.now(),
        onProgress: (p) =>
          core.bus.emit('progress', {
            task: 'import',
            done: p.done,
            total: p.total,
            label: p.label,
            finished: p.done >= p.total,
          }),
      });
      if (r.status === 'imported' && r.inserted + r.updated > 0)
        core.bus.emit('data.changed', { entities: [r.table] });
      return r;
    } finally {
      task.done();
    }
  },
  'import.upload': ({ name, content }) => saveUpload(core.options.dbPath, name, content, core.now()),
  'import.cancel': ({ taskId }) => cancelTask(core, taskId),
  'import.mappings.list': () => listMappings(core.store),
  'import.mappings.save': ({ mapping }) => saveMapping(core.store, mapping, core.now()),
  'import.mappings.delete': ({ source, entity }) => ({ deleted: deleteMapping(core.store, source, entity) }),
  'connectors.list': () => listConnectors(core.store),
  'connectors.configure': (a) => configureConnector(core.store, a, credentialVaultOf(core), core.now()),
  'connectors.remove': ({ name }) => ({ removed: removeConnector(core.store, name) }),
  'connectors.unlock': ({ key }) => {
    const v = new PassphraseVault(key);
    setCredentialVault(core, v);
    return { scheme: v.scheme };
  },
  'connectors.sync': async ({ name, taskId }) => {
    getConnector(core.store, name);
    const task = startTask(core, taskId);
    try {
      const r = await syncConnector(core.store, name, {
        vault: credentialVaultOf(core),
        now: () => core.now(),
        signal: task.signal,
        onProgress: (p) =>
          core.bus.emit('progress', { task: `sync.${name}`, done: p.done, total: p.total, label: p.label }),
      });
      core.bus.emit('progress', { task: `sync.${name}`, done: 1, total: 1, label: r.status, finished: true });
      if (r.totals.inserted + r.totals.updated > 0)
        core.bus.emit('data.changed', {
          entities: [
            ...new Set(r.changes.map((c) => ENTITIES[c.entity as keyof typeof ENTITIES]?.table ?? c.entity)),
          ],
        });
      return r;
    } finally {
      task.done();
    }
  },
  'connectors.cancel': ({ taskId }) => cancelTask(core, taskId),
  'connectors.runs': ({ name, limit }) => listSyncRuns(core.store, name, limit),
  'connectors.resetCursors': ({ name }) => {
    resetCursors(core.store, name);
    return { ok: true as const };
  },
});
