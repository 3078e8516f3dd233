/**
 * Settings, model card and import, as a person uses them, against web mode on its own demo portfolio (training
 * a model writes to the database, so the shared demo server is left untouched):
 * - Settings says which sentiment model is in use, and says why when a folder cannot be used;
 * - the model card shows AUC and a calibration chart; "Train now" shows the worker's progress and can be
 *   cancelled;
 * - an import preview of a bad CSV lists each error with its line and column, and a dry run writes nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { type StartedServer, startServer } from './server';

let server: StartedServer;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bellwether-e2e-settings-'));
  server = await startServer(['--db', join(dir, 'settings.db'), '--port', '0']);
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (name: string, args: unknown): Promise<{ ok: boolean; error?: { code: string } }> => {
  const res = await fetch(`${new URL(server.url).origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
    body: JSON.stringify(args),
  });
  return (await res.json()) as { ok: boolean; error?: { code: string } };
};

/** Page objects for the three pages (kept here: they are used by this file only). */
class SettingsPageModel {
  readonly modelInUse: Locator;
  readonly folder: Locator;
  constructor(readonly page: Page) {
    this.modelInUse = page.getByTestId('model-in-use');
    this.folder = page.getByLabel(/Your own model folder/);
  }
  async open(): Promise<void> {
    await this.page.goto(server.url);
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Settings', exact: true })
      .click();
    await expect(this.page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  }
}

class ModelPageModel {
  readonly auc: Locator;
  readonly calibration: Locator;
  constructor(readonly page: Page) {
    this.auc = page.getByTestId('metric-auc');
    this.calibration = page.getByTestId('calibration-chart');
  }
  async open(): Promise<void> {
    await this.page.goto(server.url);
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Model', exact: true })
      .click();
    await expect(this.page.getByRole('heading', { name: 'Model card', level: 1 })).toBeVisible();
  }
  async train(): Promise<void> {
    await this.page.getByLabel('Learner').selectOption('logistic');
    await this.page.getByRole('button', { name: 'Train now' }).click();
  }
  get progress(): Locator {
    return this.page.getByTestId('train-progress');
  }
  async cancel(): Promise<void> {
    await this.page.getByRole('button', { name: 'Cancel training' }).click();
  }
}

class ImportPageModel {
  constructor(readonly page: Page) {}
  async open(): Promise<void> {
    await this.page.goto(new URL('#/import', server.url).toString());
    await expect(this.page.getByRole('heading', { name: 'Import', level: 1 })).toBeVisible();
  }
  async preview(entity: string, file: string): Promise<void> {
    await this.page.getByLabel('Entity', { exact: true }).selectOption({ label: entity });
    await this.page.getByLabel(/File on this computer/).fill(file);
    await this.page.getByRole('button', { name: 'Preview' }).click();
    await expect(this.page.getByTestId('preview-rows')).toBeVisible();
  }
  errorRows(): Locator {
    return this.page.getByTestId('preview-errors').getByTestId('issue-row');
  }
}

test('Settings shows which sentiment model is in use, and why a folder cannot be used', async ({ page }) => {
  const settings = new SettingsPageModel(page);
  await settings.open();
  await expect(settings.modelInUse).toBeVisible();
  await expect(settings.modelInUse).toHaveAttribute('data-kind', 'default');
  await expect(settings.modelInUse).toContainText('In use: the shipped default model');
  await expect(page.getByTestId('data-location')).toContainText('settings.db');

  await settings.folder.fill(join(dir, 'no-such-model'));
  await page.getByRole('button', { name: 'Use this folder' }).click();
  await expect(settings.modelInUse).toHaveAttribute('data-kind', 'fallback');
  await expect(settings.modelInUse).toContainText('built-in fallback');
  await expect(page.getByRole('alert').filter({ hasText: 'could not be used' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/settings-fallback.png' });

  await page.getByRole('button', { name: 'Back to the shipped default' }).click();
  await expect(settings.modelInUse).toHaveAttribute('data-kind', 'default');
});

test('the model card shows AUC and a calibration chart after training', async ({ page }) => {
  test.setTimeout(180_000);
  const probe = await call('model.card', {});
  test.skip(
    !probe.ok && probe.error?.code === 'unknown_handler',
    'the core does not answer model.card / model.train yet (ML handlers not wired)',
  );
  const model = new ModelPageModel(page);
  await model.open();
  // The demo ships with its model trained on its own history.
  await expect(model.auc).toHaveText(/^0\.\d\d$/);
  await expect(page.getByTestId('model-vs-rules')).toContainText('Risk score (rules + model)');
  // Training runs in a worker thread; the page shows its steps and how far along it is.
  await model.train();
  await expect(model.progress).toContainText(/%/, { timeout: 60_000 });
  await expect(page.getByText(/^Trained v2 \(/)).toBeVisible({ timeout: 150_000 });
  await expect(model.progress).toBeHidden();
  // A training can be cancelled; nothing changes.
  await model.train();
  await expect(model.progress).toBeVisible();
  await model.cancel();
  await expect(page.getByText('Training cancelled; the model in use is unchanged.')).toBeVisible({
    timeout: 30_000,
  });
  await expect(model.auc).toHaveText(/^0\.\d\d$/);
  await expect(model.calibration).toBeVisible();
  await expect(model.calibration.locator('svg').first()).toBeVisible();
  // One dot per calibration bin, plus the dashed diagonal.
  expect(await model.calibration.locator('.recharts-scatter-symbol').count()).toBeGreaterThan(2);
  await expect(model.calibration.locator('.recharts-reference-line')).toHaveCount(1);
  await expect(page.getByTestId('top-signals')).toBeVisible();
  await expect(page.getByTestId('model-versions')).toContainText('in use');
  await page.screenshot({ path: 'test-results/screenshots/model-card.png', fullPage: true });
});

test('an import preview of a bad CSV shows every error by line and column', async ({ page }) => {
  const csv = join(dir, 'bad-accounts.csv');
  writeFileSync(
    csv,
    [
      'Customer ID,Company Name,ARR,Renewal Date,Plan',
      'C-1,Acme,120000,2027-01-15,enterprise',
      'C-2,Beta Co,not-a-number,2027-02-30,mid_market',
      'C-3,,50000,2027-03-01,smb',
    ].join('\n'),
  );
  const before = await call('accounts.list', { search: 'Beta Co' });
  const imp = new ImportPageModel(page);
  await imp.open();
  await imp.preview('Accounts', csv);
  await expect(page.getByTestId('preview-summary')).toContainText('1 valid');
  await expect(page.getByTestId('preview-summary')).toContainText('2 with errors');
  const rows = imp.errorRows();
  await expect(rows).toHaveCount(3);
  await expect(rows.filter({ hasText: 'ARR' })).toContainText('3');
  await expect(rows.filter({ hasText: 'ARR' })).toContainText('not a number');
  await expect(rows.filter({ hasText: 'Renewal Date' })).toContainText('2027-02-30');
  await expect(rows.filter({ hasText: 'Company Name' }).first()).toContainText('4');
  await page.screenshot({ path: 'test-results/screenshots/import-preview.png', fullPage: true });

  // A dry run is refused as a whole and writes nothing.
  await page.getByRole('button', { name: /Dry run/ }).click();
  await expect(page.getByTestId('import-report')).toContainText('nothing was written');
  const after = await call('accounts.list', { search: 'Beta Co' });
  expect(after).toEqual(before);
});
