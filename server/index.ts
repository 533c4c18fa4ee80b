/**
 * `npm run server -- --data <dir> --port <n> [--host 127.0.0.1] [--backed-up]`: the regional sync server.
 * SQLite in the data folder by default; PostgreSQL when DATABASE_URL is set (`--backed-up`: the
 * operator has a backup, so no pg_dump before a schema migration).
 */
import fs from 'node:fs';
import path from 'node:path';
import { openHubStorage } from './db';
import { Hub } from './hub';
import { listen } from './http';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const dataDir = path.resolve(arg('data') ?? 'hub-data');
const port = Number(arg('port') ?? '8750');
const host = arg('host') ?? '127.0.0.1';

// A refused database (newer than this server, or no backup possible before a migration) ends the start with its message.
const storage = await openHubStorage(dataDir, undefined, { backedUp: process.argv.includes('--backed-up') }).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
const hub = await Hub.open(storage, dataDir);
// The region's name: `--region "…"` or region-name.txt in the data folder; published to every district.
const regionFile = path.join(dataDir, 'region-name.txt');
const regionName = arg('region') ?? (fs.existsSync(regionFile) ? fs.readFileSync(regionFile, 'utf8').trim() : '');
if (regionName) await hub.setRegion(regionName);
else if (!(await hub.region())) console.log(`Регион не назван: укажите --region "Название" или запишите название в ${regionFile}.`);
const running = await listen(hub, port, host);
console.log(`Региональный сервер синхронизации: ${running.url} (хранилище: ${storage.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'})`);
console.log(`Данные: ${dataDir}`);
console.log(`Ключ администратора (также в ${path.join(dataDir, 'admin-token.txt')}): ${hub.identity.adminToken}`);

const stop = async () => {
  await running.close();
  await storage.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
