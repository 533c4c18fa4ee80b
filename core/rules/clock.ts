/**
 * Clock discipline (issue 12): how far a laptop's clock may be from the regional server's
 * before it stops trusting its own, and how far ahead of the server's time a change may be
 * stamped before the server refuses it. One rule for the laptop, the server and the screens.
 * The anchor is CockroachDB's: a node whose clock is off by more than the cluster allows
 * must not order events by it.
 */

/** A laptop's clock further than this from the server's is wrong: the laptop stamps by the server's time, and says so. */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

/**
 * The server refuses a package with a change stamped further ahead of its own time than this.
 * Twice the tolerance: a laptop within the tolerance, stamping by its own clock, is never refused.
 */
export const CLOCK_AHEAD_LIMIT_MS = 2 * CLOCK_TOLERANCE_MS;

/** A span in words: «2 дн. 3 ч», «1 ч 5 мин», «7 мин». */
export function spanText(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days) return hours ? `${days} дн. ${hours} ч` : `${days} дн.`;
  if (hours) return mins ? `${hours} ч ${mins} мин` : `${hours} ч`;
  return `${mins} мин`;
}

/** Whether a laptop clock `offsetMs` away from the server's (laptop minus server) is wrong. */
export const isWrongClock = (offsetMs: number): boolean => Math.abs(offsetMs) > CLOCK_TOLERANCE_MS;

/** What the laptop says about its wrong clock (offset = laptop minus server). */
export const wrongClockMessage = (offsetMs: number): string =>
  `Часы этого ноутбука ${offsetMs > 0 ? 'спешат' : 'отстают'} на ${spanText(offsetMs)} относительно регионального сервера. ` +
  'Изменения помечаются временем сервера, поэтому синхронизация работает правильно; исправьте дату и время в настройках компьютера.';

/** The server's refusal of a package stamped `aheadMs` ahead of its time. */
export const clockAheadMessage = (aheadMs: number): string =>
  `Часы ноутбука спешат: изменения в пакете помечены временем на ${spanText(aheadMs)} впереди часов сервера (допускается не больше ${spanText(CLOCK_AHEAD_LIMIT_MS)}). ` +
  'Сервер пакет не принял, ничего не изменено. При синхронизации по сети ноутбук сам исправит метки и отправит изменения снова; для пакета-файла исправьте дату и время на ноутбуке и выгрузите пакет заново.';
