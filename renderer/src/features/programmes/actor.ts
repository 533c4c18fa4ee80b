/**
 * «Вы»: the person on whose behalf comments and verdicts are signed on this laptop.
 * The app has no log-in (one laptop, one person, offline); the choice is remembered.
 */
import { create } from 'zustand';

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
