import { create } from 'zustand';
import type { OutputOf } from '../../../core/contract';
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
  dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
}));
