/**
 * The core as a running app, independent of the shell: opens the district database in the
 * data folder and offers `call` (the dispatch) and event subscription.
 *
 * The shells never run it on their own thread: browser mode and Electron start it inside a
 * worker (main/core/), so a long export or package import cannot freeze the thread that
 * answers windows. `startCore` is what runs inside that worker; tests and the bench call it
 * in-thread to reach the store directly.
 */
import path from 'node:path';
import type { AppEvent, Result } from '../core/contract';
import type { Ctx } from '../core/context';
import { openStore } from '../db/open';
import { isEncryptedDatabase } from '../db/atRest.node';
import { AccountGate, type CoreHost } from '../core/accounts/gate.node';
import { encryptDataFolder } from '../core/accounts/encryptFolder.node';
import { setUpDemoAccounts } from '../core/accounts/demoAccounts.node';
import { KEYRING_FILE } from '../core/accounts/keyring.node';
import { setAside } from '../core/accounts/setAside.node';
import { BACKUPS_DIR } from '../core/backup.node';
import { BLOBS_DIR } from '../core/blobs.node';
import { getMeta } from '../db/replica';
import type { DemoDistrict } from '../core/contract/app';
import { loadDemo } from '../core/demo';
import { startBackgroundSync } from '../core/sync/client';
import { startDailyBackups } from '../core/backup.node';
import { fileLog, logProcessFailures } from '../core/log.node';
import { DB_FILE } from './paths';

/** What a shell (the browser-mode host, Electron's IPC) needs of the core, wherever it runs. */
export interface CoreApp {
  call(name: string, input: unknown): Promise<Result<unknown>>;
  on(listener: (e: AppEvent) => void): () => void;
  close(): void | Promise<void>;
}

export interface CoreOptions {
  /** Load a demo district when the data folder has none (`true`: Каменск-Уральский). */
  demo?: boolean | DemoDistrict;
  /** better-sqlite3 compiled for another runtime (Electron started from a dev checkout). */
  nativeBinding?: string;
  /** With `demo`: the demo district's accounts (core/accounts/demoAccounts.node.ts), its database encrypted. */
  demoAccounts?: boolean;
}

/** The core running on the calling thread, with its context reachable (tests, bench, the worker). */
export interface LocalCore extends CoreApp {
  /** The open core; throws while the laptop is locked. */
  readonly ctx: Ctx;
  readonly gate: AccountGate;
  close(): void;
}

export function startCore(dataDir: string, options: CoreOptions = {}): LocalCore {
  const listeners = new Set<(e: AppEvent) => void>();
  const log = fileLog(dataDir);
  const dbFile = path.join(dataDir, DB_FILE);
  const native = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  const running = new Map<Ctx, () => void>();
  let demoAtStart: DemoDistrict | null = options.demo === true ? 'kamensk' : options.demo || null;
  const host: CoreHost = {
    open(key) {
      const store = openStore(dbFile, { ...native, ...(key ? { key } : {}) });
      const ctx: Ctx = {
        store,
        dataDir,
        // Whatever else opens a database in this thread (backups) needs the same native build.
        ...native,
        emit: (e) => {
          for (const l of listeners) l(e);
        },
        log,
      };
      // At start only: a laptop started over (auth.startOver) is empty, as its user asked.
      if (demoAtStart && !getMeta(store, 'district_id')) loadDemo(store, demoAtStart);
      demoAtStart = null;
      const stopSync = startBackgroundSync(ctx);
      const stopBackups = startDailyBackups(ctx);
      running.set(ctx, () => {
        stopSync();
        stopBackups();
      });
      return ctx;
    },
    close(ctx) {
      running.get(ctx)?.();
      running.delete(ctx);
      // A restore (core/restore.node.ts) replaces the store: close the one in use.
      ctx.store.close();
    },
    encrypt: (key) => encryptDataFolder(dataDir, dbFile, key, native),
    isEncrypted: () => isEncryptedDatabase(dbFile),
    setAside: () => setAside(dataDir, [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, KEYRING_FILE, BLOBS_DIR, BACKUPS_DIR]),
  };
  const stopLogging = logProcessFailures(log);
  const gate = new AccountGate(dataDir, host);
  if (options.demoAccounts) setUpDemoAccounts(gate);
  return {
    get ctx(): Ctx {
      const ctx = gate.current;
      if (!ctx) throw new Error('Ядро заблокировано: никто не вошёл.');
      return ctx;
    },
    gate,
    call: (name, input) => gate.call(name, input),
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      gate.close();
      stopLogging();
    },
  };
}
