/**
 * The school of the programme page being shown, so the panels and threads inside it ask the
 * permissions rule about that school (a curator acts only on their own schools) without
 * every component passing the id down.
 */
import { createContext, useContext } from 'react';
import type { Action, Decision } from '../../../../core/rules/permissions';
import { useCan } from '../../hooks/useCan';
import { useSession } from '../../stores/session';

export const PageSchool = createContext<string | null>(null);

/** May the signed-in account do `action` at the page's school? */
export function useCanHere(action: Action): Decision {
  return useCan(action, useContext(PageSchool));
}

/** The signed-in person's name, who signs what this laptop records; null before any account exists. */
export function useSignerName(): string | null {
  return useSession((s) => s.auth?.session?.name ?? null);
}
