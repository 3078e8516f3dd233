/**
 * Server events reach the page: a change made outside the page (here: another client creating the demo
 * portfolio through the API) shows up without a reload, through the `data.changed` event stream.
 * Uses its own server on an empty portfolio so the shared demo server is left untouched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AccountsPage } from './pages/AccountsPage';
import { AppShell } from './pages/AppShell';
import { type StartedServer, startServer } from './server';

let server: StartedServer;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bellwether-e2e-live-'));
  server = await startServer(['--db', join(dir, 'live.db'), '--port', '0', '--empty']);
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('an empty portfolio says so, then updates live when data arrives', async ({ page }) => {
  const shell = new AppShell(page);
  const accounts = new AccountsPage(page);
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
  await expect(page.getByText('No accounts yet — import data or open the demo.')).toBeVisible();
  await expect(shell.demoLabel).toHaveCount(0);
  await shell.screenshot('empty-portfolio');

  const res = await fetch(`${new URL(server.url).origin}/api/call/portfolio.createDemo`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ accounts: 12 }),
  });
  expect((await res.json()) as { ok: boolean }).toMatchObject({ ok: true });

  await expect(shell.demoLabel).toBeVisible();
  await accounts.waitForRows();
  expect(await accounts.total()).toBe(12);
});
