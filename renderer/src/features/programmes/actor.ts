/**
 * «Вы»: the person on whose behalf comments and verdicts are signed on this laptop.
 * The app has no log-in (one laptop, one person, offline); the choice is remembered.
 */
import { createContext, useContext } from 'react';
import { create } from 'zustand';
import type { PersonOption } from '../../../../core/contract/programmes';

const KEY = 'shnor.actor';

interface ActorState {
  actorId: string | null;
  setActor: (id: string | null) => void;
}

export const useActor = create<ActorState>((set) => ({
  actorId: typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null,
  setActor(id) {
    if (id) localStorage.setItem(KEY, id);
    else localStorage.removeItem(KEY);
    set({ actorId: id });
  },
}));

/** Who may sign on the page being shown (the programme's school people), so a form can name the signer. */
export const Signers = createContext<readonly PersonOption[]>([]);

/**
 * The chosen «Вы» if they may sign on this page, else null. A person remembered from another
 * school's page is not shown in this page's selector, so they must not sign here unseen either.
 */
export function useSigner(): PersonOption | null {
  const actorId = useActor((s) => s.actorId);
  const people = useContext(Signers);
  return people.find((p) => p.id === actorId) ?? null;
}
