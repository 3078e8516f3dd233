/**
 * The core engine: one open portfolio, the handler registry, the event bus and the clock. No Electron import
 * anywhere below src/main/core: the desktop app, web mode, the CLI and the tests all drive this same object.
 */
import { existsSync } from 'node:fs';
import type { ArgsOf, HandlerName, ResultOf } from '../../shared/contract';
import type { PortfolioInfo } from '../../shared/domain';
import { CoreError, type Result } from '../../shared/result';
import { HandlerRegistry } from './api/registry';
import { registerAllHandlers } from './api/wiring';
import { PortfolioStore, type StoreOptions } from './db/store';
import { EventBus } from './events';

export interface CoreOptions {
  /** The portfolio file; null keeps everything in memory. */
  dbPath: string | null;
  /** When the file does not exist yet, fill it with the demo portfolio (first launch). */
  demoIfNew?: boolean;
  store?: StoreOptions;
  /** The clock every rule, SLA and score reads. Tests move it. */
  now?: () => Date;
  /**
   * Score the sentiment of new ticket messages as soon as an import or connector sync commits them
   * (the desktop app and web mode turn this on; the CLI and most tests leave it off).
   */
  autoScoreSentiment?: boolean;
}

export class Core {
  readonly bus = new EventBus();
  readonly registry = new HandlerRegistry();
  private clock: () => Date;

  private constructor(
    public store: PortfolioStore,
    readonly options: CoreOptions,
  ) {
    this.clock = options.now ?? (() => new Date());
    registerAllHandlers(this);
  }

  static async open(options: CoreOptions): Promise<Core> {
    const isNew = options.dbPath === null || !existsSync(options.dbPath);
    const store = options.dbPath
      ? await PortfolioStore.open(options.dbPath, options.store)
      : await PortfolioStore.memory();
    const core = new Core(store, options);
    if (isNew) {
      if (options.demoIfNew) await core.createDemo({});
      else core.initMeta('user', null);
    }
    return core;
  }

  now(): Date {
    return this.clock();
  }

  setClock(clock: () => Date): void {
    this.clock = clock;
  }

  dispatch(name: string, args: unknown): Promise<Result<unknown>> {
    return this.registry.dispatch(name, args);
  }

  /** Typed in-process call (CLI, tests). Throws a CoreError when the result is an error. */
  async call<K extends HandlerName>(name: K, args: ArgsOf<K>): Promise<ResultOf<K>> {
    const r = await this.registry.dispatch(name, args);
    if (!r.ok) throw new CoreError(r.error.code, r.error.message, r.error.where);
    return r.value as ResultOf<K>;
  }

  info(): PortfolioInfo {
    const meta = new Map(
      this.store
        .all<{ key: string; value: string }>('SELECT key, value FROM meta')
        .map((r) => [r.key, r.value]),
    );
    const accounts = this.store.get<{ n: number }>('SELECT count(*) AS n FROM accounts')?.n ?? 0;
    return {
      kind: meta.get('portfolio_kind') === 'demo' ? 'demo' : 'user',
      path: this.store.path,
      schemaVersion: Number(
        this.store.get<{ user_version: number }>('PRAGMA user_version')?.user_version ?? 0,
      ),
      accounts,
      asOf: meta.get('as_of') ?? null,
      createdAt: meta.get('created_at') ?? '',
    };
  }

  initMeta(kind: 'demo' | 'user', asOf: string | null): void {
    const set =
      'INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value';
    this.store.write((tx) => {
      tx.run(set, ['portfolio_kind', kind]);
      tx.run(set, ['created_at', this.now().toISOString()]);
      if (asOf) tx.run(set, ['as_of', asOf]);
      else tx.run("DELETE FROM meta WHERE key = 'as_of'");
    });
  }

  /**
   * Replaces the open portfolio's contents with the demo portfolio. It ships as a portfolio that has used
   * Bellwether would: its messages scored by the shipped sentiment model (`sentiment: false` leaves them
   * unscored) and its escalation model trained on its own history in a worker thread (`model: false` leaves it
   * untrained). Sentiment comes first so the model learns from the same signals it will score.
   */
  async createDemo(opts: {
    seed?: number;
    accounts?: number;
    asOf?: string;
    model?: boolean;
    sentiment?: boolean;
  }): Promise<PortfolioInfo> {
    const { generateDemo } = await import('./demo/generator');
    const asOf = opts.asOf ?? this.now().toISOString().slice(0, 10);
    await this.replaceStore();
    generateDemo(this.store, { seed: opts.seed ?? 42, accounts: opts.accounts ?? 320, asOf });
    if (opts.sentiment ?? true) {
      const { scoreDemoMessages } = await import('./text/handlers');
      await scoreDemoMessages(this);
    }
    // The demo also carries Bellwether's own flag history, as if it had been running for two years.
    const { seedFlagHistory } = await import('./insights/flag-history');
    seedFlagHistory(this, { to: asOf });
    if (opts.model ?? true) {
      const { trainModel } = await import('./ml/handlers');
      // A demo too small to learn from (a few accounts, for tests) simply stays untrained.
      await trainModel(this, {
        activate: 'always',
        rescore: false,
        notes: 'trained with the demo portfolio',
      }).catch(() => undefined);
    }
    this.bus.emit('data.changed', { entities: ['*'] });
    return this.info();
  }

  async createEmpty(): Promise<PortfolioInfo> {
    await this.replaceStore();
    this.initMeta('user', null);
    this.bus.emit('data.changed', { entities: ['*'] });
    return this.info();
  }

  /** Starts over with a fresh, migrated database at the same location (the old files are kept as .bak). */
  private async replaceStore(): Promise<void> {
    const path = this.store.path;
    const fresh = await PortfolioStore.memory();
    if (path) {
      const bytes = fresh.engine.export();
      fresh.close();
      this.store.close();
      const { writeFileSync, rmSync, renameSync, existsSync: ex } = await import('node:fs');
      if (ex(path)) {
        rmSync(`${path}.bak`, { force: true });
        renameSync(path, `${path}.bak`);
      }
      rmSync(`${path}.bak.journal`, { force: true });
      if (ex(`${path}.journal`)) renameSync(`${path}.journal`, `${path}.bak.journal`);
      writeFileSync(path, bytes);
      this.store = await PortfolioStore.open(path, this.options.store);
    } else {
      this.store.close();
      this.store = fresh;
    }
  }

  close(): void {
    this.store.close();
  }
}
