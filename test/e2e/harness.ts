/**
 * The processes end-to-end runs need, as plain functions: browser mode (the built
 * `dist/main/host.js`, i.e. `runBrowserMode`) and the regional server (`dist/server/index.js`)
 * as real child processes on temporary data folders, and the system Chromium found on the
 * PATH. `fixtures.ts` wraps these for Playwright Test; the bench and `test/tools/screenshot.ts`
 * use them directly. A missing browser is a failure, never a skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { ROLE_NAMES } from '../../core/rules/permissions';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const CHROMIUM_NAMES = ['chromium', 'chromium-browser'];

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The system Chromium on the PATH (Playwright's own browser download does not work here). */
export function findChromium(): string {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of CHROMIUM_NAMES) {
    const found = dirs.map((d) => path.join(d, name)).find(isExecutable);
    if (found) return found;
  }
  throw new Error(`Chromium не найден в PATH (искали ${CHROMIUM_NAMES.join(', ')}): установите его (apt-get install -y chromium) — без браузера сквозные тесты не запускаются.`);
}

/** For scripts outside Playwright Test (bench, screenshots): the same browser the tests use. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
}

export function tempDataDir(prefix = 'shnor-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

interface RunningProcess {
  process: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface RunningHost extends RunningProcess {
  /** The app's address with the session token, e.g. http://127.0.0.1:41234/?token=… */
  url: string;
  dataDir: string;
}

/** Spawns a built Node entry and waits until its output matches `ready`. */
async function spawnUntil(entry: string, args: string[], ready: RegExp, what: string, env: NodeJS.ProcessEnv = process.env): Promise<RunningProcess & { match: RegExpExecArray }> {
  const file = path.resolve(entry);
  if (!fs.existsSync(file)) throw new Error(`${entry} не собран: выполните npm run build.`);
  const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  const collect = (d: Buffer) => {
    output += d.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} не запустился за 30 с:\n${output}`));
    }, 30_000);
    const check = () => {
      const m = ready.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${what} завершился с кодом ${code}:\n${output}`));
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', onExit);
  });
  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { process: child, output: () => output, stop, match };
}

/** Starts `node dist/main/host.js --data <dir> --port 0` and waits for the URL it prints. */
export async function startHostProcess(dataDir: string, extraArgs: string[] = []): Promise<RunningHost> {
  const { match, ...running } = await spawnUntil('dist/main/host.js', ['--data', dataDir, '--port', '0', ...extraArgs], /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/, 'Хост браузерного режима');
  return { ...running, url: match[1]!, dataDir };
}

export interface RunningServer extends RunningProcess {
  url: string;
  dataDir: string;
  adminToken: string;
  /** An admin API call; anything but 200 throws. */
  admin(route: string, body?: unknown): Promise<Record<string, string>>;
}

