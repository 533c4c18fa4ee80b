/**
 * The messages between a shell's thread and the core's worker. Both sides are our own code
 * in one build, so the types are the check; nothing here crosses a trust boundary.
 */
import type { AppEvent, ErrorData, Result } from '../../core/contract';
import type { CoreOptions } from '../app';

export type ToCore =
  | { type: 'start'; dataDir: string; options: CoreOptions }
  | { type: 'call'; id: number; name: string; input: unknown }
  | { type: 'close' };

export type FromCore =
  | { type: 'ready' }
  | { type: 'failed'; error: ErrorData }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: AppEvent };
