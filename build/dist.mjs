// `npm run dist [-- --linux] [-- --win]`: the installers (electron-builder.yml). Runs after
// `npm run build`. Needs the Electron runtime (node_modules/electron/dist, fetched lazily by
// `npx install-electron`) — where it cannot be fetched this stops at once with a clear
// message instead of hanging on a download.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronVersion, ensureElectronSqlite, SQLITE_PACKAGE } from './electron-native.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  console.error(message);
  process.exit(1);
}

const version = electronVersion(root);
const electronDir = path.join(root, 'node_modules', 'electron');
const pathTxt = path.join(electronDir, 'path.txt');
const runtime = fs.existsSync(pathTxt) ? path.join(electronDir, 'dist', fs.readFileSync(pathTxt, 'utf8').trim()) : null;
if (!runtime || !fs.existsSync(runtime)) {
  fail(
    `Сборка установщиков невозможна: среда Electron ${version} не установлена (нет ${path.relative(root, path.join(electronDir, 'dist'))}).\n` +
      'Выполните `npx install-electron` на компьютере с доступом к github.com и повторите `npm run dist`.',
  );
}
// build/build.mjs makes the Electron bundles self-contained: the package needs no node_modules but the SQLite binding.
for (const built of ['dist/renderer/index.html', 'dist/main/electron.cjs', 'dist/main/core-worker.cjs']) {
  if (!fs.existsSync(path.join(root, built))) fail(`Нет ${built}: сначала \`npm run build\` (npm run dist делает это сам).`);
}

const wanted = ['linux', 'win'].filter((p) => process.argv.includes(`--${p}`));
const targets = wanted.length ? wanted : [process.platform === 'win32' ? 'win' : 'linux'];
const nodePlatform = { linux: 'linux', win: 'win32' };

for (const t of targets) {
  try {
    await ensureElectronSqlite(root, { version, platform: nodePlatform[t], arch: 'x64' });
  } catch (e) {
    fail(`Не удалось получить ${SQLITE_PACKAGE} для Electron ${version} (${t}): ${e instanceof Error ? e.message : e}`);
  }
}

const { build } = await import('electron-builder');
const onlyHost = targets.length === 1 && nodePlatform[targets[0]] === process.platform;
await build({
  projectDir: root,
  linux: targets.includes('linux') ? [] : undefined,
  win: targets.includes('win') ? [] : undefined,
  // The runtime already on disk, so packaging for this OS downloads nothing.
  config: onlyHost ? { electronDist: path.dirname(runtime) } : undefined,
}).then(
  (files) => console.log(`Готово:\n${files.map((f) => `  ${path.relative(root, f)}`).join('\n')}`),
  (e) => fail(`electron-builder: ${e instanceof Error ? e.message : e}`),
);
