/**
 * The worker's side of the channel, the same for a Node worker thread (`parentPort` of
 * worker_threads) and an Electron utility process (`process.parentPort`, added by Electron;
 * typed here by shape so this module never imports `electron`).
 */
import { parentPort } from 'node:worker_threads';
import type { FromCore, ToCore } from './protocol';

export interface CorePort {
  post(message: FromCore): void;
  onMessage(listener: (message: ToCore) => void): void;
}

/** What Electron puts on `process` in a utility process. */
interface UtilityParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export function parentCorePort(): CorePort {
  if (parentPort) {
    const port = parentPort;
    return { post: (m) => port.postMessage(m), onMessage: (l) => port.on('message', (m: ToCore) => l(m)) };
  }
  const utility = (process as NodeJS.Process & { parentPort?: UtilityParentPort }).parentPort;
  if (utility) {
    return { post: (m) => utility.postMessage(m), onMessage: (l) => utility.on('message', (e) => l(e.data as ToCore)) };
  }
  throw new Error('Ядро запущено не как рабочий поток и не как служебный процесс Electron.');
}
