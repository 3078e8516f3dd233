import { expect, test } from '@playwright/test';
import { AppShell } from './pages/AppShell';
import { EscalationQueue, PortfolioHeatmap } from './pages/RiskPages';

test.describe('risk: heatmap and escalation queue', () => {
  test('a heatmap cell opens the accounts in it', async ({ page }) => {
    const shell = new AppShell(page);
    const heatmap = new PortfolioHeatmap(page);
    await shell.open('#/portfolio');
    await heatmap.waitForCells();
    const n = await heatmap.openFirstCell();
    expect(n).toBeGreaterThan(0);
    await expect(heatmap.cellTitle).toContainText(`${n} accounts`);
    await expect(heatmap.cellAccountLinks()).toHaveCount(n);
    const first = heatmap.cellAccountLinks().first();
    const name = ((await first.textContent()) ?? '').trim();
    await first.click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await shell.screenshot('heatmap-cell-account');
  });

  test('a leader confirms one flag into an escalation and dismisses another with a reason', async ({
    page,
  }) => {
    const shell = new AppShell(page);
    const queue = new EscalationQueue(page);
    await shell.open('#/escalations');
    await expect(queue.row('TechFlow Industries')).toBeVisible();
    await expect(queue.row('TechFlow Industries')).toContainText('Critical');
    await shell.screenshot('queue');

    await queue.decide('TechFlow Industries', 'Confirm', 'E2E test leader');
    await expect(queue.status).toContainText(/TechFlow Industries: escalation #\d+ (opened|updated)/);
    await expect(queue.row('TechFlow Industries')).toHaveCount(0);

    const other = ((await queue.rows.first().locator('td').nth(1).locator('a').textContent()) ?? '').trim();
    await queue.decide(other, 'Dismiss', 'E2E test leader', 'Known seasonal dip');
    await expect(queue.status).toContainText(`${other}: dismissed (Known seasonal dip)`);
    await expect(queue.row(other)).toHaveCount(0);
  });
});
