/**
 * Who signs what a handler records: the person of the signed-in account, never a person
 * named in the input (issue 10: authorship from the session). Null before any account
 * exists on the laptop (a database from before accounts) — the history then shows «—».
 */
import { AppError } from '../../db/errors';
import type { Store } from '../../db/store';

export function signedInPerson(store: Store): string | null {
  return store.session?.personId ?? null;
}

/**
 * A curator keeps only their own journal: a visit they save must be theirs, and so must the
 * visit it replaces. Other roles (and a laptop with no account yet) name the curator freely.
 */
export function checkOwnVisit(store: Store, curatorId: string, existingCuratorId?: string): void {
  const session = store.session;
  if (session?.role !== 'curator') return;
  if (curatorId !== session.personId) {
    throw new AppError('forbidden', 'Куратор ведёт только свой журнал посещений: выберите себя куратором посещения.', { curator_id: 'Можно выбрать только себя' });
  }
  if (existingCuratorId !== undefined) checkNotOthersVisit(store, existingCuratorId);
}

/** A curator changes or deletes no visit another curator recorded. */
export function checkNotOthersVisit(store: Store, visitCuratorId: string): void {
  const session = store.session;
  if (session?.role === 'curator' && visitCuratorId !== session.personId) {
    throw new AppError('forbidden', 'Это посещение записано другим куратором: изменить его может он сам или муниципальный координатор.');
  }
}
