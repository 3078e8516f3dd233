/**
 * Playwright browser tests against web mode (the same renderer the desktop app shows), in Debian's Chromium.
 * tests/e2e/global-setup.ts builds the app and starts `bellwether serve` on a fresh demo portfolio.
 * Run: `npm run test:e2e` (or `npx playwright test`). CHROMIUM_PATH picks another Chromium binary.
 */

import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/e2e/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
});
