/**
 * Look at the app: `npx tsx test/tools/screenshot.ts <out-dir> [--demo] [--signed-out] '#/route' ...`
 * (after `npm run build`) starts browser mode on a temporary folder and saves a PNG per route.
 * With `--demo` the laptop starts locked: each window signs in as the demo coordinator, unless
 * `--signed-out` asks for the sign-in screen itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, openApp, startHostProcess, tempDataDir } from '../e2e/harness';

const [outDir = 'screenshots', ...rest] = process.argv.slice(2);
const demo = rest.includes('--demo');
const signedOut = rest.includes('--signed-out');
const routes = rest.filter((r) => !r.startsWith('--'));
fs.mkdirSync(outDir, { recursive: true });
const dataDir = tempDataDir();
const host = await startHostProcess(dataDir, demo ? ['--demo'] : []);
const browser = await launchBrowser();
try {
  for (const route of routes.length ? routes : ['#/']) {
    const page = await openApp(browser, host, route, signedOut ? null : 'coordinator');
    // The screen is drawn once its calls have answered.
    await page.waitForLoadState('networkidle');
    const file = path.join(outDir, `${route.replace(/[^\w]+/g, '_') || 'root'}.png`);
    await page.screenshot({ path: file, fullPage: false });
    console.log(file);
    await page.close();
  }
} finally {
  await browser.close();
  await host.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
