import { create } from 'zustand';
import type { OutputOf } from '../../../core/contract';
import { t } from '../i18n/ru';
import { call } from '../bridge';

type AppInfo = OutputOf<'app.info'>;

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
  action?: { label: string; run: () => void };
}

interface AppState {
  info: AppInfo | null;
  loadError: string | null;
  toasts: Toast[];
  refreshInfo: () => Promise<void>;
  setInfo: (info: AppInfo) => void;
  toast: (text: string, options?: { kind?: Toast['kind']; action?: Toast['action'] }) => void;
  /** The toast after a call that wrote (a delete): its «Отменить» takes back that call's undo step. */
  toastUndoable: (text: string, step: number | undefined) => void;
  /** Takes back the last undo step (or only `step`, while it is the last) and says what was undone. */
  undo: (step?: number) => Promise<void>;
  /** Redoes the last undone step and says what came back. */
  redo: () => Promise<void>;
  dismiss: (id: number) => void;
}

let nextToast = 1;

export const useApp = create<AppState>((set, get) => ({
  info: null,
  loadError: null,
  toasts: [],
  async refreshInfo() {
    const r = await call('app.info', {});
    if (r.ok) set({ info: r.value, loadError: null });
    else set({ loadError: r.error.message });
  },
  setInfo: (info) => set({ info }),
  toast(text, options = {}) {
    const id = nextToast++;
    set({ toasts: [...get().toasts, { id, text, kind: options.kind ?? 'info', ...(options.action ? { action: options.action } : {}) }] });
    setTimeout(() => get().dismiss(id), 8000);
  },
  toastUndoable(text, step) {
    get().toast(text, step === undefined ? {} : { action: { label: t.common.undo, run: () => void get().undo(step) } });
  },
  async undo(step) {
    const r = await call('app.undo', step === undefined ? {} : { step });
    if (!r.ok) get().toast(r.error.message, { kind: 'error' });
    else get().toast(r.value.message, r.value.done ? { action: { label: t.undo.redo, run: () => void get().redo() } } : {});
  },
  async redo() {
    const r = await call('app.redo', {});
    if (!r.ok) get().toast(r.error.message, { kind: 'error' });
    else get().toast(r.value.message, r.value.done ? { action: { label: t.common.undo, run: () => void get().undo() } } : {});
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((toast) => toast.id !== id) }),
}));
