import { defineConfig } from '@playwright/test';
import { APP_VIEWPORT, CHROMIUM_ARGS, findChromium } from './test/e2e/harness';

// End-to-end tests: the system Chromium against browser mode and the regional server,
// built first (`npm run build`). One worker: the machine has two cores, and each test
// already runs a browser, a host and sometimes a server. A failed test keeps its trace
// and screenshot under test-results/ (`npx playwright show-trace test-results/…/trace.zip`).
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.e2e.ts',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: 'list',
  use: {
    browserName: 'chromium',
    headless: true,
    // Throws (and so fails the run) when no Chromium is on the PATH.
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: APP_VIEWPORT,
    locale: 'ru-RU',
  },
});
