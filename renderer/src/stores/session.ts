/**
 * Who is signed in on this laptop, as the screens need it: the core's AuthState, refreshed
 * after every auth call. The sign-in gate (features/auth) renders from it.
 */
import { create } from 'zustand';
import type { AuthState } from '../../../core/contract/auth';
import type { CallName, ErrorData, InputOf } from '../../../core/contract';
import { call, onLocked } from '../bridge';
import { useApp } from './app';

type AuthCallName = Extract<CallName, `auth.${string}`>;

interface SessionState {
  auth: AuthState | null;
  error: string | null;
  refresh: () => Promise<void>;
  /** Runs an auth call that answers with AuthState; its error, if any, is returned for the form. */
  run: <N extends Exclude<AuthCallName, 'auth.issueCode' | 'auth.changePassword'>>(name: N, input: InputOf<N>) => Promise<ErrorData | null>;
}

/** A sign-in, a new account or a first account can change the district data the screens show. */
async function adopt(auth: AuthState): Promise<void> {
  if (auth.status !== 'locked') await useApp.getState().refreshInfo();
}

export const useSession = create<SessionState>((set) => ({
  auth: null,
  error: null,
  async refresh() {
    const r = await call('auth.state', {});
    if (!r.ok) return set({ error: r.error.message });
    await adopt(r.value);
    set({ auth: r.value, error: null });
  },
  async run(name, input) {
    const r = await call(name, input);
    if (!r.ok) return r.error;
    const auth = r.value as AuthState;
    await adopt(auth);
    set({ auth, error: null });
    return null;
  },
}));

// One refresh at a time, however many calls were refused at once.
let refreshing: Promise<void> | null = null;
onLocked(() => {
  refreshing ??= useSession
    .getState()
    .refresh()
    .finally(() => {
      refreshing = null;
    });
});
