/** Page object for the Accounts list. */
import { expect, type Locator, type Page } from '@playwright/test';

export class AccountsPage {
  readonly heading: Locator;
  readonly count: Locator;
  readonly search: Locator;
  readonly segment: Locator;
  readonly rows: Locator;
  readonly scroller: Locator;
  /** Shown while rows are still arriving (the quick first page is up, the full list is not). */
  readonly loadingIndicator: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Accounts' });
    this.count = page.getByTestId('account-count');
    this.search = page.getByLabel('Search');
    this.segment = page.getByLabel('Segment');
    this.rows = page.getByTestId('account-row');
    this.scroller = page.getByTestId('accounts-scroll');
    this.loadingIndicator = page.locator('.page-loading');
  }

  /** Waits until rows are shown and every matching row has arrived. */
  async waitForRows(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.rows.first()).toBeVisible();
    await this.waitForLoaded();
  }

  async waitForLoaded(): Promise<void> {
    await expect(this.loadingIndicator).toHaveCount(0);
  }

  /** The number in "N accounts" / "N of M accounts". */
  async total(): Promise<number> {
    const text = (await this.count.textContent()) ?? '';
    const m = /([\d,]+)\s+(of|accounts)/.exec(text);
    if (!m) throw new Error(`no account count in "${text}"`);
    return Number(m[1]!.replace(/,/g, ''));
  }

  async searchFor(text: string): Promise<void> {
    await this.search.fill(text);
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  async open(name: string): Promise<void> {
    await this.row(name).getByRole('link', { name, exact: true }).click();
  }

  columnHeader(name: string): Locator {
    return this.page.getByRole('columnheader', { name });
  }

  async sortBy(name: string): Promise<void> {
    await this.columnHeader(name).getByRole('button').click();
  }

  /** The cell texts of the first visible row. */
  async firstRowCells(): Promise<string[]> {
    return this.rows.first().locator('td').allInnerTexts();
  }
}
