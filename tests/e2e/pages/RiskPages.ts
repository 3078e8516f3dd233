/** Page objects for the risk pages: the portfolio heatmap and the escalation queue. */
import { expect, type Locator, type Page } from '@playwright/test';

export class PortfolioHeatmap {
  readonly cells: Locator;
  readonly cellTitle: Locator;

  constructor(readonly page: Page) {
    this.cells = page.getByTestId('heatmap-cell');
    this.cellTitle = page.locator('#cell-title');
  }

  async waitForCells(): Promise<void> {
    await expect(this.cells.first()).toBeVisible();
  }

  /** Clicks the first cell that holds accounts; returns the account count it showed. */
  async openFirstCell(): Promise<number> {
    const cell = this.cells.locator(':scope:not([disabled])').first();
    const text = (await cell.textContent()) ?? '';
    const n = Number(/(\d+) accounts/.exec(text)?.[1]);
    await cell.click();
    return n;
  }

  cellAccountLinks(): Locator {
    return this.page.locator('section[aria-labelledby="cell-title"] a');
  }
}

export class EscalationQueue {
  readonly table: Locator;
  readonly rows: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId('queue');
    this.rows = this.table.locator('tbody tr');
    this.status = page.locator('main#main span[role="status"]');
  }

  row(accountName: string): Locator {
    return this.rows.filter({ hasText: accountName });
  }

  async decide(
    accountName: string,
    kind: 'Confirm' | 'Dismiss',
    who: string,
    reason?: string,
  ): Promise<void> {
    await this.row(accountName).getByRole('button', { name: kind, exact: true }).click();
    const dialog = this.page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('decider').fill(who);
    if (reason !== undefined) await dialog.getByTestId('decision-reason').fill(reason);
    await dialog.getByRole('button', { name: kind === 'Confirm' ? 'Confirm escalation' : 'Dismiss' }).click();
    await expect(dialog).toBeHidden();
  }
}
