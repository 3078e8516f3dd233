/**
 * The Patterns page in Chromium against web mode: metrics with their definitions and records, the planted
 * systemic issue found, recommendations linking into the rule editor, and the review exported as a PDF.
 * Needs the insights contract, handlers and route registered (issue 9) and the demo's flag history seeded.
 */
import { expect, test } from '@playwright/test';
import { AppShell } from './pages/AppShell';

test.describe('patterns', () => {
  test.setTimeout(240_000);

  test('shows metrics, the growing integrations issue, recommendations and exports the review', async ({
    page,
  }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const shell = new AppShell(page);
    await shell.open('#/patterns');
    await expect(page.getByTestId('patterns-page')).toBeVisible();

    const precision = page.getByTestId('metric-precision');
    await expect(precision).toBeVisible({ timeout: 60_000 });
    await expect(precision).toContainText('%');
    await page.getByTestId('metric-recall').click();
    await expect(page.getByText('How it is counted:')).toBeVisible();
    await expect(page.getByTestId('records-recall').getByRole('link').first()).toHaveAttribute(
      'href',
      /#\/accounts\/\d+/,
    );

    const growing = page.getByTestId('systemic-growing').first();
    await expect(growing).toBeVisible({ timeout: 90_000 });
    await expect(growing).toContainText('integrations');
    await expect(growing).toContainText(/sync|connector/);

    const recs = page.getByTestId('recommendations');
    await expect(recs).toBeVisible({ timeout: 180_000 });
    await expect(recs.getByRole('link', { name: 'Open in rule editor' }).first()).toHaveAttribute(
      'href',
      /#\/rules\?rule=\d+/,
    );

    await expect(page.getByTestId('review-highlights')).toBeVisible({ timeout: 180_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-pdf').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^bellwether-review-\d{4}-\d{2}\.pdf$/);
    expect(errors).toEqual([]);
  });
});
