/**
 * May the signed-in account do this here? The permissions rule itself (core/rules/permissions.ts),
 * decided on screen with the schools assigned to the account today, so a control is disabled
 * with the same reason the core would refuse with. Before any account exists (a database from
 * before accounts) everything is allowed, as the core allows it.
 */
import { decide, type Action, type Decision } from '../../../core/rules/permissions';
import { useSession } from '../stores/session';
import { districtToday } from '../clock';

const ALLOWED: Decision = { allowed: true };

export function useCan(action: Action, schoolId?: string | null): Decision {
  const session = useSession((s) => s.auth?.session ?? null);
  if (!session) return ALLOWED;
  const today = districtToday();
  const actor = { role: session.role, personId: session.personId };
  const scope =
    schoolId && session.personId
      ? {
          schoolId,
          day: today,
          assignments: session.ownSchoolIds.map((school_id) => ({ curator_id: session.personId!, school_id, date_from: today, date_to: null })),
        }
      : undefined;
  return decide(actor, action, scope);
}

/** Props that disable a control the account may not use, with the reason on hover. */
export function disabledBy(decision: Decision): { disabled?: true; title?: string } {
  return decision.allowed ? {} : { disabled: true, title: decision.reason };
}
