/** Page object for the shell every page shares: navigation, top bar, demo label. */
import { expect, type Locator, type Page } from '@playwright/test';

export const serverUrl = (): string => {
  const url = process.env.BELLWETHER_E2E_URL;
  if (!url)
    throw new Error(
      'BELLWETHER_E2E_URL is not set: run the tests through playwright.config.ts (global setup)',
    );
  return url;
};

export const serverOrigin = (): string => new URL(serverUrl()).origin;
export const serverToken = (): string => process.env.BELLWETHER_E2E_TOKEN ?? '';

export class AppShell {
  readonly nav: Locator;
  readonly demoLabel: Locator;
  readonly topbar: Locator;
  readonly main: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Main' });
    this.demoLabel = page.getByTestId('demo-label');
    this.topbar = page.locator('header.topbar');
    this.main = page.locator('main#main');
  }

  /** Opens the app the way a user does: the address printed by `bellwether serve`, token included. */
  async open(hashPath = ''): Promise<void> {
    const url = new URL(serverUrl());
    if (hashPath) url.hash = hashPath;
    await this.page.goto(url.toString());
  }

  navLink(name: string): Locator {
    return this.nav.getByRole('link', { name, exact: true });
  }

  async goTo(name: string): Promise<void> {
    await this.navLink(name).click();
    await expect(this.navLink(name)).toHaveAttribute('aria-current', 'page');
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `test-results/screenshots/${name}.png` });
  }
}
