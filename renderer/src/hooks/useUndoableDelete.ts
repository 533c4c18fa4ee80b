import { useCallback } from 'react';
import type { ErrorData } from '../../../core/contract';
import type { TrashItem } from '../../../core/contract/app';
import { useApp } from '../stores/app';

/**
 * Deletes after the caller's confirmation, then offers «Отменить» in a toast: the row
 * went to the trash (a soft delete), so undo is a restore.
 */
export function useUndoableDelete() {
  const toast = useApp((s) => s.toast);
  const toastDeleted = useApp((s) => s.toastDeleted);
  return useCallback(
    async (run: () => Promise<{ ok: true } | { ok: false; error: ErrorData }>, table: TrashItem['table'], id: string, message: string): Promise<boolean> => {
      const r = await run();
      if (!r.ok) {
        toast(r.error.message, { kind: 'error' });
        return false;
      }
      toastDeleted(message, table, id);
      return true;
    },
    [toast, toastDeleted],
  );
}
