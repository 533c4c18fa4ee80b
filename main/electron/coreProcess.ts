/**
 * The core in Electron's utility process: the database, exports and sync run there, and the
 * main process only creates windows and routes IPC. The worker entry is the same code as
 * browser mode's worker thread (main/core/worker.ts), built as dist/main/core-worker.cjs.
 */
import { utilityProcess } from 'electron';
import path from 'node:path';
import type { CoreOptions } from '../app';
import { superviseCore, type CoreChannel, type SupervisedCore } from '../core/supervisor';

function utilityChannel(entry: string): CoreChannel {
  const child = utilityProcess.fork(entry, [], { serviceName: '500+ ядро', stdio: 'inherit' });
  let detail: string | undefined;
  child.on('error', (type, location) => {
    detail = `${type} в ${location}`;
  });
  return {
    post: (m) => child.postMessage(m),
    onMessage: (l) => child.on('message', l),
    onExit: (l) => child.once('exit', (code) => l(code, detail)),
    kill: () => void child.kill(),
  };
}

/** `utilityProcess.fork` works only after Electron's `ready`. `distMain` is dist/main (or its place inside the asar). */
export function startUtilityCore(distMain: string, dataDir: string, options: CoreOptions): Promise<SupervisedCore> {
  const entry = path.join(distMain, 'core-worker.cjs');
  return superviseCore(() => utilityChannel(entry), dataDir, options);
}
