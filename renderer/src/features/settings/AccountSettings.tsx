import { useState, type FormEvent } from 'react';
import type { AuthState } from '../../../../core/contract/auth';
import { ROLE_NAMES } from '../../../../core/rules/permissions';
import { call } from '../../bridge';
import { Field } from '../../components/Field';
import { Facts } from '../../components/States';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { useSession } from '../../stores/session';
import { PasswordPair, checkPair, type PairErrors } from '../auth/PasswordPair';
import '../auth/auth.css';

const s = t.auth.settings;

/** Настройки → Учётная запись: who is signed in, the idle lock, the password, another account on this laptop. */
export function AccountSettings() {
  const auth = useSession((x) => x.auth);
  if (auth?.status !== 'signed_in' || !auth.session) return null;
  return (
    <div className="card">
      <h2 className="card-title">{s.title}</h2>
      <Facts
        items={[
          [s.signedInAs, `${auth.session.name} (${ROLE_NAMES[auth.session.role]})`],
          [s.others, auth.accounts.map((a) => `${a.name} (${ROLE_NAMES[a.role]})`).join('; ')],
        ]}
      />
      <IdleMinutes auth={auth} />
      <ChangePassword />
      <AddAccount />
    </div>
  );
}

function IdleMinutes({ auth }: { auth: AuthState }) {
  const run = useSession((x) => x.run);
  const toast = useApp((x) => x.toast);
  const [value, setValue] = useState(String(auth.idleMinutes));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const minutes = Number(value);
    setBusy(true);
    const failed = await run('auth.setIdleMinutes', { minutes: Number.isInteger(minutes) ? minutes : 0 });
    setBusy(false);
    setError(failed ? (failed.fields?.minutes ?? failed.message) : null);
    if (!failed) toast(s.idleSaved);
  }

  return (
    <form className="account-form" noValidate onSubmit={submit} aria-label={s.idle}>
      <Field label={s.idle} hint={t.auth.settings.idleHint} error={error ?? undefined}>
        {({ id, describedBy }) => (
          <div className="account-inline">
            <input
              id={id}
              className="narrow"
              inputMode="numeric"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              aria-invalid={!!error || undefined}
              aria-describedby={describedBy}
            />
            <button type="submit" disabled={busy || value === String(auth.idleMinutes)}>
              {t.common.save}
            </button>
          </div>
        )}
      </Field>
    </form>
  );
}

function ChangePassword() {
  const toast = useApp((x) => x.toast);
  const [oldPassword, setOld] = useState('');
  const [pair, setPair] = useState({ password: '', repeat: '' });
  const [errors, setErrors] = useState<PairErrors & { oldPassword?: string }>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = checkPair(pair);
    setErrors(found);
    setMessage(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    const r = await call('auth.changePassword', { oldPassword, newPassword: pair.password });
    setBusy(false);
    if (!r.ok) {
      const fields = r.error.fields ?? {};
      setErrors({ ...(fields.oldPassword ? { oldPassword: fields.oldPassword } : {}), ...(fields.newPassword ? { password: fields.newPassword } : {}) });
      if (!fields.oldPassword && !fields.newPassword) setMessage(r.error.message);
      return;
    }
    setOld('');
    setPair({ password: '', repeat: '' });
    toast(s.changed);
  }

  return (
    <form className="account-form" noValidate onSubmit={submit} aria-label={s.change}>
      <h3>{s.change}</h3>
      <Field label={s.oldPassword} error={errors.oldPassword} required>
        {({ id, describedBy }) => (
          <input
            id={id}
            type="password"
            autoComplete="current-password"
            value={oldPassword}
            onChange={(e) => setOld(e.target.value)}
            aria-invalid={!!errors.oldPassword || undefined}
            aria-describedby={describedBy}
          />
        )}
      </Field>
      <PasswordPair value={pair} onChange={setPair} errors={errors} labels={{ password: s.newPassword, repeat: s.repeat }} autoComplete="new-password" />
      {message && (
        <div className="form-error" role="alert">
          {message}
        </div>
      )}
      <button type="submit" disabled={busy}>
        {busy ? t.common.saving : s.changeSubmit}
      </button>
    </form>
  );
}

function AddAccount() {
  const run = useSession((x) => x.run);
  const toast = useApp((x) => x.toast);
  const [code, setCode] = useState('');
  const [pair, setPair] = useState({ password: '', repeat: '' });
  const [errors, setErrors] = useState<PairErrors & { code?: string }>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found: typeof errors = checkPair(pair);
    if (code.trim().length < 4) found.code = t.auth.first.required;
    setErrors(found);
    setMessage(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    const failed = await run('auth.addAccount', { code, password: pair.password });
    setBusy(false);
    if (failed) {
      setErrors({ ...(failed.fields?.code ? { code: failed.fields.code } : {}), ...(failed.fields?.password ? { password: failed.fields.password } : {}) });
      return setMessage(failed.fields?.code || failed.fields?.password ? null : failed.message);
    }
    // The core signs the new account in: the screens now show what it may do.
    toast(s.added(useSession.getState().auth?.session?.name ?? ''));
  }

  return (
    <form className="account-form" noValidate onSubmit={submit} aria-label={s.add}>
      <h3>{s.add}</h3>
      <p className="muted intro">{s.addIntro}</p>
      <Field label={s.code} error={errors.code} required>
        {({ id, describedBy }) => (
          <input
            id={id}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            placeholder={s.codePlaceholder}
            autoComplete="off"
            aria-invalid={!!errors.code || undefined}
            aria-describedby={describedBy}
          />
        )}
      </Field>
      <PasswordPair value={pair} onChange={setPair} errors={errors} labels={{ password: s.addPassword, repeat: s.addRepeat }} autoComplete="new-password" />
      {message && (
        <div className="form-error" role="alert">
          {message}
        </div>
      )}
      <button type="submit" disabled={busy}>
        {busy ? t.common.saving : s.addSubmit}
      </button>
    </form>
  );
}
