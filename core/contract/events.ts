/** Events the core pushes to the renderer (IPC or WebSocket). */
export type AppEvent =
  | { type: 'data.changed'; tables: string[] }
  | { type: 'sync.state'; state: unknown }
  | { type: 'progress'; task: string; done: number; total: number; label?: string };
