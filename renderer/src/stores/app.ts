import { create } from 'zustand';
import type { OutputOf } from '../../../core/contract';
import type { TrashItem } from '../../../core/contract/app';
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
  /** The toast after a soft delete: its «Отменить» restores the row from the trash. */
  toastDeleted: (text: string, table: TrashItem['table'], id: string) => void;
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
  toastDeleted(text, table, id) {
    get().toast(text, {
      action: {
        label: t.common.undo,
        run: () => {
          void call('trash.restore', { table, id }).then((r) => {
            if (!r.ok) get().toast(r.error.message, { kind: 'error' });
          });
        },
      },
    });
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((toast) => toast.id !== id) }),
}));
