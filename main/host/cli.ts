/**
 * `npm run web -- --data <dir> --port <n> [--demo] [--demo-district kamensk|tsunta]`: browser mode, explicitly.
 * Prints the URL (with the session token) to open.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startThreadCore } from '../core/thread';
import { defaultDataDir } from '../paths';
import { startHost } from './server';

export async function runBrowserMode(argv: string[]): Promise<{ url: string; close(): Promise<void> }> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      port: { type: 'string', default: '0' },
      demo: { type: 'boolean', default: false },
      // Which seed district the demo loads: kamensk (the default) or tsunta.
      'demo-district': { type: 'string' },
    },
    allowPositionals: true,
  });
  const dataDir = path.resolve(values.data ?? defaultDataDir());
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Неверный порт: ${values.port}`);
  // The core runs in a worker thread: this thread only serves HTTP and routes calls.
  const which = values['demo-district'];
  if (which !== undefined && which !== 'kamensk' && which !== 'tsunta') throw new Error(`Неизвестный демо-район: ${which} (kamensk или tsunta)`);
  const demo = which ?? values.demo;
  const app = await startThreadCore(dataDir, { demo, demoAccounts: !!demo });
  const staticDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
  const host = await startHost(app, { port, staticDir });
  console.log(`Браузерный режим: ${host.url}`);
  console.log(`Данные: ${dataDir}`);
  const close = async () => {
    await host.close();
    await app.close();
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void close().then(() => process.exit(0));
    });
  }
  return { url: host.url, close };
}

// Run only as its own entry (dist/main/host.js or tsx main/host/cli.ts): when bundled into
// another entry such as dist/main/start.js, import.meta.url is that entry's file too.
const entryName = path.basename(process.argv[1] ?? '');
if ((entryName === 'host.js' || entryName === 'cli.ts') && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]!)) {
  runBrowserMode(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
