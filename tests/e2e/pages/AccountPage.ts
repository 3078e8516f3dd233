/** Page object for one account. */
import type { Locator, Page } from '@playwright/test';

export class AccountPage {
  readonly heading: Locator;
  readonly facts: Locator;
  readonly usageChart: Locator;
  readonly healthChart: Locator;
  readonly contacts: Locator;
  readonly stakeholderAlert: Locator;
  readonly tickets: Locator;
  readonly timeline: Locator;
  readonly riskSlot: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.facts = page.getByTestId('account-facts');
    this.usageChart = page.getByTestId('usage-chart');
    this.healthChart = page.getByTestId('health-chart');
    this.contacts = page.getByTestId('contact');
    this.stakeholderAlert = page.getByTestId('stakeholder-alert');
    this.tickets = page.getByTestId('ticket');
    this.timeline = page.getByTestId('timeline');
    this.riskSlot = page.locator('section[data-slot="risk"]');
  }

  fact(label: string): Locator {
    return this.facts
      .locator('div')
      .filter({ has: this.page.locator('dt', { hasText: label }) })
      .locator('dd');
  }

  /** The drawn line paths inside the usage chart's svg. */
  usageLines(): Locator {
    return this.usageChart.locator('svg path.recharts-line-curve');
  }

  contact(name: string): Locator {
    return this.contacts.filter({ hasText: name });
  }
}
