/**
 * `npm start`: the desktop app. With the Electron runtime present it starts the Electron
 * shell (better-sqlite3 rebuilt for Electron into a private cache first, never in place).
 * Without it (as on machines with no route to Electron's release host) it says so in one
 * line and starts browser mode, opening Chromium's app window when Chromium is installed.
 *
 * Flags: --data <dir>, --port <n> (browser mode), --demo, --no-open (don't open a window).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findElectronRuntime, type ElectronRuntime } from './electron/runtime';
import { runBrowserMode } from './host/cli';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const noOpen = argv.includes('--no-open') || !!process.env.CI;
const passthrough = argv.filter((a) => a !== '--no-open');

interface NativeModule {
  ensureElectronSqlite(root: string, options: { version: string; log?: (s: string) => void }): Promise<string>;
}

async function startElectron(runtime: ElectronRuntime): Promise<boolean> {
  let binding: string;
  try {
    // A build script, not bundled: loaded from the checkout at run time.
    const native = (await import(pathToFileURL(path.join(root, 'build', 'electron-native.mjs')).href)) as NativeModule;
    binding = await native.ensureElectronSqlite(root, { version: runtime.version });
  } catch (e) {
    console.log(`Не удалось собрать better-sqlite3 для Electron (${e instanceof Error ? e.message : String(e)}) — запускаю браузерный режим.`);
    return false;
  }
  const args = [path.join(root, 'dist', 'main', 'electron.cjs'), ...passthrough.filter((a, i, all) => a !== '--port' && all[i - 1] !== '--port' && !a.startsWith('--port='))];
  const child = spawn(runtime.binary, args, { stdio: 'inherit', env: { ...process.env, SHNOR_SQLITE_BINDING: binding } });
  child.on('exit', (code) => process.exit(code ?? 0));
  return true;
}

function findChromium(): string | null {
  for (const name of ['chromium', 'chromium-browser']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

/** Chromium's app window (no tabs, no address bar) on a throwaway profile; never waited for. */
function openAppWindow(url: string): void {
  const chromium = findChromium();
  if (!chromium) {
    console.log('Откройте этот адрес в браузере.');
    return;
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'shnor-500-window-'));
  const child = spawn(chromium, [`--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--no-default-browser-check', '--disable-sync'], {
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => console.log('Не удалось открыть окно Chromium: откройте адрес в браузере.'));
  child.unref();
}

async function main(): Promise<void> {
  const runtime = findElectronRuntime(root);
  if (runtime && (await startElectron(runtime))) return;
  if (!runtime) console.log('Electron недоступен на этом компьютере — запускаю браузерный режим.');
  const { url } = await runBrowserMode(passthrough);
  if (!noOpen) openAppWindow(url);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
