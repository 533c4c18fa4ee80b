import { useCallback } from 'react';
import type { Result } from '../../../core/contract';
import { useApp } from '../stores/app';

/**
 * Deletes after the caller's confirmation, then offers «Отменить» in a toast. The delete is
 * a step of the one undo history (core/undo): the toast takes back that step, as Ctrl+Z does.
 */
export function useUndoableDelete() {
  const toast = useApp((s) => s.toast);
  const toastUndoable = useApp((s) => s.toastUndoable);
  return useCallback(
    async (run: () => Promise<Result<unknown>>, message: string): Promise<boolean> => {
      const r = await run();
      if (!r.ok) {
        toast(r.error.message, { kind: 'error' });
        return false;
      }
      toastUndoable(message, r.step);
      return true;
    },
    [toast, toastUndoable],
  );
}
