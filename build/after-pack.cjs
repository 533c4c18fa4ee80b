// electron-builder afterPack hook: replaces the Node build of better-sqlite3 that was copied
// into the package with the Electron build for the target (made by build/dist.mjs through
// build/electron-native.mjs). A missing Electron build fails the packaging, never ships a
// binary that would crash on start.
const fs = require('node:fs');
const path = require('node:path');
const { Arch } = require('electron-builder');

exports.default = async function afterPack(context) {
  const root = context.packager.projectDir;
  const { electronSqlitePath } = await import(require('node:url').pathToFileURL(path.join(root, 'build', 'electron-native.mjs')).href);
  const version = context.packager.config.electronVersion;
  const platform = context.electronPlatformName;
  const arch = Arch[context.arch];
  const source = electronSqlitePath(root, { version, platform, arch });
  if (!fs.existsSync(source)) throw new Error(`Нет сборки better-sqlite3 для Electron ${version} ${platform}-${arch}: ${source}`);
  const resources = platform === 'darwin' ? path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents', 'Resources') : path.join(context.appOutDir, 'resources');
  const target = path.join(resources, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(source, target);
};
