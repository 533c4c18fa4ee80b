/** The core in a Node worker thread: how browser mode (and the bench) run it off the main thread. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CoreOptions } from '../app';
import { superviseCore, type CoreChannel, type SuperviseOptions, type SupervisedCore } from './supervisor';

export function threadChannel(entry: string): CoreChannel {
  const worker = new Worker(entry);
  let detail: string | undefined;
  // An uncaught exception in the worker arrives here just before 'exit'.
  worker.on('error', (e: Error) => {
    detail = e.stack ?? e.message;
  });
  return {
    post: (m) => worker.postMessage(m),
    onMessage: (l) => worker.on('message', l),
    onExit: (l) => worker.once('exit', (code: number) => l(code, detail)),
    kill: () => void worker.terminate(),
  };
}

/**
 * The built worker entry (build/build.mjs → dist/main/core-worker.js), found from wherever this
 * module was bundled (dist/main/*.js, dist/test/bench.js) or from the sources (tests).
 */
export function coreWorkerFile(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'core-worker.js'), path.join(here, '..', 'main', 'core-worker.js'), path.join(here, '..', '..', 'dist', 'main', 'core-worker.js')];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new Error('Ядро приложения не собрано (нет dist/main/core-worker.js): выполните npm run build.');
  return found;
}

export function startThreadCore(dataDir: string, options: CoreOptions = {}, settings: SuperviseOptions & { entry?: string } = {}): Promise<SupervisedCore> {
  const entry = settings.entry ?? coreWorkerFile();
  return superviseCore(() => threadChannel(entry), dataDir, options, settings);
}
