/**
 * Import from a file chosen in the window (no path typing): the file picker sends the file to the core, the
 * preview shows its rows, and the import writes them. Against web mode on an empty portfolio of its own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type StartedServer, startServer } from './server';

let server: StartedServer;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bellwether-e2e-upload-'));
  server = await startServer(['--db', join(dir, 'upload.db'), '--port', '0', '--empty']);
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a file chosen with "Choose file…" is previewed and imported', async ({ page }) => {
  const csv = join(dir, 'accounts from billing.csv');
  writeFileSync(
    csv,
    [
      'Account ID,Company Name,ARR,Renewal Date,Segment',
      'U-1,Upload Testworks,250000,2027-05-01,enterprise',
      'U-2,Picker Sample Co,40000,2027-06-15,smb',
    ].join('\n'),
  );
  await page.goto(new URL('#/import', server.url).toString());
  await expect(page.getByRole('heading', { name: 'Import', level: 1 })).toBeVisible();
  await page.getByLabel('Entity', { exact: true }).selectOption({ label: 'Accounts' });
  await page.getByLabel('Choose a file to import').setInputFiles(csv);
  await expect(page.getByTestId('uploaded-file')).toContainText('accounts_from_billing.csv');
  await expect(page.getByTestId('preview-rows')).toBeVisible();
  await expect(page.getByTestId('preview-summary')).toContainText('2 valid');
  await page.screenshot({ path: 'test-results/screenshots/import-upload.png', fullPage: true });
  await page
    .getByRole('button', { name: /^Import/ })
    .first()
    .click();
  await expect(page.getByTestId('import-report')).toContainText('2');
  await page.goto(new URL('#/accounts', server.url).toString());
  await expect(page.getByText('Upload Testworks')).toBeVisible();
});
