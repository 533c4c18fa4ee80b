/**
 * Look at the app: `npx tsx test/tools/screenshot.ts <out-dir> [--demo] '#/route' ...`
 * starts browser mode on a temporary folder and saves a PNG per route.
 */
import path from 'node:path';
import fs from 'node:fs';
import { launchBrowser, openApp, startHostProcess, tempDataDir } from '../e2e/harness';

const [outDir = 'screenshots', ...rest] = process.argv.slice(2);
const demo = rest.includes('--demo');
const routes = rest.filter((r) => r !== '--demo');
fs.mkdirSync(outDir, { recursive: true });
const host = await startHostProcess(tempDataDir(), demo ? ['--demo'] : []);
const browser = await launchBrowser();
try {
  for (const route of routes.length ? routes : ['#/']) {
    const page = await openApp(browser, host, route);
    await page.waitForTimeout(800);
    const file = path.join(outDir, `${route.replace(/[^\w]+/g, '_') || 'root'}.png`);
    await page.screenshot({ path: file, fullPage: false });
    console.log(file);
    await page.close();
  }
} finally {
  await browser.close();
  await host.stop();
}
