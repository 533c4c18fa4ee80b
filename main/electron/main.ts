/**
 * The Electron shell: one window on the built renderer, IPC to the same core the browser
 * mode uses, running in a utility process (./coreProcess.ts) so this process only creates
 * windows and routes calls. The only module (with its folder) that imports `electron`; every
 * rule it enforces lives in ./security.ts and ./windowOptions.ts where tests check it.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell, type WebContents } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import type { CoreApp } from '../app';
import type { SupervisedCore } from '../core/supervisor';
import { APP_FOLDER } from '../paths';
import { parseShellArgs } from './args';
import { startUtilityCore } from './coreProcess';
import {
  allowNavigation,
  allowPermission,
  APP_ENTRY,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  isTrustedSender,
  resolveAppFile,
  windowOpenDecision,
} from './security';
import { windowOptions } from './windowOptions';
import { MIME } from '../mime';

// dist/main/electron.cjs → dist/renderer and dist/preload (same layout inside the asar).
const distDir = path.resolve(__dirname, '..');
const rendererDir = path.join(distDir, 'renderer');
const preloadPath = path.join(distDir, 'preload', 'preload.cjs');

// Must happen before `ready`: app:// behaves like https (origin, CSP 'self', fetch, modules).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// Both shells keep the district in the same folder (browser mode: main/paths.ts).
app.setPath('userData', path.join(app.getPath('appData'), APP_FOLDER));

const args = parseShellArgs(process.argv.slice(1));
let core: SupervisedCore | null = null;
let win: BrowserWindow | null = null;

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return new Response('Не найдено', { status: 404 });
    try {
      const body = await fs.promises.readFile(file);
      return new Response(body, {
        headers: {
          'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Интерфейс не собран: выполните npm run build.', { status: 500 });
    }
  });
}

function lockDown(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(allowPermission(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => allowPermission(permission));
  // Nothing is ever fetched from the network by the renderer; refuse it at the session too.
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (_details, callback) => callback({ cancel: true }));

  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!allowNavigation(contents.getURL(), url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!allowNavigation(contents.getURL(), url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const decision = windowOpenDecision(url);
      if (decision.openExternally) void shell.openExternal(decision.openExternally);
      return { action: decision.action };
    });
  });
}

function wireIpc(core: CoreApp): void {
  ipcMain.handle('call', async (event, name: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url)) {
      return { ok: false, error: { code: 'forbidden', message: 'Вызов отклонён: чужая страница.' } };
    }
    if (typeof name !== 'string') return { ok: false, error: { code: 'unknown_call', message: 'Неизвестный вызов.' } };
    return core.call(name, input);
  });
  core.on((e) => {
    if (win && !win.isDestroyed()) win.webContents.send('event', e);
  });
}

function createWindow(): void {
  win = new BrowserWindow(windowOptions(preloadPath));
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => {
    win = null;
  });
  void win.loadURL(APP_ENTRY);
}

function openCore(): Promise<SupervisedCore> {
  const dataDir = args.data ?? app.getPath('userData');
  // Set by `npm start` when better-sqlite3 was rebuilt for Electron into a separate folder;
  // a packaged app carries the Electron build in place and needs nothing. Passed on to the
  // utility process, which is where the database is opened.
  const nativeBinding = process.env.SHNOR_SQLITE_BINDING || undefined;
  return startUtilityCore(__dirname, dataDir, { demo: args.demo, demoAccounts: args.demo, nativeBinding });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  // The core closes the database in its own process first; then the app quits for real.
  app.on('will-quit', (event) => {
    if (!core) return;
    event.preventDefault();
    const closing = core;
    core = null;
    void closing.close().finally(() => app.quit());
  });
  app.whenReady().then(
    async () => {
      try {
        core = await openCore();
      } catch (e) {
        // A database from a newer version, an unloadable native module: the reason, in Russian.
        dialog.showErrorBox('500+ Адресная помощь', e instanceof Error ? e.message : String(e));
        app.quit();
        return;
      }
      serveRenderer();
      lockDown();
      wireIpc(core);
      createWindow();
    },
    (e: unknown) => {
      console.error(e);
      app.quit();
    },
  );
}
