import { useCallback } from 'react';
import type { ErrorData } from '../../../../core/contract';
import type { TrashItem } from '../../../../core/contract/app';
import { call } from '../../bridge';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';

/**
 * Deletes after the caller's confirmation, then offers «Отменить» in a toast: the row
 * went to the trash (a soft delete), so undo is a restore.
 */
export function useUndoableDelete() {
  const toast = useApp((s) => s.toast);
  return useCallback(
    async (run: () => Promise<{ ok: true } | { ok: false; error: ErrorData }>, table: TrashItem['table'], id: string, message: string): Promise<boolean> => {
      const r = await run();
      if (!r.ok) {
        toast(r.error.message, { kind: 'error' });
        return false;
      }
      toast(message, {
        action: {
          label: t.common.undo,
          run: () => {
            void call('trash.restore', { table, id }).then((res) => {
              if (!res.ok) toast(res.error.message, { kind: 'error' });
            });
          },
        },
      });
      return true;
    },
    [toast],
  );
}
