import { useState } from 'react';
import type { IssuedCode } from '../../../../core/contract/auth';
import { ROLE_NAMES, type DistrictRole } from '../../../../core/rules/permissions';
import { call } from '../../bridge';
import { Modal } from '../../components/Modal';
import { districtDateTime } from '../../clock';
import { disabledBy, useCan } from '../../hooks/useCan';
import { t } from '../../i18n/ru';
import './auth.css';

const s = t.auth.issue;

const CHOICES: DistrictRole[] = ['curator', 'viewer', 'coordinator'];

interface Person {
  id: string;
  name: string;
  is_coordinator: number;
  is_curator: number;
}

/** The role a person's flags suggest: a curator's account for a curator, and so on. */
const suggested = (p: Person): DistrictRole => (p.is_curator ? 'curator' : p.is_coordinator ? 'coordinator' : 'viewer');

/**
 * On a person's card, for the coordinator: a one-time code that binds a laptop to this
 * person's account with the chosen role (a new account, or a forgotten password replaced).
 */
export function IssueCodeButton({ person }: { person: Person }) {
  const can = disabledBy(useCan('people.edit'));
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} {...can}>
        {s.button}
      </button>
      {open && <IssueCodeDialog person={person} onClose={() => setOpen(false)} />}
    </>
  );
}

function IssueCodeDialog({ person, onClose }: { person: Person; onClose: () => void }) {
  const [role, setRole] = useState<DistrictRole>(suggested(person));
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const issue = async () => {
    setBusy(true);
    setError(null);
    const r = await call('auth.issueCode', { personId: person.id, role });
    setBusy(false);
    if (r.ok) setIssued(r.value);
    else setError(r.error.message);
  };

  const footer = issued ? (
    <button type="button" className="primary" onClick={onClose}>
      {s.close}
    </button>
  ) : (
    <>
      <button type="button" onClick={onClose}>
        {t.common.cancel}
      </button>
      <button type="button" className="primary" onClick={() => void issue()} disabled={busy}>
        {busy ? s.busy : s.submit}
      </button>
    </>
  );

  return (
    <Modal title={s.title} onClose={onClose} footer={footer}>
      {issued ? (
        <div className="issued-code">
          <div className="muted">
            {issued.personName} · {ROLE_NAMES[issued.role]}
          </div>
          <output className="issued-code-value" aria-label={s.title}>
            {issued.code}
          </output>
          <div>{s.expires(districtDateTime(issued.expiresAt))}</div>
          <p className="setup-notice">{s.once}</p>
          {issued.via === 'package' && <p className="setup-notice">{s.viaPackage}</p>}
        </div>
      ) : (
        <>
          <p className="muted auth-intro">{s.intro(person.name)}</p>
          <fieldset className="auth-who">
            <legend className="setup-step">{s.role}</legend>
            {CHOICES.map((r) => (
              <label key={r} className="auth-choice">
                <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} />
                <span>{ROLE_NAMES[r]}</span>
              </label>
            ))}
          </fieldset>
          {error && (
            <div className="form-error" role="alert">
              {error}
            </div>
          )}
        </>
      )}
    </Modal>
  );
}
