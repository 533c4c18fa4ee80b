// electron-builder afterPack hook, run on the unpacked app before it is signed and archived:
// 1. flips the Electron fuses (FUSES below, the one place they are decided; test/unit/packaging.test.ts
//    checks them and that applyFuses writes them into a binary);
// 2. replaces the Node build of the SQLite binding (better-sqlite3-multiple-ciphers) that was copied into the package with the Electron
//    build for the target (made by build/dist.mjs through build/electron-native.mjs). A missing
//    Electron build fails the packaging, never ships a binary that would crash on start.
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { FuseV1Options, FuseVersion, flipFuses } = require('@electron/fuses');

/**
 * What the packaged binary may do. The app never needs Electron to act as plain Node (the core
 * runs in a utility process), never takes code from NODE_OPTIONS or --inspect, and loads only
 * its own app.asar, checked against the hash electron-builder embeds.
 */
const FUSES = Object.freeze({
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The renderer is served from app://, never file://.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
});

/** The Electron executable electron-builder wrote into appOutDir (named as electron-builder names it). */
function electronBinary(context) {
  const { appOutDir, electronPlatformName: platform, packager } = context;
  if (platform === 'linux') return path.join(appOutDir, packager.executableName);
  if (platform === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
}

async function applyFuses(binary, platform) {
  // Flipping fuses changes the binary: an ad-hoc signed macOS app must be re-signed.
  await flipFuses(binary, { ...FUSES, resetAdHocDarwinSignature: platform === 'darwin' });
}

async function afterPack(context) {
  await applyFuses(electronBinary(context), context.electronPlatformName);

  const root = context.packager.projectDir;
  const { electronSqlitePath, SQLITE_PACKAGE, SQLITE_NODE_FILE } = await import(pathToFileURL(path.join(root, 'build', 'electron-native.mjs')).href);
  const { Arch } = require('electron-builder');
  // electron-builder fills this from the installed electron package (pinned in package.json).
  const version = context.packager.config.electronVersion;
  const platform = context.electronPlatformName;
  const arch = Arch[context.arch];
  const source = electronSqlitePath(root, { version, platform, arch });
  if (!fs.existsSync(source)) throw new Error(`Нет сборки ${SQLITE_PACKAGE} для Electron ${version} ${platform}-${arch}: ${source}`);
  const resources = platform === 'darwin' ? path.join(electronBinary(context), 'Contents', 'Resources') : path.join(context.appOutDir, 'resources');
  const target = path.join(resources, 'app.asar.unpacked', 'node_modules', SQLITE_PACKAGE, SQLITE_NODE_FILE);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(source, target);
}

module.exports = { default: afterPack, FUSES, applyFuses, electronBinary };
