/**
 * End-to-end harness: starts browser mode (the built `dist/main/host.js`) on a temporary
 * data folder as a real child process, and Debian's Chromium through playwright-core.
 * A missing browser is a failure, never a skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error('Chromium не найден: установите пакет chromium (apt-get install -y chromium) или задайте CHROMIUM_PATH.');
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

export function tempDataDir(prefix = 'shnor-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface RunningHost {
  url: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `node dist/main/host.js --data <dir>` and waits for the URL it prints. */
export async function startHostProcess(dataDir: string, extraArgs: string[] = []): Promise<RunningHost> {
  const entry = path.resolve('dist/main/host.js');
  if (!fs.existsSync(entry)) throw new Error('dist/main/host.js не собран: выполните npm run build.');
  const child = spawn(process.execPath, [entry, '--data', dataDir, '--port', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Хост не запустился за 20 с:\n${output}`)), 20_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Хост завершился с кодом ${code}:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Opens the app at a hash route (e.g. '#/schools') with the session token. */
export async function openApp(browser: Browser, host: RunningHost, hash = '#/', viewport = { width: 1366, height: 850 }): Promise<Page> {
  const page = await browser.newPage({ viewport, locale: 'ru-RU' });
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  await page.goto(`${host.url}${hash}`);
  return page;
}
