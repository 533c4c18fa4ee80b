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

/** Spawns a built Node entry and waits until its output matches `ready`. */
async function spawnUntil(entry: string, args: string[], ready: RegExp, what: string, env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const file = path.resolve(entry);
  if (!fs.existsSync(file)) throw new Error(`${entry} не собран: выполните npm run build.`);
  const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} не запустился за 20 с:\n${output}`)), 20_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = ready.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} завершился с кодом ${code}:\n${output}`));
    });
  });
  return { child, match };
}

const stopChild = (child: ChildProcess) => (): Promise<void> =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** Starts `node dist/main/host.js --data <dir>` and waits for the URL it prints. */
export async function startHostProcess(dataDir: string, extraArgs: string[] = []): Promise<RunningHost> {
  const { child, match } = await spawnUntil('dist/main/host.js', ['--data', dataDir, '--port', '0', ...extraArgs], /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/, 'Хост');
  return { url: match[1]!, dataDir, process: child, stop: stopChild(child) };
}

export interface RunningServer {
  url: string;
  adminToken: string;
  process: ChildProcess;
  /** An admin API call; anything but 200 throws. */
  admin(route: string, body?: unknown): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

/** Starts the regional server (`dist/server/index.js`) on SQLite in `dataDir`. */
export async function startServerProcess(dataDir: string): Promise<RunningServer> {
  const { child, match } = await spawnUntil('dist/server/index.js', ['--data', dataDir, '--port', '0'], /(http:\/\/127\.0\.0\.1:\d+)[\s\S]*Ключ администратора/, 'Сервер', { ...process.env, DATABASE_URL: '' });
  const url = match[1]!;
  const adminToken = fs.readFileSync(path.join(dataDir, 'admin-token.txt'), 'utf8').trim();
  return {
    url,
    adminToken,
    process: child,
    async admin(route, body = {}) {
      const res = await fetch(`${url}${route}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 200) throw new Error(`${route}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, string>;
    },
    stop: stopChild(child),
  };
}

/** Opens the app at a hash route (e.g. '#/schools') with the session token. */
export async function openApp(browser: Browser, host: RunningHost, hash = '#/', viewport = { width: 1366, height: 850 }): Promise<Page> {
  const page = await browser.newPage({ viewport, locale: 'ru-RU' });
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  await page.goto(`${host.url}${hash}`);
  return page;
}
