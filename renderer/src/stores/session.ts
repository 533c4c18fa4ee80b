/**
 * Who is signed in on this laptop, as the screens need it: the core's AuthState, refreshed
 * after every auth call. The sign-in gate (features/auth) renders from it.
 */
import { create } from 'zustand';
import type { AuthState } from '../../../core/contract/auth';
import type { CallName, InputOf } from '../../../core/contract';
import { call } from '../bridge';

type AuthCallName = Extract<CallName, `auth.${string}`>;

interface SessionState {
  auth: AuthState | null;
  error: string | null;
  refresh: () => Promise<void>;
  /** Runs an auth call that answers with AuthState; its error message, if any, is returned for the form. */
  run: <N extends Exclude<AuthCallName, 'auth.issueCode' | 'auth.changePassword'>>(name: N, input: InputOf<N>) => Promise<string | null>;
}

export const useSession = create<SessionState>((set) => ({
  auth: null,
  error: null,
  async refresh() {
    const r = await call('auth.state', {});
    if (r.ok) set({ auth: r.value, error: null });
    else set({ error: r.error.message });
  },
  async run(name, input) {
    const r = await call(name, input);
    if (!r.ok) return r.error.message;
    set({ auth: r.value as AuthState, error: null });
    return null;
  },
}));
