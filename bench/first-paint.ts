/**
 * First paint of a page in web mode with a 10,000-account portfolio: the Accounts page (default) or the
 * Portfolio page (the heatmap).
 *
 *   npx tsx bench/first-paint.ts [--page accounts|portfolio] [--accounts 10000] [--runs 5] [--db FILE]
 *
 * Creates the demo portfolio once (`bellwether demo --db FILE --accounts N`, kept in .bench-data/ and reused),
 * builds the renderer if needed, starts `bellwether serve`, then loads the page in Chromium (a fresh browser
 * context each time, so nothing is cached) and measures, from navigation start:
 *   - first paint: the first account row (Accounts) or the first heatmap cell (Portfolio) is in the DOM and
 *     visible (the number that matters);
 *   - loaded: the page's data is all there (Accounts: the full `accounts.list` answer replaced the quick first
 *     page; Portfolio: the heatmap is its one call, so the same as first paint);
 *   - data call: when the page's main call (`accounts.list` in full, `risk.heatmap`) finished arriving;
 *   - FCP: first contentful paint (the shell, before data).
 * One warm-up load is discarded (and printed: on a portfolio never scored, the Portfolio page's first load
 * includes the full rescore); the medians of the measured loads are printed, plus a JSON line.
 * CHROMIUM_PATH picks the browser (default /usr/bin/chromium).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../tests/e2e/chromium';
import { repoRoot, startServer } from '../tests/e2e/server';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};

const PAGES = {
  accounts: { hash: '/accounts', first: 'account-row', call: 'accounts.list', what: 'first row' },
  portfolio: { hash: '/portfolio', first: 'heatmap-cell', call: 'risk.heatmap', what: 'heatmap' },
} as const;
const pageName = arg('page', 'accounts');
if (!(pageName in PAGES)) {
  console.error(`--page must be one of ${Object.keys(PAGES).join(', ')}`);
  process.exit(2);
}
const target = PAGES[pageName as keyof typeof PAGES];
const accounts = Number(arg('accounts', '10000'));
const runs = Number(arg('runs', '5'));
const dataDir = join(repoRoot, '.bench-data');
const db = resolve(arg('db', join(dataDir, `first-paint-${accounts}.bellwether`)));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const ms = (n: number): string => `${n.toFixed(0)} ms`;

const main = async (): Promise<void> => {
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(db)) {
    console.log(`Creating a ${accounts}-account demo portfolio at ${db} (one time)…`);
    const t0 = Date.now();
    const r = spawnSync(
      process.execPath,
      [join(repoRoot, 'bin/bellwether.mjs'), 'demo', '--db', db, '--accounts', String(accounts)],
      { cwd: repoRoot, stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error('bellwether demo failed');
    console.log(`  created in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (!existsSync(join(repoRoot, 'out/renderer/index.html'))) {
    const b = spawnSync(
      process.execPath,
      [join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        cwd: repoRoot,
        stdio: 'inherit',
      },
    );
    if (b.status !== 0) throw new Error('build failed');
  }
  console.log(`Portfolio file: ${(statSync(db).size / 1e6).toFixed(1)} MB`);

  const t0 = Date.now();
  const server = await startServer(['--db', db, '--port', '0']);
  console.log(`Server ready in ${((Date.now() - t0) / 1000).toFixed(1)} s at ${new URL(server.url).origin}`);
  const browser = await chromium.launch(chromiumLaunchOptions);
  const results: { firstRow: number; allRows: number; listCall: number; fcp: number; rows: number }[] = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      // Records the moment the page's first data element enters the DOM, measured on the page's own clock.
      await page.addInitScript((testId: string) => {
        const w = window as unknown as { __firstRow?: number };
        const obs = new MutationObserver(() => {
          if (w.__firstRow === undefined && document.querySelector(`[data-testid="${testId}"]`)) {
            w.__firstRow = performance.now();
            obs.disconnect();
          }
        });
        obs.observe(document, { childList: true, subtree: true });
      }, target.first);
      const url = new URL(server.url);
      url.hash = target.hash;
      await page.goto(url.toString());
      await page.getByTestId(target.first).first().waitFor({ state: 'visible', timeout: 300_000 });
      const allRows = (await (
        await page.waitForFunction(
          () => (document.querySelector('.page-loading') ? false : performance.now()),
          null,
          {
            polling: 'raf',
            timeout: 300_000,
          },
        )
      ).jsonValue()) as number;
      const m = await page.evaluate(
        ({ testId, call }: { testId: string; call: string }) => {
          const w = window as unknown as { __firstRow?: number };
          const lists = performance
            .getEntriesByType('resource')
            .filter((e) => e.name.includes(`/api/call/${call}`)) as PerformanceResourceTiming[];
          const list = lists.reduce<PerformanceResourceTiming | undefined>(
            (a, e) => (a && a.responseEnd > e.responseEnd ? a : e),
            undefined,
          );
          const fcp = performance.getEntriesByName('first-contentful-paint')[0];
          return {
            firstRow: w.__firstRow ?? Number.NaN,
            listCall: list?.responseEnd ?? Number.NaN,
            fcp: fcp?.startTime ?? Number.NaN,
            rows: document.querySelectorAll(`[data-testid="${testId}"]`).length,
          };
        },
        { testId: target.first, call: target.call },
      );
      const count = await page.locator('.page-count, [data-testid="account-count"]').first().textContent();
      const withAll = { ...m, allRows };
      if (i === 0)
        console.log(
          `warm-up: ${target.what} ${ms(m.firstRow)}, ${target.call} done ${ms(m.listCall)} (${count}; ${m.rows} ${target.first} elements in the DOM)`,
        );
      else {
        results.push(withAll);
        console.log(
          `run ${i}: ${target.what} ${ms(m.firstRow)} · loaded ${ms(allRows)} (${target.call} done ${ms(m.listCall)}) · FCP ${ms(m.fcp)} · ${m.rows} ${target.first} elements in the DOM`,
        );
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const summary = {
    bench: 'first-paint',
    page: pageName,
    accounts,
    runs,
    medianFirstRowMs: Math.round(median(results.map((r) => r.firstRow))),
    medianAllRowsMs: Math.round(median(results.map((r) => r.allRows))),
    medianListCallMs: Math.round(median(results.map((r) => r.listCall))),
    medianFcpMs: Math.round(median(results.map((r) => r.fcp))),
    domRows: results[0]?.rows ?? 0,
  };
  console.log(
    pageName === 'accounts'
      ? `\nAccounts page, ${accounts} accounts, median of ${runs}: first row visible ${ms(summary.medianFirstRowMs)} after navigation start (FCP ${ms(summary.medianFcpMs)}); all rows loaded ${ms(summary.medianAllRowsMs)} (full accounts.list finished ${ms(summary.medianListCallMs)}); ${summary.domRows} rows in the DOM thanks to virtualization.`
      : `\nPortfolio page, ${accounts} accounts, median of ${runs}: heatmap visible ${ms(summary.medianFirstRowMs)} after navigation start (FCP ${ms(summary.medianFcpMs)}); risk.heatmap finished ${ms(summary.medianListCallMs)}.`,
  );
  console.log(JSON.stringify(summary));
};

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
