/**
 * May this session do an action at some school? The pure rule behind useCanAnywhere: for a
 * control that opens a form where the school is chosen (a new visit, a new schedule), a curator
 * may when any school is theirs today; the form's own school is then decided by useCan and,
 * finally, by the core.
 */
import type { SessionView } from '../../../core/contract/auth';
import { decide, grantOf, PERMISSIONS, ROLE_NAMES, type Action, type Decision } from '../../../core/rules/permissions';

export interface AnywhereDecision {
  decision: Decision;
  /** The role may never do it (a viewer): the control is better hidden than disabled. */
  never: boolean;
}

const ALLOWED: AnywhereDecision = { decision: { allowed: true }, never: false };

/** The rule behind useCanAnywhere, for a session as the core reports it (null: no account on this laptop yet). */
export function canAnywhere(session: Pick<SessionView, 'role' | 'personId' | 'ownSchoolIds'> | null, action: Action): AnywhereDecision {
  if (!session) return ALLOWED;
  const grant = grantOf(session.role, action);
  if (grant === 'any') return ALLOWED;
  if (grant === null) return { decision: decide({ role: session.role, personId: session.personId }, action), never: true };
  if (session.personId && session.ownSchoolIds.length > 0) return ALLOWED;
  const what = PERMISSIONS[action].title.toLowerCase();
  const who = ROLE_NAMES[session.role].charAt(0).toUpperCase() + ROLE_NAMES[session.role].slice(1);
  return { decision: { allowed: false, reason: `${who} может ${what} только по своим школам, а сейчас за вами не закреплена ни одна школа.` }, never: false };
}
