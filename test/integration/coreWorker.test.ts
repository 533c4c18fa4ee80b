/**
 * The core as the shells run it: in a worker (the built dist/main/core-worker.js in a Node
 * worker thread), behind the CoreApp interface. Calls are answered, events arrive, failures
 * stay data, and a dead worker is replaced.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../core/contract';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { DB_FILE } from '../../main/paths';
import { CoreStartError, superviseCore, type CoreChannel, type SupervisedCore } from '../../main/core/supervisor';
import { coreWorkerFile, startThreadCore, threadChannel } from '../../main/core/thread';
import { tempDir } from './coreFixture';

const open: SupervisedCore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function start(settings: { maxRestarts?: number } = {}): Promise<{ core: SupervisedCore; dir: string; channels: CoreChannel[]; logs: string[] }> {
  const dir = tempDir('shnor-worker-');
  const logs: string[] = [];
  const entry = coreWorkerFile();
  const channels: CoreChannel[] = [];
  const core = await superviseCore(
    () => {
      const ch = threadChannel(entry);
      channels.push(ch);
      return ch;
    },
    dir,
    {},
    { ...settings, log: (m) => logs.push(m) },
  );
  open.push(core);
  return { core, dir, channels, logs };
}

describe('the core in a worker thread', () => {
  it('runs the built worker entry (npm run build)', () => {
    expect(coreWorkerFile()).toBe(path.resolve('dist/main/core-worker.js'));
  });

  // One worker for the calls below (each start loads the whole core), closed by the last test.
  let shared: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    shared = await start();
    open.splice(open.indexOf(shared.core), 1);
  }, 120_000);
  afterAll(() => shared.core.close());

  it('answers calls and pushes the events the core emits', async () => {
    const { core, dir } = shared;
    const events: AppEvent[] = [];
    const off = core.on((e) => events.push(e));
    const info = await core.call('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { dataDir: dir, district: null } });

    const created = await core.call('app.createDistrict', { region: 'Республика Дагестан', district: 'МР «Цунтинский район»' });
    expect(created).toMatchObject({ ok: true, value: { district: { name: 'МР «Цунтинский район»' } } });
    await expect.poll(() => events.find((e) => e.type === 'data.changed')).toMatchObject({ type: 'data.changed', tables: expect.arrayContaining(['districts']) });
    off();
    // The worker wrote the district database in the data folder.
    expect(fs.existsSync(path.join(dir, DB_FILE))).toBe(true);
  });

  it('refuses unknown calls and invalid input as data', async () => {
    const { core } = shared;
    expect(await core.call('no.such.call', {})).toEqual({ ok: false, error: { code: 'unknown_call', message: 'Неизвестный вызов: no.such.call' } });
    const bad = await core.call('app.createDistrict', { region: '', district: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('survives a handler that throws: the call fails as data, the next one succeeds', async () => {
    const { core, dir } = shared;
    // Another connection takes the table away under the core: its query throws a SQLite error.
    const outside = new Database(path.join(dir, DB_FILE));
    outside.exec('ALTER TABLE people RENAME TO people_elsewhere');
    const broken = await core.call('people.list', {});
    expect(broken).toMatchObject({ ok: false, error: { code: 'internal' } });
    outside.exec('ALTER TABLE people_elsewhere RENAME TO people');
    outside.close();
    expect(await core.call('people.list', {})).toMatchObject({ ok: true, value: { total: 0 } });
    expect(await core.call('app.info', {})).toMatchObject({ ok: true });
  });

  it('close() closes the database in the worker; later calls are refused as data', async () => {
    const { core, dir } = shared;
    await core.close();
    expect(await core.call('app.info', {})).toMatchObject({ ok: false, error: { code: 'core_closing' } });
    // Closed cleanly: the WAL was checkpointed into the file and removed.
    expect(fs.existsSync(path.join(dir, `${DB_FILE}-wal`))).toBe(false);
  });
});

describe('a worker that dies', () => {
  // Each worker start loads the whole core (seconds on a loaded machine): two starts here.
  it('fails the pending call in Russian, is logged and replaced; one that keeps dying is left down', async () => {
    const { core, channels, logs } = await start({ maxRestarts: 1 });
    await core.call('app.createDistrict', { region: 'Республика Дагестан', district: 'МР «Цунтинский район»' });
    channels[0]!.kill();
    const lost = await core.call('app.info', {});
    expect(lost).toMatchObject({ ok: false, error: { code: 'core_restarted' } });
    expect(lost.ok === false && lost.error.message).toMatch(/^Ядро приложения аварийно завершилось и перезапущено/);
    expect(logs.some((l) => l.includes('рабочий процесс ядра завершился'))).toBe(true);

    // The replacement opens the same data folder: what was committed is there.
    expect(await core.call('app.info', {})).toMatchObject({ ok: true, value: { district: { name: 'МР «Цунтинский район»' } } });
    expect(channels).toHaveLength(2);
    expect(core.restarts).toBe(1);

    // Beyond the allowed restarts within a minute, the core is left down and every call says so.
    channels[1]!.kill();
    await expect.poll(async () => (await core.call('app.info', {})).ok === false && core.restarts === 1 && logs.some((l) => l.includes('больше не перезапускается'))).toBe(true);
    const r = await core.call('app.info', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'core_down' } });
    expect(r.ok === false && r.error.message).toMatch(/Перезапустите программу/);
    expect(channels).toHaveLength(2);
  }, 120_000);

  it('the better-sqlite3 build named by the shell is the one the worker loads', async () => {
    const binding = path.join(tempDir('shnor-worker-binding-'), 'better_sqlite3.node');
    const failure = await startThreadCore(tempDir('shnor-worker-nb-'), { nativeBinding: binding }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(CoreStartError);
    expect((failure as Error).message).toContain(binding);
  }, 60_000);

  it('a start-up failure reaches the caller with its Russian reason (a database from a newer version)', async () => {
    const dir = tempDir('shnor-worker-new-');
    const db = new Database(path.join(dir, DB_FILE));
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    const failure = await startThreadCore(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(CoreStartError);
    expect(failure).toMatchObject({ code: 'db_too_new' });
    expect((failure as Error).message).toMatch(/^База данных создана более новой версией приложения/);
  }, 60_000);
});
