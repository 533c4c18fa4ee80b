/**
 * `npm run server -- --data <dir> --port <n> [--host 127.0.0.1] [--backed-up] [--tls-cert <file> --tls-key <file>]`: the regional sync server
 * (HTTPS with the certificate and key given, PEM; or plain HTTP on 127.0.0.1 behind a TLS reverse proxy, see README).
 * SQLite in the data folder by default; PostgreSQL when DATABASE_URL is set (`--backed-up`: the
 * operator has a backup, so no pg_dump before a schema migration).
 *
 * `npm run server -- --data <dir> --add-admin <name>`: creates a региональный администратор of
 * the region page (the password from HUB_ADMIN_PASSWORD, else asked for on the terminal) and exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { openHubStorage } from './db';
import { Hub } from './hub';
import { listen } from './http';
import { RegionAccounts } from './regionAccounts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const dataDir = path.resolve(arg('data') ?? 'hub-data');
const port = Number(arg('port') ?? '8750');
const host = arg('host') ?? '127.0.0.1';
const tls = tlsFiles(arg('tls-cert'), arg('tls-key'));

// A refused database (newer than this server, or no backup possible before a migration) ends the start with its message.
const storage = await openHubStorage(dataDir, undefined, { backedUp: process.argv.includes('--backed-up') }).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
const hub = await Hub.open(storage, dataDir);

const adminName = arg('add-admin');
if (adminName !== undefined) {
  const password = process.env.HUB_ADMIN_PASSWORD ?? (await askPassword(`Пароль для «${adminName}»: `));
  try {
    const user = await new RegionAccounts(hub.db).createUser('командная строка сервера', adminName, 'admin', password);
    console.log(`Администратор региона «${user.name}» создан: входите на /region с этим именем и паролем.`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
  await storage.close();
  process.exit();
}

// The region's name: `--region "…"` or region-name.txt in the data folder; published to every district.
const regionFile = path.join(dataDir, 'region-name.txt');
const regionName = arg('region') ?? (fs.existsSync(regionFile) ? fs.readFileSync(regionFile, 'utf8').trim() : '');
if (regionName) await hub.setRegion(regionName);
else if (!(await hub.region())) console.log(`Регион не назван: укажите --region "Название" или запишите название в ${regionFile}.`);
const running = await listen(hub, port, host, { tls });
console.log(`Региональный сервер синхронизации: ${running.url} (хранилище: ${storage.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'})`);
console.log(`Данные: ${dataDir}`);
console.log(`Ключ администратора для API и скриптов — в файле ${path.join(dataDir, 'admin-token.txt')}`);
if (!(await storage.db.selectFrom('region_users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).executeTakeFirst())) {
  console.log(`Администратора региона для страницы /region ещё нет: npm run server -- --data ${dataDir} --add-admin <имя>`);
}

const stop = async () => {
  await running.close();
  await storage.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

/** The certificate and key for HTTPS: both or neither, each a readable file; a mistake ends the start with its message. */
function tlsFiles(certFile: string | undefined, keyFile: string | undefined): { cert: Buffer; key: Buffer } | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (!certFile || !keyFile) {
    console.error('Для HTTPS укажите оба файла: --tls-cert <сертификат.pem> --tls-key <ключ.pem>.');
    process.exit(1);
  }
  try {
    return { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) };
  } catch (e) {
    console.error(`Не удалось прочитать сертификат или ключ HTTPS: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

/** A password typed on the terminal, not echoed; from a pipe, its first line. */
async function askPassword(prompt: string): Promise<string> {
  process.stdout.write(prompt);
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, terminal: false });
    for await (const line of rl) {
      rl.close();
      process.stdout.write('\n');
      return line.trim();
    }
    return '';
  }
  process.stdin.setRawMode(true);
  process.stdin.resume();
  return new Promise((resolve) => {
    let typed = '';
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\u0003') process.exit(130);
        if (ch === '\r' || ch === '\n') {
          process.stdin.off('data', onData);
          process.stdin.setRawMode(false);
          process.stdin.pause();
          process.stdout.write('\n');
          resolve(typed);
          return;
        }
        typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      }
    };
    process.stdin.on('data', onData);
  });
}
