/**
 * Finding the Electron runtime WITHOUT loading the `electron` package: its index.js
 * downloads the binary when missing, which on a machine with no route to the release host
 * hangs or fails. We only read what the postinstall left behind (path.txt + dist/).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface ElectronRuntime {
  binary: string;
  version: string;
}

export function findElectronRuntime(root: string, env: NodeJS.ProcessEnv = process.env): ElectronRuntime | null {
  let pkgFile: string;
  try {
    pkgFile = createRequire(path.join(root, 'package.json')).resolve('electron/package.json');
  } catch {
    return null;
  }
  const dir = path.dirname(pkgFile);
  const version = (JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { version: string }).version;
  const pathFile = path.join(dir, 'path.txt');
  const executable = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(dir, 'dist');
  if (!executable && !env.ELECTRON_OVERRIDE_DIST_PATH) return null;
  const binary = path.join(distDir, executable || 'electron');
  return fs.existsSync(binary) ? { binary, version } : null;
}
