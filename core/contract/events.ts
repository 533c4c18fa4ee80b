/** Events the core pushes to the renderer (IPC or WebSocket). */
export type AppEvent =
  /** `tables`: every table the change wrote (never empty; an event is sent only when something was written). */
  | { type: 'data.changed'; tables: string[] }
  | { type: 'sync.state'; state: unknown }
  | { type: 'progress'; task: string; done: number; total: number; label?: string };

/**
 * Whether a data change concerns a result read from the tables `reads` (a call's `reads`): yes
 * when the change wrote one of them, and also when what the result was read from is unknown.
 */
export function changeConcerns(reads: readonly string[] | undefined, changed: readonly string[]): boolean {
  if (!reads || reads.length === 0) return true;
  return changed.some((table) => reads.includes(table));
}
