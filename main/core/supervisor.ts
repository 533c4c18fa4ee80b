/**
 * The core behind a channel to its worker, as the shells see it (the `CoreApp` interface):
 * calls become messages `{id, name, input}` answered by `{id, result}`, events are pushed.
 * The calling thread only routes, so a 1.5 s export never stalls it.
 *
 * If the worker dies, the calls it was running are answered with an error (as data, like
 * every failure), the death is logged and a fresh worker opens the same data folder; calls
 * made meanwhile wait for it. A worker that keeps dying is not restarted for ever.
 */
import type { AppEvent, ErrorData, Result } from '../../core/contract';
import type { CoreApp, CoreOptions } from '../app';
import type { FromCore, ToCore } from './protocol';

/** One worker, whatever runs it (a Node worker thread, an Electron utility process). */
export interface CoreChannel {
  post(message: ToCore): void;
  onMessage(listener: (message: FromCore) => void): void;
  /** Called once when the worker has ended, for any reason; `detail` says why when known. */
  onExit(listener: (code: number, detail?: string) => void): void;
  kill(): void;
}

export type SpawnCore = () => CoreChannel;

/** The core could not start (its message is the one to show the user, e.g. a database too new). */
export class CoreStartError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CoreStartError';
  }
}

export interface SupervisedCore extends CoreApp {
  close(): Promise<void>;
  /** How many times a dead worker was replaced. */
  readonly restarts: number;
}

export interface SuperviseOptions {
  log?: (message: string) => void;
  /** Restarts allowed within `restartWindowMs` before the core is left down. */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** How long `close` waits for the worker to close the database before ending it. */
  closeTimeoutMs?: number;
}

const RESTARTED: ErrorData = {
  code: 'core_restarted',
  message: 'Ядро приложения аварийно завершилось и перезапущено. Действие могло не выполниться — проверьте результат и при необходимости повторите.',
};
const CLOSING: ErrorData = { code: 'core_closing', message: 'Приложение закрывается: действие не выполнено.' };

function failure(error: ErrorData): Result<unknown> {
  return { ok: false, error };
}

/** Starts a worker through `spawn` and resolves once its core has opened the data folder. */
export async function superviseCore(spawn: SpawnCore, dataDir: string, options: CoreOptions, settings: SuperviseOptions = {}): Promise<SupervisedCore> {
  const log = settings.log ?? ((m: string) => console.error(m));
  const maxRestarts = settings.maxRestarts ?? 3;
  const restartWindowMs = settings.restartWindowMs ?? 60_000;
  const closeTimeoutMs = settings.closeTimeoutMs ?? 5_000;

  const listeners = new Set<(e: AppEvent) => void>();
  const pending = new Map<number, (r: Result<unknown>) => void>();
  /** Calls made while a worker is starting; sent once it is ready. */
  let waiting: Extract<ToCore, { type: 'call' }>[] = [];
  let nextId = 1;
  let state: 'starting' | 'ready' | 'closing' | 'down' = 'starting';
  let down: ErrorData | null = null;
  let channel: CoreChannel | null = null;
  let exited: Promise<void> = Promise.resolve();
  const restartTimes: number[] = [];
  let restarts = 0;

  const answer = (id: number, result: Result<unknown>) => {
    const resolve = pending.get(id);
    pending.delete(id);
    resolve?.(result);
  };
  const failAll = (error: ErrorData) => {
    for (const id of [...pending.keys()]) answer(id, failure(error));
    waiting = [];
  };

  function launch(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const ch = spawn();
      channel = ch;
      let started = false;
      let failedStart: CoreStartError | null = null;
      let markExited!: () => void;
      exited = new Promise<void>((r) => (markExited = r));
      ch.onMessage((m) => {
        if (m.type === 'ready') {
          started = true;
          state = 'ready';
          for (const call of waiting) ch.post(call);
          waiting = [];
          resolve();
        } else if (m.type === 'failed') {
          failedStart = new CoreStartError(m.error.code, m.error.message);
          ch.kill();
        } else if (m.type === 'result') {
          answer(m.id, m.result);
        } else {
          for (const l of listeners) l(m.event);
        }
      });
      ch.onExit((code, detail) => {
        markExited();
        if (channel === ch) channel = null;
        if (!started) {
          reject(failedStart ?? new CoreStartError('start_failed', `Не удалось запустить ядро приложения (код ${code})${detail ? `: ${detail}` : '.'}`));
          return;
        }
        if (state === 'closing') return;
        log(`[ядро] рабочий процесс ядра завершился (код ${code})${detail ? `: ${detail}` : ''}`);
        restart();
      });
      ch.post({ type: 'start', dataDir, options });
    });
  }

  function restart(): void {
    const now = Date.now();
    while (restartTimes.length && now - restartTimes[0]! > restartWindowMs) restartTimes.shift();
    // Calls the dead worker had taken may or may not have run: say so; queued ones run after the restart.
    for (const id of [...pending.keys()]) if (!waiting.some((c) => c.id === id)) answer(id, failure(RESTARTED));
    if (restartTimes.length >= maxRestarts) {
      goDown('Ядро приложения снова аварийно завершилось и больше не перезапускается. Перезапустите программу.');
      return;
    }
    restartTimes.push(now);
    restarts++;
    state = 'starting';
    launch().then(
      () => log(`[ядро] перезапущено (${restarts}-й раз)`),
      (e: unknown) => goDown(e instanceof Error ? e.message : String(e)),
    );
  }

  function goDown(message: string): void {
    if (state === 'closing') return;
    log(`[ядро] ${message}`);
    state = 'down';
    down = { code: 'core_down', message };
    failAll(down);
  }

  await launch();

  return {
    get restarts() {
      return restarts;
    },
    call(name, input) {
      if (state === 'closing') return Promise.resolve(failure(CLOSING));
      if (state === 'down') return Promise.resolve(failure(down!));
      if (typeof name !== 'string') return Promise.resolve(failure({ code: 'unknown_call', message: 'Неизвестный вызов.' }));
      const id = nextId++;
      const message = { type: 'call' as const, id, name, input };
      return new Promise<Result<unknown>>((resolve) => {
        pending.set(id, resolve);
        if (state === 'ready' && channel) channel.post(message);
        else waiting.push(message);
      });
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (state === 'closing') return exited;
      state = 'closing';
      const ch = channel;
      if (ch) {
        ch.post({ type: 'close' });
        const timer = setTimeout(() => ch.kill(), closeTimeoutMs);
        await exited;
        clearTimeout(timer);
      }
      failAll(CLOSING);
    },
  };
}
