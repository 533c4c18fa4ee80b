import { useCallback, useRef, useState, type ReactNode } from 'react';
import { t } from '../i18n/ru';
import { Modal } from './Modal';

export interface ConfirmOptions {
  text: ReactNode;
  title?: ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  /** A destructive action: its button is red, and focus starts on the safe one, so Enter never destroys. */
  danger?: boolean;
}

/**
 * `const [dialog, confirm] = useConfirm();` — render `dialog` somewhere, then
 * `if (await confirm({ text })) …`. Resolves false on Cancel or Esc.
 */
export function useConfirm(): [ReactNode, (options: ConfirmOptions) => Promise<boolean>] {
  const [options, setOptions] = useState<ConfirmOptions | null>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);

  const confirm = useCallback(
    (o: ConfirmOptions) =>
      new Promise<boolean>((resolve) => {
        resolver.current = resolve;
        setOptions(o);
      }),
    [],
  );

  const close = (ok: boolean) => {
    resolver.current?.(ok);
    resolver.current = null;
    setOptions(null);
  };

  const dialog = options ? (
    <Modal
      title={options.title ?? t.common.confirmTitle}
      onClose={() => close(false)}
      width={440}
      footer={
        <>
          <button type="button" autoFocus={!!options.danger} onClick={() => close(false)}>
            {options.cancelLabel ?? t.common.cancel}
          </button>
          <button type="button" className={options.danger ? 'primary danger-fill' : 'primary'} autoFocus={!options.danger} onClick={() => close(true)}>
            {options.confirmLabel ?? t.common.yes}
          </button>
        </>
      }
    >
      <p className="confirm-text">{options.text}</p>
    </Modal>
  ) : null;

  return [dialog, confirm];
}
