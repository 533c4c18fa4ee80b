import { undoContract } from '../contract/undo';
import { redo, undo } from '../undo/history';
import type { Handlers } from './types';

export const undoHandlers: Handlers<typeof undoContract> = {
  'app.undo': ({ step }, ctx) => undo(ctx.store, step),
  'app.redo': (_i, ctx) => redo(ctx.store),
};
