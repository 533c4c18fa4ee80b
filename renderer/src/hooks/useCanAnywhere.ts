/**
 * May the signed-in account do this at some school? For a control that opens a form where
 * the school is chosen (a new visit, a new schedule): a curator may when any school is theirs
 * today; the form's own school is then decided by useCan and, finally, by the core.
 */
import { decide, grantOf, PERMISSIONS, ROLE_NAMES, type Action, type Decision } from '../../../core/rules/permissions';
import { useSession } from '../stores/session';

export interface AnywhereDecision {
  decision: Decision;
  /** The role may never do it (a viewer): the control is better hidden than disabled. */
  never: boolean;
}

const ALLOWED: AnywhereDecision = { decision: { allowed: true }, never: false };

export function useCanAnywhere(action: Action): AnywhereDecision {
  const session = useSession((s) => s.auth?.session ?? null);
  if (!session) return ALLOWED;
  const grant = grantOf(session.role, action);
  if (grant === 'any') return ALLOWED;
  if (grant === null) return { decision: decide({ role: session.role, personId: session.personId }, action), never: true };
  if (session.personId && session.ownSchoolIds.length > 0) return ALLOWED;
  const what = PERMISSIONS[action].title.toLowerCase();
  const who = ROLE_NAMES[session.role].charAt(0).toUpperCase() + ROLE_NAMES[session.role].slice(1);
  return { decision: { allowed: false, reason: `${who} может ${what} только по своим школам, а сейчас за вами не закреплена ни одна школа.` }, never: false };
}
