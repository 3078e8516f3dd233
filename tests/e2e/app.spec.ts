/** The seed's story, end to end in Chromium against web mode: demo portfolio → TechFlow Industries. */
import { expect, test } from '@playwright/test';
import { AccountPage } from './pages/AccountPage';
import { AccountsPage } from './pages/AccountsPage';
import { AppShell } from './pages/AppShell';

test.describe('demo portfolio', () => {
  test('opens on the demo portfolio, clearly labelled, with at least 300 accounts', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    const shell = new AppShell(page);
    const accounts = new AccountsPage(page);
    await shell.open();
    await accounts.waitForRows();
    await expect(shell.demoLabel).toHaveText('DEMO PORTFOLIO');
    await expect(shell.demoLabel).toBeVisible();
    expect(await accounts.total()).toBeGreaterThanOrEqual(300);
    // The access token is taken out of the address bar once read.
    expect(page.url()).not.toContain('token=');
    await shell.screenshot('accounts-1280');
    expect(errors).toEqual([]);
  });

  test('finds TechFlow Industries and shows its usage, facts and departed champion', async ({ page }) => {
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    const shell = new AppShell(page);
    const accounts = new AccountsPage(page);
    const account = new AccountPage(page);
    await shell.open();
    await accounts.waitForRows();

    await accounts.searchFor('TechFlow Industries');
    await expect(accounts.rows).toHaveCount(1);
    await accounts.waitForLoaded();
    await expect(accounts.count).toContainText('1 of');
    await shell.screenshot('accounts-search');
    await accounts.open('TechFlow Industries');

    await expect(page).toHaveURL(/#\/accounts\/\d+$/);
    await expect(account.heading).toHaveText('TechFlow Industries');
    await expect(account.fact('ARR')).toHaveText('$380,000');
    await expect(account.fact('Renewal')).toContainText('in 67 d');
    await expect(account.fact('Health')).toHaveText('43');

    // The usage chart is drawn: an svg with line paths (logins, active users, key-feature use).
    await expect(account.usageChart).toBeVisible();
    await expect(account.usageChart.locator('svg').first()).toBeVisible();
    await expect(account.usageLines()).toHaveCount(3);
    const d = await account.usageLines().first().getAttribute('d');
    expect(d?.length ?? 0).toBeGreaterThan(100);
    await expect(account.usageChart.locator('svg > title', { hasText: 'Weekly usage' })).toHaveCount(1);

    // The champion (VP Operations) has left, and the page says so.
    const champion = account.contacts.filter({ hasText: 'VP Operations' });
    await expect(champion).toHaveCount(1);
    await expect(champion).toContainText('Champion');
    await expect(champion).toContainText('Departed');
    await expect(account.stakeholderAlert).toContainText('Champion departed');

    await expect(account.riskSlot).toHaveCount(1);
    // The model's points say where they come from: the model card.
    const modelRow = page.locator('[data-testid="factor"][data-factor="model"]');
    await expect(modelRow).toContainText('calibrated probability');
    await expect(modelRow.getByTestId('model-card-link')).toHaveAttribute('href', '#/model');
    await shell.screenshot('techflow-top');

    // Ticket threads expand to show both sides of the conversation.
    const latest = account.tickets.first();
    await latest.locator('summary').click();
    await expect(latest.locator('.msg-customer').first()).toBeVisible();
    await expect(latest.locator('.msg-agent').first()).toBeVisible();
    await latest.scrollIntoViewIfNeeded();
    await shell.screenshot('techflow-ticket');
    expect(problems).toEqual([]);
  });

  test('sorts by clicking headers and filters by segment', async ({ page }) => {
    const shell = new AppShell(page);
    const accounts = new AccountsPage(page);
    await shell.open();
    await accounts.waitForRows();

    await accounts.sortBy('ARR');
    await expect(accounts.columnHeader('ARR')).toHaveAttribute('aria-sort', 'descending');
    const arrs = await accounts.rows.evaluateAll((rows) =>
      rows
        .slice(0, 10)
        .map((r) => Number((r.querySelectorAll('td')[2]?.textContent ?? '').replace(/[$,]/g, ''))),
    );
    expect(arrs.length).toBe(10);
    expect([...arrs].sort((a, b) => b - a)).toEqual(arrs);
    expect(arrs[0]).toBeGreaterThanOrEqual(1_000_000);

    await accounts.sortBy('ARR');
    await expect(accounts.columnHeader('ARR')).toHaveAttribute('aria-sort', 'ascending');

    const all = await accounts.total();
    await accounts.segment.selectOption('enterprise');
    await expect.poll(() => accounts.total()).toBeLessThan(all);
    await accounts.waitForLoaded();
    const enterprise = await accounts.total();
    expect(enterprise).toBeGreaterThan(0);
    const segments = await accounts.rows.evaluateAll((rows) =>
      rows.map((r) => r.querySelectorAll('td')[1]?.textContent ?? ''),
    );
    expect(new Set(segments)).toEqual(new Set(['Enterprise']));

    await accounts.searchFor('zzzz-no-such-account');
    await expect(page.getByRole('heading', { name: 'No matching accounts' })).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(accounts.count).toHaveText(`${all.toLocaleString('en-US')} accounts`);
  });

  test('keeps working after a reload (token kept for the session) and on direct links', async ({ page }) => {
    const shell = new AppShell(page);
    const accounts = new AccountsPage(page);
    await shell.open();
    await accounts.waitForRows();
    await page.reload();
    await accounts.waitForRows();
    await expect(shell.demoLabel).toBeVisible();

    await page.goto(`${new URL(page.url()).origin}/#/accounts/999999`);
    await expect(page.getByRole('heading', { name: 'Account not found' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('999999');
  });
});

test.describe('shell', () => {
  test('every navigation entry opens a working page', async ({ page }) => {
    const shell = new AppShell(page);
    await shell.open();
    for (const name of [
      'Portfolio',
      'Escalations',
      'Rules',
      'Patterns',
      'Team',
      'Model',
      'Connectors',
      'Settings',
    ]) {
      await shell.goTo(name);
      await expect(shell.main.locator('h1').first()).toBeVisible();
      await expect(shell.main).not.toContainText('Not built yet');
      await expect(shell.main.getByRole('alert')).toHaveCount(0);
    }
    await shell.goTo('Accounts');
    await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
  });

  test('starting an empty portfolio asks for confirmation first (cancel keeps the data)', async ({
    page,
  }) => {
    const shell = new AppShell(page);
    const accounts = new AccountsPage(page);
    await shell.open();
    await accounts.waitForRows();
    await page.getByRole('button', { name: 'Start empty portfolio' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start an empty portfolio?' });
    await expect(dialog).toBeVisible();
    await shell.screenshot('confirm-empty');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(shell.demoLabel).toBeVisible();
    expect(await accounts.total()).toBeGreaterThanOrEqual(300);
  });
});
