import { useId, useRef, useState, type FormEvent } from 'react';
import type { AuthState } from '../../../../core/contract/auth';
import { ROLE_NAMES } from '../../../../core/rules/permissions';
import { t } from '../../i18n/ru';
import { useSession } from '../../stores/session';
import { useConfirm } from '../../components/ConfirmDialog';
import './auth.css';

const s = t.auth.signIn;

/**
 * The locked laptop: its accounts as big buttons (the last one to sign in comes first and is
 * chosen), the password, Enter signs in. Works offline: the password unwraps the data key.
 */
export function SignInScreen({ auth }: { auth: AuthState }) {
  const run = useSession((x) => x.run);
  const [accountId, setAccountId] = useState(auth.accounts[0]?.id ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [forgot, setForgot] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const passwordId = useId();
  const errorId = useId();
  const [dialog, confirm] = useConfirm();

  async function startOver() {
    if (!(await confirm({ text: s.startOverConfirm, confirmLabel: s.startOverButton, danger: true }))) return;
    const failed = await run('auth.startOver', { confirm: true });
    if (failed) setError(failed.message);
  }

  const choose = (id: string) => {
    setAccountId(id);
    setError(null);
    input.current?.focus();
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!password) {
      setError(s.empty);
      return;
    }
    setBusy(true);
    const failed = await run('auth.signIn', { accountId, password });
    setBusy(false);
    if (failed) {
      setError(failed.message);
      setPassword('');
      input.current?.focus();
    }
  }

  return (
    <div className="setup">
      <div className="setup-card auth-card">
        <div className="setup-brand">500+</div>
        <h1>{s.title}</h1>
        <p className="muted">{s.intro}</p>
        <form onSubmit={submit} noValidate>
          <div className="auth-accounts" role="radiogroup" aria-label={s.accounts}>
            {auth.accounts.map((a) => (
              <button
                key={a.id}
                type="button"
                role="radio"
                aria-checked={a.id === accountId}
                className={a.id === accountId ? 'auth-account chosen' : 'auth-account'}
                onClick={() => choose(a.id)}
              >
                <span className="auth-account-name">{a.name}</span>
                <span className="auth-account-role">{ROLE_NAMES[a.role]}</span>
              </button>
            ))}
          </div>
          <div className="field">
            <label htmlFor={passwordId}>{s.password}</label>
            <input
              ref={input}
              id={passwordId}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={!!error || undefined}
              aria-describedby={error ? errorId : undefined}
              autoFocus
            />
            {error && (
              <span className="field-error" id={errorId} role="alert">
                {error}
              </span>
            )}
          </div>
          <div className="auth-actions">
            <button type="submit" className="primary" disabled={busy || !accountId}>
              {busy ? s.busy : s.submit}
            </button>
            <button type="button" className="link" aria-expanded={forgot} onClick={() => setForgot(!forgot)}>
              {s.forgot}
            </button>
          </div>
          {forgot && (
            <div className="auth-note">
              <p>{s.forgotText}</p>
              <p>{s.startOverText}</p>
              <button type="button" onClick={() => void startOver()}>
                {s.startOver}
              </button>
            </div>
          )}
        </form>
        {dialog}
      </div>
    </div>
  );
}
