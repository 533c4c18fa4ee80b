import { useEffect, useState, type FormEvent } from 'react';
import type { PersonListRow } from '../../../../core/contract/people';
import { ROLE_NAMES } from '../../../../core/rules/permissions';
import { personShort } from '../../../../core/format';
import { call } from '../../bridge';
import { Field } from '../../components/Field';
import { t } from '../../i18n/ru';
import { useSession } from '../../stores/session';
import { PasswordPair, checkPair, type PairErrors } from './PasswordPair';
import './auth.css';

const s = t.auth.first;
const NOT_LISTED = 'new';

/**
 * A district on this laptop but no account yet (a database from before accounts, a district
 * just created, the demo loaded from the first-run screen): the coordinator makes the first
 * account, choosing themself among the district's coordinators or typing their name.
 * Creating it encrypts the database (the core makes a backup copy first).
 */
export function FirstAccountScreen() {
  const run = useSession((x) => x.run);
  const refresh = useSession((x) => x.refresh);
  const pending = useSession((x) => x.auth?.pending ?? null);
  const [coordinators, setCoordinators] = useState<PersonListRow[] | null>(null);
  const [who, setWho] = useState('');
  const [name, setName] = useState({ last_name: '', first_name: '', middle_name: '' });
  const [pair, setPair] = useState({ password: '', repeat: '' });
  const [errors, setErrors] = useState<PairErrors & { who?: string; last_name?: string; first_name?: string }>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The district may have just arrived (joined with a person's code): whose laptop it is now.
  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    if (pending) return;
    void call('people.list', { role: 'coordinator', limit: 50 }).then((r) => {
      const rows = r.ok ? r.value.rows : [];
      setCoordinators(rows);
      setWho(rows.length === 1 ? rows[0]!.id : rows.length === 0 ? NOT_LISTED : '');
    });
  }, [pending]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found: typeof errors = checkPair(pair);
    if (!who && !pending) found.who = s.chooseWho;
    const typed = !pending && who === NOT_LISTED;
    if (typed && !name.last_name.trim()) found.last_name = s.required;
    if (typed && !name.first_name.trim()) found.first_name = s.required;
    setErrors(found);
    setMessage(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    const error = await run('auth.createFirst', {
      password: pair.password,
      // A laptop enrolled with a person's code already knows whose account it is.
      ...(pending
        ? {}
        : typed
        ? { person: { last_name: name.last_name, first_name: name.first_name, ...(name.middle_name.trim() ? { middle_name: name.middle_name } : {}) } }
        : { personId: who }),
    });
    setBusy(false);
    if (error) setMessage(error.fields?.password ?? error.message);
  }

  const nameField = (key: keyof typeof name, label: string, error?: string) => (
    <Field label={label} error={error} required={key !== 'middle_name'}>
      {({ id, describedBy }) => (
        <input
          id={id}
          value={name[key]}
          onChange={(e) => setName({ ...name, [key]: e.target.value })}
          aria-invalid={!!error || undefined}
          aria-describedby={describedBy}
          autoComplete="off"
        />
      )}
    </Field>
  );

  return (
    <div className="setup">
      <div className="setup-card auth-card">
        <div className="setup-brand">500+</div>
        <h1>{pending ? s.pendingTitle : s.title}</h1>
        <p className="muted">{pending ? s.pendingIntro(pending.name, ROLE_NAMES[pending.role]) : s.intro}</p>
        <form onSubmit={submit} noValidate>
          {!pending && <WhoChoice coordinators={coordinators} who={who} onChange={setWho} error={errors.who} />}
          {!pending && who === NOT_LISTED && (
            <div className="auth-name">
              {nameField('last_name', s.lastName, errors.last_name)}
              {nameField('first_name', s.firstName, errors.first_name)}
              {nameField('middle_name', s.middleName)}
            </div>
          )}
          <PasswordPair value={pair} onChange={setPair} errors={errors} labels={{ password: s.password, repeat: s.repeat }} hint={s.passwordHint} autoComplete="new-password" />
          <p className="setup-notice">{s.encryption}</p>
          {message && (
            <div className="form-error" role="alert">
              {message}
            </div>
          )}
          <button type="submit" className="primary" disabled={busy || (!pending && coordinators === null)}>
            {busy ? s.busy : s.submit}
          </button>
        </form>
      </div>
    </div>
  );
}

/** The coordinator picks themself among the district's coordinators, or says they are not listed. */
function WhoChoice({ coordinators, who, onChange, error }: { coordinators: PersonListRow[] | null; who: string; onChange: (who: string) => void; error: string | undefined }) {
  return (
    <fieldset className="auth-who" aria-describedby={error ? 'auth-who-error' : undefined}>
      <legend className="setup-step">{s.who}</legend>
      {coordinators === null && <div className="muted">{t.common.loading}</div>}
      {coordinators?.length === 0 && <p className="muted small">{s.noCoordinators}</p>}
      {coordinators?.map((p) => (
        <label key={p.id} className="auth-choice">
          <input type="radio" name="who" value={p.id} checked={who === p.id} onChange={() => onChange(p.id)} />
          <span>
            {personShort(p)}
            {p.position && <span className="muted small"> · {p.position}</span>}
          </span>
        </label>
      ))}
      {!!coordinators?.length && (
        <label className="auth-choice">
          <input type="radio" name="who" value={NOT_LISTED} checked={who === NOT_LISTED} onChange={() => onChange(NOT_LISTED)} />
          <span>{s.notListed}</span>
        </label>
      )}
      {error && (
        <span className="field-error" id="auth-who-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}
