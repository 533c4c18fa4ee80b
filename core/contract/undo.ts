/** The undo history (core/undo): Ctrl+Z and Ctrl+Shift+Z take back or redo the last call that wrote. */
import { call } from './define';
import { z } from './common';
import type { UndoOutcome } from '../undo/history';

export const undoContract = {
  'app.undo': call<UndoOutcome>()(z.strictObject({})),
  'app.redo': call<UndoOutcome>()(z.strictObject({})),
};
