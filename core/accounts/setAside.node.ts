/**
 * Puts a data folder's contents aside, as they are, into `set-aside/<time>/` (a forgotten
 * password on a laptop with one account): nothing is deleted, the files stay encrypted, and
 * moving them back opens them again with the old password.
 */
import fs from 'node:fs';
import path from 'node:path';

export const SET_ASIDE_DIR = 'set-aside';

export function setAside(dataDir: string, names: readonly string[], now = new Date()): string {
  const target = path.join(dataDir, SET_ASIDE_DIR, now.toISOString().replace(/[:.]/g, '-'));
  fs.mkdirSync(target, { recursive: true });
  for (const name of names) {
    const from = path.join(dataDir, name);
    if (fs.existsSync(from)) fs.renameSync(from, path.join(target, name));
  }
  return target;
}
