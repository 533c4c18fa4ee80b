/**
 * The only bridge between the sandboxed renderer and the main process: `window.api` with
 * `invoke` (one contract call) and `on` (core events). Nothing else is exposed — no
 * ipcRenderer, no Node. Matches `Api` in renderer/src/bridge.ts.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppEvent, Result } from '../core/contract';

contextBridge.exposeInMainWorld('api', {
  invoke: (name: string, input: unknown): Promise<Result<unknown>> => ipcRenderer.invoke('call', String(name), input),
  on(listener: (e: AppEvent) => void): () => void {
    const handler = (_e: IpcRendererEvent, event: AppEvent) => listener(event);
    ipcRenderer.on('event', handler);
    return () => {
      ipcRenderer.removeListener('event', handler);
    };
  },
});
