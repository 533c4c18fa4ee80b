/**
 * Entry of the core's worker (dist/main/core-worker.js in a Node worker thread for browser
 * mode, dist/main/core-worker.cjs in Electron's utility process): waits for `start`, runs the
 * core on its own thread, answers calls and forwards events. A start-up failure (a database
 * from a newer version, an unloadable native module) is reported as data; the shell then ends it.
 */
import { AppError } from '../../db/errors';
import type { Result } from '../../core/contract';
import { startCore, type LocalCore } from '../app';
import { parentCorePort } from './port';
import type { FromCore } from './protocol';

const port = parentCorePort();
let core: LocalCore | null = null;

/** A result that cannot be copied to the other thread becomes an error, never a lost answer. */
function postSafely(message: FromCore & { type: 'result' }): void {
  try {
    port.post(message);
  } catch (e) {
    console.error(`[ядро] ответ на вызов не передан:`, e);
    const failed: Result<unknown> = { ok: false, error: { code: 'internal', message: 'Внутренняя ошибка: ответ ядра не удалось передать.' } };
    port.post({ type: 'result', id: message.id, result: failed });
  }
}

port.onMessage((message) => {
  switch (message.type) {
    case 'start': {
      try {
        core = startCore(message.dataDir, message.options);
      } catch (e) {
        const error = e instanceof AppError ? { code: e.code, message: e.message } : { code: 'start_failed', message: e instanceof Error ? e.message : String(e) };
        // The shell ends the worker once it has the reason.
        port.post({ type: 'failed', error });
        return;
      }
      core.on((event) => port.post({ type: 'event', event }));
      port.post({ type: 'ready' });
      return;
    }
    case 'call': {
      const { id, name, input } = message;
      if (!core) {
        postSafely({ type: 'result', id, result: { ok: false, error: { code: 'core_not_started', message: 'Ядро приложения ещё не запущено.' } } });
        return;
      }
      // dispatch turns every handler failure into data; a rejection here would be a bug in it.
      core.call(name, input).then(
        (result) => postSafely({ type: 'result', id, result }),
        (e: unknown) => {
          console.error(`[ядро] ${name}:`, e);
          postSafely({ type: 'result', id, result: { ok: false, error: { code: 'internal', message: 'Внутренняя ошибка: действие не выполнено.' } } });
        },
      );
      return;
    }
    case 'close':
      core?.close();
      core = null;
      process.exit(0);
  }
});
