import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startBackgroundJobs } from '../../main/core/background';
import { Core } from '../../main/core/core';
import { defaultPortfolioPath, rendererDir } from '../../main/paths';
import { startWebServer } from '../../main/web/server';
import { Flags, UsageError } from '../args';
import type { CliCommand } from '../main';

export const serveCommand: CliCommand = {
  summary:
    'Run web mode: serve the app on 127.0.0.1 and print the URL (with its per-launch token). A new file starts as the demo portfolio unless --empty.',
  usage: 'bellwether serve [--db FILE] [--port N] [--empty] [--recover] [--print-json]',
  async run(args, io) {
    const f = new Flags('serve', args);
    const db = resolve(f.string('db') ?? defaultPortfolioPath());
    const port = f.int('port');
    const empty = f.bool('empty');
    f.bool('demo'); // explicit form of the default
    const printJson = f.bool('print-json');
    const recover = f.bool('recover');
    f.done();
    if (port !== undefined && (port < 0 || port > 65535))
      throw new UsageError(`--port must be 0-65535, got ${port}`);
    const dir = rendererDir();
    if (!existsSync(resolve(dir, 'index.html'))) {
      throw new UsageError(`the renderer is not built (${dir}/index.html is missing); run: npm run build`);
    }
    const core = await Core.open({
      dbPath: db,
      demoIfNew: !empty,
      autoScoreSentiment: true,
      store: { recoverFromBackup: recover },
    });
    // SLA clocks, escalation paths, the notification outbox (first tick catches up) and the daily rescore.
    const stopAutomations = startBackgroundJobs(core, {
      onError: (what, e) => io.err(`${what}: ${(e as Error).message}`),
    });
    const running = await startWebServer({ core, rendererDir: dir, ...(port !== undefined ? { port } : {}) });
    if (printJson) io.out(JSON.stringify({ url: running.url, port: running.port, token: running.token, db }));
    else {
      io.out(`Bellwether (web mode) is serving ${db}`);
      io.out(`Open: ${running.url}`);
      io.out('Press Ctrl+C to stop.');
    }
    await new Promise<void>((done) => {
      const stop = () => done();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    stopAutomations();
    await running.close();
    core.close();
    return 0;
  },
};
