import { useState } from 'react';
import type { SessionView } from '../../../../core/contract/auth';
import { ROLE_NAMES } from '../../../../core/rules/permissions';
import { t } from '../../i18n/ru';
import { useApp } from '../../stores/app';
import { useSession } from '../../stores/session';
import './auth.css';

/** The bottom of the sidebar: who is signed in, and sign-out in one click. */
export function AccountFoot({ session }: { session: SessionView }) {
  const run = useSession((x) => x.run);
  const toast = useApp((x) => x.toast);
  const [busy, setBusy] = useState(false);

  const signOut = async () => {
    setBusy(true);
    const error = await run('auth.signOut', {});
    setBusy(false);
    if (error) toast(error.message, { kind: 'error' });
  };

  return (
    <div className="account-foot">
      <div className="account-foot-who">
        <div className="account-foot-name">{session.name}</div>
        <div className="account-foot-role">{ROLE_NAMES[session.role]}</div>
      </div>
      <button type="button" className="account-foot-out" onClick={() => void signOut()} disabled={busy} title={t.auth.foot.signOutHint}>
        {t.auth.foot.signOut}
      </button>
    </div>
  );
}
