import { useEffect } from 'react';
import { useApp } from '../stores/app';

/** Text being typed has its own undo (the browser's); Ctrl+Z there must not take back a saved call. */
function isTextEditing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(target.type);
}

/**
 * Ctrl+Z takes back the last change (a grid cell, a form saved, a delete) and Ctrl+Shift+Z
 * (or Ctrl+Y) redoes it, anywhere in the window outside a text field, each with a toast.
 */
export function useUndoShortcuts(): void {
  const undo = useApp((s) => s.undo);
  const redo = useApp((s) => s.redo);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !(e.ctrlKey || e.metaKey) || e.altKey || isTextEditing(e.target)) return;
      // By the key's position too (e.code): Ctrl+Я on a Russian layout is the same key as Ctrl+Z.
      const z = e.code === 'KeyZ' || e.key.toLowerCase() === 'z';
      const y = e.code === 'KeyY' || e.key.toLowerCase() === 'y';
      if (z && !e.shiftKey) {
        e.preventDefault();
        void undo();
      } else if ((z && e.shiftKey) || (y && !e.shiftKey)) {
        e.preventDefault();
        void redo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo]);
}
