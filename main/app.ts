/**
 * The core as a running app, independent of the shell: opens the district database
 * in the data folder and offers `call` (the dispatch) and event subscription. Both the
 * Electron shell and the browser-mode host build on this.
 */
import path from 'node:path';
import type { AppEvent } from '../core/contract';
import type { Ctx } from '../core/context';
import { dispatch } from '../core/dispatch';
import { openStore } from '../db/open';
import { getMeta } from '../db/replica';
import { loadDemo } from '../core/demo';
import { startBackgroundSync } from '../core/sync/client';
import { DB_FILE } from './paths';

export interface CoreApp {
  ctx: Ctx;
  call(name: string, input: unknown): ReturnType<typeof dispatch>;
  on(listener: (e: AppEvent) => void): () => void;
  close(): void;
}

export function startCore(dataDir: string, options: { demo?: boolean; nativeBinding?: string } = {}): CoreApp {
  const store = openStore(path.join(dataDir, DB_FILE), options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const listeners = new Set<(e: AppEvent) => void>();
  const ctx: Ctx = {
    store,
    dataDir,
    emit: (e) => {
      for (const l of listeners) l(e);
    },
  };
  if (options.demo && !getMeta(store, 'district_id')) loadDemo(store);
  const stopSync = startBackgroundSync(ctx);
  return {
    ctx,
    call: (name, input) => dispatch(ctx, name, input),
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      stopSync();
      store.close();
    },
  };
}
