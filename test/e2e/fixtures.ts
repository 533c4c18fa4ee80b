/**
 * Playwright Test fixtures for the end-to-end suite. Every test gets its own processes on
 * its own temporary data folders, stopped and removed when the test ends however it ends:
 * - `host`: browser mode on a fresh folder (`test.use({ demo: true })` loads the demo district Каменск-Уральский, `demo: 'tsunta'` МР «Цунтинский район»);
 * - `startHost`: more hosts (a second laptop, a restart on the same folder);
 * - `hub`: the regional server on SQLite;
 * - `openApp`: the app in a new browser context (its own storage, as a new window would be),
 *   signed in as the demo coordinator when the sign-in screen shows (`account` chooses another
 *   demo account; `null` stays on the sign-in screen).
 * A host or server that dies during a test fails that test, and a failed test gets each
 * process's output attached next to its trace and screenshot.
 */
import fs from 'node:fs';
import { test as base, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { ensureAccount, startHostProcess, startServerProcess, tempDataDir, type DemoAccount, type RunningHost, type RunningServer } from './harness';

export { expect } from '@playwright/test';
export type { DemoAccount, RunningHost, RunningServer } from './harness';
export { DEMO_PASSWORDS, signIn } from './harness';

export interface OpenOptions {
  /** The demo account to be signed in as (default: the coordinator); `null`: leave the window as it opens. */
  account?: DemoAccount | null;
}

/** `true`: the default demo district (Каменск-Уральский); 'tsunta': МР «Цунтинский район». */
type DemoOption = boolean | 'tsunta';

export interface HostOptions {
  demo?: DemoOption;
  /** Reuse a folder (a restart); otherwise a fresh one is made and removed after the test. */
  dataDir?: string;
}

interface Fixtures {
  demo: DemoOption;
  startHost(options?: HostOptions): Promise<RunningHost>;
  host: RunningHost;
  hub: RunningServer;
  openApp(host: RunningHost, hash?: string, options?: OpenOptions): Promise<Page>;
}

interface Tracked {
  name: string;
  running: { process: RunningHost['process']; output(): string; stop(): Promise<void> };
  stopped: boolean;
}

/** Stops what a test started; fails the test if any of it died on its own, and keeps the logs of a failed test. */
async function tearDown(tracked: Tracked[], folders: string[], testInfo: TestInfo): Promise<void> {
  const died = tracked.filter((t) => !t.stopped && (t.running.process.exitCode !== null || t.running.process.signalCode !== null));
  await Promise.all(tracked.map((t) => t.running.stop()));
  if (died.length > 0 || testInfo.status !== testInfo.expectedStatus) {
    for (const t of tracked) await testInfo.attach(`${t.name}.log`, { body: t.running.output(), contentType: 'text/plain' });
  }
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  if (died.length > 0) {
    const [first] = died;
    throw new Error(`${first!.name} завершился во время теста (код ${first!.running.process.exitCode ?? first!.running.process.signalCode}):\n${first!.running.output()}`);
  }
}

export const test = base.extend<Fixtures>({
  demo: [false as DemoOption, { option: true }],

  startHost: async ({}, use, testInfo) => {
    const tracked: Tracked[] = [];
    const folders: string[] = [];
    await use(async ({ demo = false, dataDir } = {}) => {
      let dir = dataDir;
      if (!dir) {
        dir = tempDataDir();
        folders.push(dir);
      }
      const host = await startHostProcess(dir, demo === 'tsunta' ? ['--demo-district', 'tsunta'] : demo ? ['--demo'] : []);
      const entry: Tracked = { name: `host-${tracked.length + 1}`, running: host, stopped: false };
      tracked.push(entry);
      // A deliberate stop (a restart in the test) is not a crash.
      return {
        ...host,
        stop: () => {
          entry.stopped = true;
          return host.stop();
        },
      };
    });
    await tearDown(tracked, folders, testInfo);
  },

  host: async ({ startHost, demo }, use) => {
    await use(await startHost({ demo }));
  },

  hub: async ({}, use, testInfo) => {
    const dir = tempDataDir('shnor-e2e-hub-');
    const tracked: Tracked[] = [];
    try {
      const server = await startServerProcess(dir);
      tracked.push({ name: 'hub', running: server, stopped: false });
      await use(server);
    } finally {
      await tearDown(tracked, [dir], testInfo);
    }
  },

  openApp: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (host, hash = '#/', { account = 'coordinator' } = {}) => {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error('[pageerror]', e.message));
      await page.goto(`${host.url}${hash}`);
      await ensureAccount(page, account);
      return page;
    });
    // Closing lets Playwright save each context's trace and failure screenshot.
    await Promise.all(contexts.map((c) => c.close()));
  },
});
