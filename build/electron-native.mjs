// The SQLite binding (better-sqlite3-multiple-ciphers: better-sqlite3 with SQLCipher-compatible
// encryption, SQLITE_PACKAGE) compiled for Electron, kept OUT of node_modules/<SQLITE_PACKAGE>.
//
// The copy in node_modules is built for Node (tests, browser mode, the server) and must stay
// so: rebuilding it in place for Electron (as a postinstall would) breaks every Node entry.
// Here a private copy of the package is rebuilt with @electron/rebuild (a prebuilt binary
// when one exists for the target, otherwise from source with Electron's headers) and only
// its .node file is kept, in node_modules/.cache/shnor-electron/<target>/better_sqlite3.node.
// `npm start` points the Electron shell at it (SHNOR_SQLITE_BINDING → the binding's
// nativeBinding option); `npm run dist` copies it into the packaged app (afterPack).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/** The npm package of the SQLite binding, the one place its name is written for the build scripts. */
export const SQLITE_PACKAGE = 'better-sqlite3-multiple-ciphers';
/** Where its native file lies inside the package. */
export const SQLITE_NODE_FILE = path.join('build', 'Release', 'better_sqlite3.node');

/** The Electron version the shell is built for: the one installed, which package.json pins exactly (the one place it is written). */
export function electronVersion(root) {
  const require = createRequire(path.join(root, 'package.json'));
  return JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
}

export function electronSqlitePath(root, { version, platform = process.platform, arch = process.arch }) {
  const require = createRequire(path.join(root, 'package.json'));
  const bs = JSON.parse(fs.readFileSync(require.resolve(`${SQLITE_PACKAGE}/package.json`), 'utf8')).version;
  return path.join(root, 'node_modules', '.cache', 'shnor-electron', `${platform}-${arch}-electron-${version}-${SQLITE_PACKAGE}-${bs}`, 'better_sqlite3.node');
}

/** Returns the path of better_sqlite3.node for Electron `version` on platform/arch, building it once. */
export async function ensureElectronSqlite(root, { version = electronVersion(root), platform = process.platform, arch = process.arch, log = console.log } = {}) {
  const out = electronSqlitePath(root, { version, platform, arch });
  if (fs.existsSync(out)) return out;
  const require = createRequire(path.join(root, 'package.json'));
  const pkgDir = path.dirname(require.resolve(`${SQLITE_PACKAGE}/package.json`));
  const bsVersion = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const work = path.join(path.dirname(out), 'work');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(path.join(work, 'node_modules'), { recursive: true });
  fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'shnor-electron-native', version: '0.0.0', private: true, dependencies: { [SQLITE_PACKAGE]: bsVersion } }));
  // The sources without the Node build, so nothing of it can leak into the Electron binary.
  fs.cpSync(pkgDir, path.join(work, 'node_modules', SQLITE_PACKAGE), { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) && !src.endsWith(`${path.sep}build`) });
  log(`Сборка ${SQLITE_PACKAGE} для Electron ${version} (${platform}-${arch})…`);
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: work, electronVersion: version, platform, arch, force: true, onlyModules: [SQLITE_PACKAGE], mode: 'sequential' });
  const built = path.join(work, 'node_modules', SQLITE_PACKAGE, SQLITE_NODE_FILE);
  if (!fs.existsSync(built)) throw new Error(`@electron/rebuild не создал ${built}`);
  fs.copyFileSync(built, out);
  fs.rmSync(work, { recursive: true, force: true });
  return out;
}