/** Starts the regional server (`dist/server/index.js`) on SQLite in `dataDir`. */
export async function startServerProcess(dataDir: string): Promise<RunningServer> {
  const { match, ...running } = await spawnUntil('dist/server/index.js', ['--data', dataDir, '--port', '0'], /(http:\/\/127\.0\.0\.1:\d+)[\s\S]*Ключ администратора/, 'Региональный сервер', { ...process.env, DATABASE_URL: '' });
  const url = match[1]!;
  const adminToken = fs.readFileSync(path.join(dataDir, 'admin-token.txt'), 'utf8').trim();
  return {
    ...running,
    url,
    dataDir,
    adminToken,
    async admin(route, body = {}) {
      const res = await fetch(`${url}${route}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 200) throw new Error(`${route}: ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, string>;
    },
  };
}

export const APP_VIEWPORT = { width: 1366, height: 850 };

/**
 * The demo district's accounts and passwords (as core/accounts/demoAccounts.node.ts makes them
 * with `--demo` and the README states; that module is Node-only, so they are repeated here).
 */
export const DEMO_PASSWORDS = { coordinator: 'koordinator-demo', curator: 'kurator-demo', viewer: 'nabludatel-demo' } as const;
export type DemoAccount = keyof typeof DEMO_PASSWORDS;

/** A field's label exactly, with or without the «*» of a required field (a password box has no role to find it by). */
export const label = (text: string): RegExp => new RegExp(`^${text}[\\s*]*$`);

/** What the window shows once it has loaded: the sign-in screen, the app, or a first-run screen. */
export async function screenShown(page: Page): Promise<'sign_in' | 'app' | 'setup'> {
  const signIn = page.getByRole('radiogroup', { name: 'Учётные записи этого ноутбука' });
  const app = page.getByRole('navigation', { name: 'Разделы' });
  const setup = page.locator('.setup-card');
  await signIn.or(app).or(setup).first().waitFor();
  if (await signIn.isVisible()) return 'sign_in';
  return (await app.isVisible()) ? 'app' : 'setup';
}

/**
 * On the sign-in screen: chooses the account of that role (the demo district has one of
 * each) and signs in with its demo password (or `password`), then waits for the app.
 */
export async function signIn(page: Page, account: DemoAccount = 'coordinator', password: string = DEMO_PASSWORDS[account]): Promise<void> {
  await page.getByRole('radio', { name: new RegExp(`${ROLE_NAMES[account]}$`) }).click();
  await page.getByLabel(label('Пароль')).fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Разделы' }).waitFor();
}

/**
 * After opening a window: signs in as `account` when the sign-in screen shows; when another
 * account is signed in already (sign-in is the laptop's, not the window's), signs it out
 * first. `null` leaves the window as it opened.
 */
export async function ensureAccount(page: Page, account: DemoAccount | null): Promise<void> {
  if (account === null) return;
  const shown = await screenShown(page);
  if (shown === 'setup') return;
  if (shown === 'app') {
    const role = await page.locator('.account-foot-role').textContent();
    if (role === ROLE_NAMES[account]) return;
    await page.getByRole('button', { name: 'Выйти' }).click();
  }
  await signIn(page, account);
}

/**
 * Opens the app at a hash route (e.g. '#/schools') in a new browser context, for scripts
 * outside Playwright Test; signs in as the demo coordinator when the sign-in screen shows.
 */
export async function openApp(browser: Browser, host: RunningHost, hash = '#/', account: DemoAccount | null = 'coordinator'): Promise<Page> {
  const page = await browser.newPage({ viewport: APP_VIEWPORT, locale: 'ru-RU' });
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  await page.goto(`${host.url}${hash}`);
  await ensureAccount(page, account);
  return page;
}

/**
 * On «Создайте учётную запись координатора» (a district on the laptop, no account yet):
 * chooses the first coordinator listed, or types a name when there is none, sets
 * `password` (the demo coordinator's by default, so `openApp` signs in after a restart) and
 * waits for the app.
 */
export async function createFirstAccount(page: Page, password: string = DEMO_PASSWORDS.coordinator): Promise<void> {
  await page.getByRole('heading', { name: 'Создайте учётную запись координатора' }).waitFor();
  const who = page.getByRole('group', { name: 'Кто вы' });
  const nobody = who.getByText('В списке людей района нет координаторов', { exact: false });
  await who.getByRole('radio').first().or(nobody).waitFor();
  if (await nobody.isVisible()) {
    await page.getByRole('textbox', { name: 'Фамилия' }).fill('Соколова');
    await page.getByRole('textbox', { name: 'Имя', exact: true }).fill('Анна');
  } else await who.getByRole('radio').first().check();
  await page.getByLabel(label('Пароль')).fill(password);
  await page.getByLabel(label('Пароль ещё раз')).fill(password);
  await page.getByRole('button', { name: 'Создать учётную запись' }).click();
  await page.getByRole('navigation', { name: 'Разделы' }).waitFor();
}

/** A call straight to a browser-mode host, as its page's bridge makes it (for setting up and checking data). */
export async function callHost<T>(host: RunningHost, name: string, input: unknown): Promise<T> {
  const url = new URL(host.url);
  const res = await fetch(`${url.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const reply = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!reply.ok) throw new Error(`${name}: ${reply.error?.message}`);
  return reply.value;
}

/**
 * Gets a host past its door once, for scripts that then open windows of their own (the
 * bench): signs in as the demo coordinator, or makes the coordinator account of a district
 * that has none. Sign-in is the laptop's, so later windows open straight into the app.
 */
export async function unlockHost(browser: Browser, host: RunningHost): Promise<void> {
  const page = await browser.newPage({ viewport: APP_VIEWPORT, locale: 'ru-RU' });
  try {
    await page.goto(`${host.url}#/`);
    const shown = await screenShown(page);
    if (shown === 'sign_in') await signIn(page);
    else if (shown === 'setup' && (await page.getByRole('heading', { name: 'Создайте учётную запись координатора' }).isVisible())) await createFirstAccount(page);
  } finally {
    await page.close();
  }
}
