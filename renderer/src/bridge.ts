/**
 * The renderer's one way to the core. In Electron it is `window.api` (preload, IPC);
 * in browser mode it is HTTP + WebSocket to the local host with the session token.
 * Either way the calls and their types come from the one contract.
 */
import type { AppEvent, CallName, ErrorData, InputOf, OutputOf, Result } from '../../core/contract';

export interface Api {
  invoke(name: string, input: unknown): Promise<Result<unknown>>;
  on(listener: (e: AppEvent) => void): () => void;
}

declare global {
  interface Window {
    api?: Api;
  }
}

const TOKEN_KEY = 'shnor.token';

function sessionToken(): string {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}${window.location.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function httpApi(): Api {
  const token = sessionToken();
  const listeners = new Set<(e: AppEvent) => void>();
  let socket: WebSocket | null = null;
  const connect = () => {
    const proto = window.location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${proto}://${window.location.host}/api/events?token=${encodeURIComponent(token)}`);
    socket.onmessage = (m) => {
      const event = JSON.parse(String(m.data)) as AppEvent;
      for (const l of listeners) l(event);
    };
    socket.onclose = () => {
      socket = null;
      if (listeners.size) setTimeout(connect, 1000);
    };
  };
  return {
    async invoke(name, input) {
      try {
        const res = await fetch(`/api/call/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
        return (await res.json()) as Result<unknown>;
      } catch {
        return { ok: false, error: { code: 'offline', message: 'Нет связи с приложением. Перезапустите его; введённые данные остались в форме.' } };
      }
    },
    on(listener) {
      listeners.add(listener);
      if (!socket) connect();
      return () => listeners.delete(listener);
    },
  };
}

const api: Api = window.api ?? httpApi();

const lockedListeners = new Set<() => void>();

/**
 * Called when any call is refused because nobody is signed in (the idle lock of another
 * window, a sign-out elsewhere): the session store listens and shows the sign-in screen.
 */
export function onLocked(listener: () => void): () => void {
  lockedListeners.add(listener);
  return () => lockedListeners.delete(listener);
}

export async function call<N extends CallName>(name: N, input: InputOf<N>): Promise<Result<OutputOf<N>>> {
  const r = (await api.invoke(name, input)) as Result<OutputOf<N>>;
  if (!r.ok && r.error.code === 'locked') for (const l of lockedListeners) l();
  return r;
}

export class CallError extends Error {
  constructor(readonly error: ErrorData) {
    super(error.message);
  }
}

/** For reads where a failure is shown by the screen's error boundary. */
export async function get<N extends CallName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const r = await call(name, input);
  if (!r.ok) throw new CallError(r.error);
  return r.value;
}

/** Like `get`, with the tables the result was read from (see `changeConcerns`). */
export async function getWithReads<N extends CallName>(name: N, input: InputOf<N>): Promise<{ value: OutputOf<N>; reads: string[] | undefined }> {
  const r = await call(name, input);
  if (!r.ok) throw new CallError(r.error);
  return { value: r.value, reads: r.reads };
}

export const onEvent = (listener: (e: AppEvent) => void): (() => void) => api.on(listener);
