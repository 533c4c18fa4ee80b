import { useRef, type ReactNode } from 'react';
import { t } from '../i18n/ru';
import { useConfirm } from './ConfirmDialog';

/**
 * The one way every form closes (Esc, «Отмена», the dialog's ×): a form without changes
 * closes at once; with unsaved changes it asks first, focus on «Вернуться к форме».
 * Returns the question's dialog (render it inside the form) and the guarded close.
 */
export function useCloseGuard(dirty: boolean, close: () => void): [ReactNode, () => void] {
  const [dialog, confirm] = useConfirm();
  const u = t.common.unsaved;
  const request = () => {
    if (!dirty) return close();
    void confirm({ title: u.title, text: u.text, confirmLabel: u.discard, cancelLabel: u.keep, danger: true }).then((discard) => {
      if (discard) close();
    });
  };
  return [dialog, request];
}

/**
 * For forms kept in plain state: whether `values` differ from what the form showed once
 * `loaded` (a form filled by a call after it opens passes false until the record is in).
 */
export function useChangedSinceOpen(values: unknown, loaded = true): boolean {
  const opened = useRef<string | null>(null);
  const now = JSON.stringify(values);
  if (loaded && opened.current === null) opened.current = now;
  return opened.current !== null && now !== opened.current;
}
