import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER = 'shnor-500';

/** The OS's per-user application data folder (what Electron calls `userData`). */
export function defaultDataDir(): string {
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), APP_FOLDER);
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', APP_FOLDER);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), APP_FOLDER);
}

export const DB_FILE = 'district.sqlite';
