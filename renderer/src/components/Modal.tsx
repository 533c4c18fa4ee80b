import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { t } from '../i18n/ru';

interface ModalProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** Buttons at the bottom. */
  footer?: ReactNode;
  width?: number;
}

/**
 * A dialog over the page. Esc closes it; a click outside does not (so nothing typed is lost
 * by a stray click). Focus goes to the first field and comes back to where it was.
 */
export function Modal({ title, onClose, children, footer, width = 520 }: ModalProps) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  // Taken while rendering: by the time effects run, a control with autoFocus inside has the focus.
  const [before] = useState(() => document.activeElement as HTMLElement | null);

  useEffect(() => {
    // A control that focused itself (autoFocus) wins; otherwise the first field, else the main button.
    if (!box.current?.contains(document.activeElement)) {
      const first =
        box.current?.querySelector<HTMLElement>('.modal-body input:not([type=hidden]), .modal-body select, .modal-body textarea') ??
        box.current?.querySelector<HTMLElement>('.modal-foot button.primary');
      first?.focus();
    }
    return () => before?.focus?.();
  }, [before]);

  return createPortal(
    <div className="modal-backdrop">
      <div
        ref={box}
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        style={{ width: `min(${width}px, calc(100vw - 32px))` }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            closeRef.current();
          }
          if (e.key === 'Tab') trapTab(e, box.current);
        }}
      >
        <div className="modal-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon" aria-label={t.common.close} onClick={onClose}>
            ×
          </button>
        </div>
        <div className="modal-body">{children}</div>
        {footer && <div className="modal-foot">{footer}</div>}
      </div>
    </div>,
    document.body,
  );
}

function trapTab(e: React.KeyboardEvent, root: HTMLElement | null) {
  if (!root) return;
  const items = [...root.querySelectorAll<HTMLElement>('input, select, textarea, button, a[href], [tabindex]:not([tabindex="-1"])')].filter(
    (el) => !el.hasAttribute('disabled'),
  );
  if (!items.length) return;
  const first = items[0]!;
  const last = items[items.length - 1]!;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}
