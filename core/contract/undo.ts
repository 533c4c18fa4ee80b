/** The undo history (core/undo): Ctrl+Z and Ctrl+Shift+Z take back or redo the last call that wrote. */
import { call } from './define';
import { z } from './common';
import type { UndoOutcome } from '../undo/history';

export const undoContract = {
  /** `step`: undo only that step, and only while it is the last (the toast after a delete). */
  'app.undo': call<UndoOutcome>()(z.strictObject({ step: z.number().int().positive().optional() })),
  'app.redo': call<UndoOutcome>()(z.strictObject({})),
};
