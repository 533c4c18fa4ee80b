/**
 * When a sync package deletes suspiciously many rows at once (a wiped table, a bug, a
 * restored empty copy), it needs the user's confirmation: laptops check incoming packages
 * and the regional server checks pushed ones with this one rule.
 */

/** More than this share of a table's live rows… */
export const MASS_DELETE_SHARE = 0.3;
/** …and at least this many rows. */
export const MASS_DELETE_MIN = 10;

export function isMassDeletion(deleted: number, live: number): boolean {
  return deleted >= MASS_DELETE_MIN && deleted > live * MASS_DELETE_SHARE;
}

/** A package with fewer deletions than this can never be a mass deletion (skips counting rows). */
export const couldBeMassDeletion = (deletions: number): boolean => deletions >= MASS_DELETE_MIN;

export const massDeletionMessage = (deleted: number, live: number, action: string): string =>
  `Пакет удаляет много записей сразу (${deleted} из ${live}). Если это ожидаемо, подтвердите массовое удаление и ${action}.`;
