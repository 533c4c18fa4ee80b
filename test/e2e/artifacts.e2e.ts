/**
 * What a failed end-to-end test leaves behind, checked on the configuration this run uses
 * (no test is made to fail): a trace and a screenshot kept for failures only, under
 * test-results/, which git ignores; the browser is the system Chromium with the agreed flags.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM_ARGS, findChromium } from './harness';
import { expect, test } from './fixtures';

test('a failed test keeps its trace and screenshot under test-results/, and the browser is the system Chromium', async ({ browser }, testInfo) => {
  const { use, outputDir } = testInfo.project;
  const root = path.dirname(testInfo.config.configFile!);
  expect(use.trace).toBe('retain-on-failure');
  expect(use.screenshot).toBe('only-on-failure');
  expect(outputDir).toBe(path.join(root, 'test-results'));
  expect(path.relative(outputDir, testInfo.outputDir)).not.toMatch(/^\.\./);
  expect(fs.readFileSync(path.join(root, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['test-results/', 'playwright-report/']));

  expect(use.launchOptions?.executablePath).toBe(findChromium());
  expect(use.launchOptions?.args).toEqual(CHROMIUM_ARGS);
  expect(browser.browserType().name()).toBe('chromium');
  expect(browser.version()).toMatch(/^\d+\./);
  // One worker on a two-core machine; one retry on CI only.
  expect(testInfo.config.workers).toBe(1);
  expect(testInfo.project.retries).toBe(process.env.CI ? 1 : 0);
});
