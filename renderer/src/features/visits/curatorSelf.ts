/**
 * A signed-in curator keeps only their own journal and schedules (the core refuses another
 * curator's): the forms fix the curator to them and offer their own schools.
 */
import { useMemo } from 'react';
import { useSession } from '../../stores/session';

export interface CuratorSelf {
  personId: string;
  schoolIds: ReadonlySet<string>;
}

/** The signed-in curator, or null for other roles and before any account exists. */
export function useCuratorSelf(): CuratorSelf | null {
  const session = useSession((s) => s.auth?.session ?? null);
  return useMemo(() => {
    if (session?.role !== 'curator' || !session.personId) return null;
    return { personId: session.personId, schoolIds: new Set(session.ownSchoolIds) };
  }, [session]);
}
